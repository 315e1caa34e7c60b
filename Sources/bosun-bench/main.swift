// Benchmark drivers for bench/*.sh: `bosun-bench AREA ARGS...`. Each area lives in its own file.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard let area = arguments.first else {
    FileHandle.standardError.write("usage: bosun-bench yaml|template|kube ARGS...\n".data(using: .utf8)!)
    exit(2)
}
let rest = Array(arguments.dropFirst())
switch area {
case "yaml": exit(runYAMLBench(rest))
case "template": exit(runTemplateBench(rest))
case "kube": exit(runKubeBench(rest))
default:
    FileHandle.standardError.write("bosun-bench: unknown area \(area)\n".data(using: .utf8)!)
    exit(2)
}

import Foundation
import Testing
import TestSupport

/// `bosun chart pack` and `bosun chart lint` print what `helm package` and `helm lint` print.
@Suite struct ChartCommandsOutputTests {
    let bosun = Repository.root + "/.build/debug/bosun"

    @Test func packAndLintOutput() throws {
        #expect(FileManager.default.isExecutableFile(atPath: bosun), "build bosun first (scripts/test.sh does)")
        let helm = try HelmSandbox()
        let work = try makeTemporaryDirectory("bosun-cli-chart")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try helm.run(["create", work + "/good"])
        try helm.run(["create", work + "/bad"])
        try "{{ .Values.nope.deeper }}\n".write(toFile: work + "/bad/templates/broken.yaml", atomically: true, encoding: .utf8)

        let helmPack = try helm.run(["package", work + "/good", "-d", work + "/h"])
        let ourPack = try runProcess(bosun, ["chart", "pack", work + "/good", "-d", work + "/b"], environment: helm.environment)
        #expect(ourPack.succeeded)
        #expect(ourPack.stdout.replacingOccurrences(of: work + "/b", with: "OUT") == helmPack.stdout.replacingOccurrences(of: work + "/h", with: "OUT"))

        for charts in [[work + "/good"], [work + "/good", work + "/bad"]] {
            let theirs = try runProcess(try Oracle.helm4.path(), ["lint"] + charts, environment: helm.environment)
            let ours = try runProcess(bosun, ["chart", "lint"] + charts, environment: helm.environment)
            #expect(ours.status == theirs.status)
            let firstLines = { (text: String) in text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("\t") && !$0.hasPrefix(" ") } }
            #expect(firstLines(ours.stdout) == firstLines(theirs.stdout))
            #expect(ours.stderr == theirs.stderr)
        }
    }
}

import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A classic chart repository on loopback: charts packaged by helm, `helm repo index`, served by
/// `python3 -m http.server` bound to 127.0.0.1.
final class ChartRepositoryServer: @unchecked Sendable {
    let directory: String
    let url: String
    private let process: Process

    /// `charts`: (name, versions) pairs; each version becomes `name-version.tgz` with one template.
    init(charts: [(String, [String])], helm: HelmSandbox) throws {
        directory = try makeTemporaryDirectory("bosun-chartrepo")
        let port = try freePort()
        url = "http://127.0.0.1:\(port)/charts"
        let served = directory + "/charts"
        let sources = directory + "/src"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        for (name, versions) in charts {
            for version in versions {
                let dir = sources + "/\(name)-\(version)/\(name)"
                try FileManager.default.createDirectory(atPath: dir + "/templates", withIntermediateDirectories: true)
                try "apiVersion: v2\nname: \(name)\nversion: \(version)\ndescription: \(name) at \(version)\n"
                    .write(toFile: dir + "/Chart.yaml", atomically: true, encoding: .utf8)
                try "greeting: hello from \(name) \(version)\n".write(toFile: dir + "/values.yaml", atomically: true, encoding: .utf8)
                try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-\(name)\n"
                    .write(toFile: dir + "/templates/cm.yaml", atomically: true, encoding: .utf8)
                try helm.run(["package", dir, "-d", served])
            }
        }
        try helm.run(["repo", "index", served, "--url", url])
        process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.python())
        process.arguments = ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", directory]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        for _ in 0..<400 {
            if LocalRegistry.accepts(port: port) { return }
            usleep(25_000)
        }
        process.terminate()
        throw LocalRegistry.RegistryFailedToStart(host: url)
    }

    /// The real interpreter, not a shim script (whose child would outlive a kill).
    static func python() throws -> String {
        let result = try runProcess("/usr/bin/env", ["python3", "-c", "import sys; print(sys.executable)"])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit {
        // SIGKILL: children started by Foundation may have SIGTERM blocked.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

import Foundation
import Releases
import Structured
import Synchronization
import TestSupport

/// Release records written by the real helm binaries, and helm run over records Bosun wrote.
///
/// No cluster is needed: helm's memory driver (HELM_DRIVER=memory) preloads releases from the files
/// in HELM_MEMORY_DRIVER_DATA and then uses a fake kube client, so `helm history/list/status/get/
/// rollback` run for real over records Bosun encoded.
enum HelmFixtures {
    /// A chart made by `helm create`, plus a hook with weight and delete policies and a test hook.
    static func makeChart(in dir: String, helm: Oracle = .helm4) throws -> String {
        let r = try runProcess(try helm.path(), ["create", "mychart"], directory: dir)
        guard r.succeeded else { throw Failure("helm create: \(r.stderr)") }
        let chart = dir + "/mychart"
        try """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-hook
          annotations:
            helm.sh/hook: pre-install,pre-upgrade
            helm.sh/hook-weight: "-5"
            helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
        data:
          note: "<b>&amp;</b> \\u00e9"
        """.write(toFile: chart + "/templates/hook.yaml", atomically: true, encoding: .utf8)
        return chart
    }

    /// The release JSON helm writes for `install --dry-run=client` (the same encoding as its storage).
    static func installJSON(helm: Oracle, dir: String, chart: String, name: String = "rel1",
                            namespace: String = "ns1", set: [String] = ["a=1", "nested.list={x,y}"]) throws -> String {
        let empty = dir + "/empty.json"
        try "[]".write(toFile: empty, atomically: true, encoding: .utf8)
        var args = ["install", name, chart, "-n", namespace, "--dry-run=client", "-o", "json"]
        for s in set { args += ["--set", s] }
        let r = try runProcess(try helm.path(), args, environment: memoryEnvironment(empty, dir: dir))
        guard r.succeeded else { throw Failure("helm install --dry-run: \(r.stderr)") }
        return r.stdout
    }

    /// Run helm with the memory driver preloaded with `releases` (encoded by Bosun).
    static func run(_ helm: Oracle, _ args: [String], releases: [Release], dir: String) throws -> ProcessResult {
        let file = dir + "/data-\(UUID().uuidString).json"
        let json = "[" + releases.map { ReleaseCodec.json($0) }.joined(separator: ",") + "]"
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        return try runProcess(try helm.path(), args, environment: memoryEnvironment(file, dir: dir))
    }

    static func memoryEnvironment(_ file: String, dir: String) -> [String: String] {
        [
            "HELM_DRIVER": "memory", "HELM_MEMORY_DRIVER_DATA": file, "KUBECONFIG": dir + "/no-kubeconfig",
            "HELM_CACHE_HOME": dir + "/cache", "HELM_CONFIG_HOME": dir + "/config", "HELM_DATA_HOME": dir + "/data",
            "NO_COLOR": "1", "TZ": "UTC",
        ]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}

/// A clock tests move by hand.
final class FakeClock: Sendable {
    private let current: Mutex<GoTime>

    init(_ start: GoTime = GoTime(rfc3339: "2026-01-02T03:04:05.123456789Z")!) { current = Mutex(start) }

    func now() -> GoTime { current.withLock { $0 } }
    func advance(_ seconds: Double) { current.withLock { $0 = $0.adding(seconds: seconds) } }
}

/// A small release for storage tests.
func sampleRelease(_ name: String = "web", version: Int, status: ReleaseStatus, namespace: String = "apps",
                   at: GoTime = GoTime(rfc3339: "2026-01-02T03:04:05Z")!) -> Release {
    let chart = ReleaseChart(
        metadata: ["name": "web", "version": "1.2.3", "apiVersion": "v2", "appVersion": "4.5"],
        templates: [ChartFile(name: "templates/cm.yaml", data: Array("kind: ConfigMap\n".utf8))],
        values: ["replicas": 1, "image": ["tag": "v1"]], files: [])
    return Release(
        name: name, namespace: namespace, version: version,
        info: ReleaseInfo(firstDeployed: at, lastDeployed: at.adding(seconds: Double(version)),
                          description: version == 1 ? "Install complete" : "Upgrade complete", status: status,
                          notes: "thanks"),
        chart: chart, config: ["replicas": .int(Int64(version))],
        manifest: "---\n# Source: web/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
        hooks: [ReleaseHook(name: "web-hook", kind: "Job", path: "web/templates/job.yaml", manifest: "kind: Job",
                            events: ["pre-install"], lastRun: HookRun(phase: "Succeeded"), weight: 3,
                            deletePolicies: ["hook-succeeded"])])
}

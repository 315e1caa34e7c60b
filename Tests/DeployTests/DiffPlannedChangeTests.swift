import Charts
import Deploy
import Foundation
import Kube
import Structured
import Testing
import TestSupport

/// `PreparedRelease.plannedChanges` and `ReleaseDiff(prepared:)` against kubesim: the diff `bosun plan`
/// prints on an empty cluster, after a real `helm install` of the same chart (nothing to change), and
/// after value changes. Golden files: `Tests/Fixtures/Plan/e2e/*.expected`
/// (`BOSUN_REGENERATE_FIXTURES=1` rewrites them).
@Suite struct DiffPlannedChangeTests {
    static let chart = Repository.root + "/Tests/Fixtures/Plan/charts/shop"

    static func prepare(_ sim: SimCluster, _ set: [String] = []) async throws -> PreparedRelease {
        var values = ValueOptions()
        values.values = set
        let preparer = DeployPreparer(client: sim.client, store: sim.store(),
                                      options: DeployOptions(releaseName: "shop", namespace: "default"))
        return try await preparer.prepare(chart: ChartInput(path: chart, values: values))
    }

    static func expectGolden(_ name: String, _ text: String) throws {
        let path = Repository.root + "/Tests/Fixtures/Plan/e2e/" + name + ".expected"
        if ProcessInfo.processInfo.environment["BOSUN_REGENERATE_FIXTURES"] == "1" {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(text == (try String(contentsOfFile: path, encoding: .utf8)), "\(name):\n\(text)")
    }

    @Test func emptyClusterPlansCreatesWithSecretsRedacted() async throws {
        try await SimCluster.with { sim in
            let prepared = try await Self.prepare(sim)
            let diff = ReleaseDiff(prepared: prepared)
            #expect(diff.resources.map(\.action) == [.create, .create, .create, .create])
            #expect(diff.summary == "Plan: 4 to create, 0 to update, 0 to recreate, 0 to delete, 0 unchanged.")
            #expect(prepared.hooksToRun == ["pre-install ConfigMap/default/shop-announce"])
            #expect(!diff.text().contains("s3cret"))
            try Self.expectGolden("install", diff.text())
            #expect(try sim.writes().isEmpty)
        }
    }

    /// helm 4 installs the chart (server-side apply, field manager helm); Bosun then plans the same
    /// chart and values: nothing to change. Then changed values and a removed resource.
    @Test func afterHelmInstallOnlyRealChangesShow() async throws {
        try await SimCluster.with { sim in
            try await sim.helmOK(["install", "shop", Self.chart, "--set", "legacy=true"])

            let same = try await Self.prepare(sim, ["legacy=true"])
            let unchanged = ReleaseDiff(prepared: same)
            #expect(!unchanged.hasChanges, "\(unchanged.text())")
            #expect(unchanged.summary == "Plan: 0 to create, 0 to update, 0 to recreate, 0 to delete, 5 unchanged.")
            #expect(same.hooksToRun == ["pre-upgrade ConfigMap/default/shop-announce"])

            let changed = try await Self.prepare(sim, ["replicas=3", "image=nginx:1.27", "password=rotated"])
            let diff = ReleaseDiff(prepared: changed)
            #expect(diff.summary == "Plan: 0 to create, 2 to update, 0 to recreate, 1 to delete, 2 unchanged.")
            #expect(!diff.text().contains("rotated") && !diff.text().contains("s3cret"))
            try Self.expectGolden("upgrade", diff.text())
            #expect(try sim.writes().filter { $0.userAgent.hasPrefix("bosun") }.isEmpty)
        }
    }
}

extension SimCluster {
    /// Real helm 4 against this cluster (off the cooperative pool: the in-process server needs it).
    func helmOK(_ arguments: [String]) async throws {
        let path = try Oracle.helm4.path()
        let env = [
            "KUBECONFIG": kubeconfig, "HOME": directory, "HELM_DRIVER": "secret", "NO_COLOR": "1",
            "HELM_CACHE_HOME": directory + "/helm/cache", "HELM_CONFIG_HOME": directory + "/helm/config",
            "HELM_DATA_HOME": directory + "/helm/data", "NO_PROXY": "*", "HTTPS_PROXY": "", "HTTP_PROXY": "",
        ]
        let dir = directory
        let result = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runProcess(path, arguments, environment: env, directory: dir) })
            }
        }
        try #require(result.succeeded, "helm \(arguments.joined(separator: " ")): \(result.stderr)")
    }
}

import Charts
import Deploy
import Foundation
import Kube
import SimClusterSupport
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

    /// A release installed by helm 3 (client-side apply, `Update` managed fields): Bosun's dry-run
    /// server-side apply under the `helm` manager changes nothing, so nothing shows.
    @Test func afterHelm3InstallNothingChanges() async throws {
        try await SimCluster.with { sim in
            try await sim.helmOK(["install", "shop", Self.chart], oracle: .helm3)
            let diff = ReleaseDiff(prepared: try await Self.prepare(sim))
            #expect(!diff.hasChanges, "\(diff.text())")
            #expect(diff.count(.unchanged) == 4)
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

/// Plans after Bosun's own converge: nothing to change (CRDs included), and an immutable Job change
/// shown as a recreate with the server's reason.
@Suite struct DiffPlannedChangeAfterConvergeTests {
    static func deployer(_ sim: SimCluster, _ release: String) -> ReleaseDeployer {
        ReleaseDeployer(client: sim.client, store: sim.store(), options: DeployOptions(releaseName: release, namespace: "default"))
    }

    @Test(arguments: ["shop", "ordered"]) func noChangesAfterConverge(_ chart: String) async throws {
        let path = chart == "shop" ? DiffPlannedChangeTests.chart : SimCluster.chart(chart)
        try await SimCluster.with { sim in
            let deployer = Self.deployer(sim, chart)
            let first = ReleaseDiff(prepared: try await deployer.preparer.prepare(chart: ChartInput(path: path)))
            #expect(first.hasChanges && first.count(.unchanged) == 0)
            _ = try await deployer.converge(ChartInput(path: path))
            let again = try await deployer.preparer.prepare(chart: ChartInput(path: path))
            let diff = ReleaseDiff(prepared: again)
            #expect(!diff.hasChanges, "\(diff.text())")
            #expect(diff.count(.unchanged) == first.resources.count)
            #expect(again.hooksToRun.allSatisfy { $0.hasPrefix("pre-upgrade ") || $0.hasPrefix("post-upgrade ") }, "\(again.hooksToRun)")
        }
    }

    @Test func immutableJobChangeIsARecreateWithTheServersReason() async throws {
        try await SimCluster.with { sim in
            let chart = sim.directory + "/jobs"
            try FileManager.default.createDirectory(atPath: chart + "/templates", withIntermediateDirectories: true)
            try "apiVersion: v2\nname: jobs\nversion: 0.1.0\n".write(toFile: chart + "/Chart.yaml", atomically: true, encoding: .utf8)
            try "image: tool:1\n".write(toFile: chart + "/values.yaml", atomically: true, encoding: .utf8)
            try """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: migrate
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: migrate
                        image: {{ .Values.image }}

                """.write(toFile: chart + "/templates/job.yaml", atomically: true, encoding: .utf8)
            let deployer = Self.deployer(sim, "jobs")
            _ = try await deployer.converge(ChartInput(path: chart))
            var values = ValueOptions()
            values.values = ["image=tool:2"]
            let diff = ReleaseDiff(prepared: try await deployer.preparer.prepare(chart: ChartInput(path: chart, values: values)))
            let job = try #require(diff.resources.first)
            #expect(job.action == .recreate)
            #expect(job.lines[1].kind == .note && job.lines[1].text.hasPrefix("# recreated: ") && job.lines[1].text.contains("field is immutable"),
                    "\(job.text)")
            #expect(job.text.contains("@@ -12,6 +12,6 @@\n   template:\n     spec:\n       containers:\n-      - image: tool:1\n+      - image: tool:2\n"), "\(job.text)")
            #expect(diff.summary == "Plan: 0 to create, 0 to update, 1 to recreate, 0 to delete, 0 unchanged.")
        }
    }
}

extension SimCluster {
    /// Real helm 4 against this cluster (off the cooperative pool: the in-process server needs it).
    func helmOK(_ arguments: [String], oracle: Oracle = .helm4) async throws {
        let path = try oracle.path()
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

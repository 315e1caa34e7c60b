import Charts
import Deploy
import Foundation
import Kube
import SimClusterSupport
import Structured
import Testing
import TestSupport

/// `SavedPlan(prepared:)` and `verifyNoDrift(prepared:)` against kubesim after a real `helm install`:
/// what converge calls with `--use-plan`.
@Suite struct PlanFileSavedPlanPreparedTests {
    static func prepare(_ sim: SimCluster, _ set: [String] = []) async throws -> PreparedRelease {
        var values = ValueOptions()
        values.values = set
        let preparer = DeployPreparer(client: sim.client, store: sim.store(),
                                      options: DeployOptions(releaseName: "shop", namespace: "default"))
        return try await preparer.prepare(chart: ChartInput(path: DiffPlannedChangeTests.chart, values: values))
    }

    static func driftMessage(_ saved: SavedPlan, _ prepared: PreparedRelease) -> String? {
        do { try saved.verifyNoDrift(prepared: prepared, planFile: "shop.plan"); return nil } catch { return error.description }
    }

    static let config = ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "shop-config")
    static let service = ObjectReference(apiVersion: "v1", kind: "Service", namespace: "default", name: "shop-web")
    static let deployment = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "shop-web")

    @Test func planOfAnInstalledReleaseRecordsVersionsAndNoSecrets() async throws {
        try await SimCluster.with { sim in
            try await sim.helmOK(["install", "shop", DiffPlannedChangeTests.chart])
            let prepared = try await Self.prepare(sim, ["replicas=2"])
            let saved = SavedPlan(prepared: prepared)
            #expect(saved.release == "shop" && saved.namespace == "default")
            #expect(saved.basedOnRevision == 1)
            #expect(saved.manifestsDigest.hasPrefix("sha256:"))
            let config = try #require(saved.resources.first { $0.name == "shop-config" })
            let live = try await sim.client.get(Self.config)
            #expect(config.liveResourceVersion == live[path: "metadata", "resourceVersion"]?.stringValue)
            #expect(config.action == .unchanged && config.liveDigest != nil)
            let secret = try #require(saved.resources.first { $0.kind == "Secret" })
            #expect(secret.liveDigest == nil && secret.liveResourceVersion != nil)
            #expect(saved.resources.first { $0.kind == "Deployment" }?.action == .update)
            #expect(saved.operations.contains("update Deployment/default/shop-web"))

            let file = sim.directory + "/shop.plan"
            try saved.write(to: file)
            let text = try String(contentsOfFile: file, encoding: .utf8)
            for secretText in ["s3cret", Data("s3cret".utf8).base64EncodedString(), "admin", "YWRtaW4="] {
                #expect(!text.contains(secretText))
            }
            #expect(try SavedPlan.load(from: file) == saved)
        }
    }

    /// Nothing changed but a controller's status writes: the plan still applies.
    @Test func statusUpdatesAreNotDrift() async throws {
        try await SimCluster.with { sim in
            try await sim.helmOK(["install", "shop", DiffPlannedChangeTests.chart])
            let saved = SavedPlan(prepared: try await Self.prepare(sim, ["replicas=2"]))
            let before = saved.resources.first { $0.kind == "Deployment" }?.liveResourceVersion
            // Delete its pods: the Deployment controller writes status (a new resourceVersion).
            let pods = try await sim.client.list(ResourceSelector(apiVersion: "v1", kind: "Pod", namespace: "default"),
                                                 options: ListOptions(labelSelector: "app=web"))
            try #require(!pods.items.isEmpty)
            for pod in pods.items {
                let name = try #require(pod[path: "metadata", "name"]?.stringValue)
                _ = try await sim.client.delete(ObjectReference(apiVersion: "v1", kind: "Pod", namespace: "default", name: name),
                                                options: DeleteOptions(gracePeriodSeconds: 0))
            }
            var after = before
            for _ in 0..<100 where after == before {
                try await Task.sleep(for: .milliseconds(50))
                after = try await sim.client.get(Self.deployment)[path: "metadata", "resourceVersion"]?.stringValue
            }
            try #require(after != before, "the Deployment's status never changed")
            #expect(Self.driftMessage(saved, try await Self.prepare(sim, ["replicas=2"])) == nil)
        }
    }

    @Test func refusesWhenTheClusterOrTheChartChanged() async throws {
        try await SimCluster.with { sim in
            try await sim.helmOK(["install", "shop", DiffPlannedChangeTests.chart])
            let saved = SavedPlan(prepared: try await Self.prepare(sim, ["replicas=2"]))
            let oldVersion = try #require(saved.resources.first { $0.name == "shop-config" }?.liveResourceVersion)

            // Someone edits the ConfigMap and deletes the Service.
            _ = try await sim.client.patch(Self.config, .merge(["data": ["greeting": "edited by hand"]]), options: WriteOptions(fieldManager: "kubectl-edit"))
            _ = try await sim.client.delete(Self.service, options: DeleteOptions())
            let newVersion = try await sim.client.get(Self.config)[path: "metadata", "resourceVersion"]?.stringValue ?? "?"
            let message = try #require(Self.driftMessage(saved, try await Self.prepare(sim, ["replicas=2"])))
            #expect(message == """
                refusing to apply plan shop.plan: the cluster or the chart changed since it was made (run `bosun plan --save-plan` again and review the new plan):
                  - ConfigMap/default/shop-config: changed in the cluster since the plan (resourceVersion \(oldVersion) -> \(newVersion))
                  - Service/default/shop-web: deleted from the cluster since the plan
                """)

            // Other values than planned: the rendered manifests differ.
            let chartChanged = try #require(Self.driftMessage(saved, try await Self.prepare(sim, ["replicas=5"])))
            #expect(chartChanged.contains("  - rendered manifests differ from the plan's (the chart, values or flags changed)"))
        }
    }

    @Test func refusesAfterAnotherRevisionWasDeployed() async throws {
        try await SimCluster.with { sim in
            try await sim.helmOK(["install", "shop", DiffPlannedChangeTests.chart])
            let saved = SavedPlan(prepared: try await Self.prepare(sim, ["replicas=2"]))
            try await sim.helmOK(["upgrade", "shop", DiffPlannedChangeTests.chart, "--set", "logLevel=debug"])
            let message = try #require(Self.driftMessage(saved, try await Self.prepare(sim, ["replicas=2"])))
            #expect(message.contains("  - release shop: revision 2 is now the latest, the plan was made on 1"))
            #expect(message.contains("  - ConfigMap/default/shop-config: changed in the cluster since the plan"))
        }
    }
}

/// `ReleaseDeployer.converge(_:usingPlan:)`: the two-stage workflow end to end with Bosun's own converge.
@Suite struct PlanFileUsePlanTests {
    static func deployer(_ sim: SimCluster) -> ReleaseDeployer {
        ReleaseDeployer(client: sim.client, store: sim.store(), options: DeployOptions(releaseName: "shop", namespace: "default"))
    }

    static func input(_ set: [String]) -> ChartInput {
        var values = ValueOptions()
        values.values = set
        return ChartInput(path: DiffPlannedChangeTests.chart, values: values)
    }

    @Test func appliesAnUnchangedPlanAndRefusesADriftedOne() async throws {
        try await SimCluster.with { sim in
            let deployer = Self.deployer(sim)
            // Stage one: plan the install and save it; stage two: apply exactly that.
            let file = sim.directory + "/install.plan"
            try SavedPlan(prepared: try await deployer.preparer.prepare(chart: Self.input([]))).write(to: file)
            let first = try await deployer.converge(Self.input([]), usingPlan: file)
            #expect(first.version == 1 && first.status == .deployed)

            // Plan an upgrade, then someone edits a planned object: converge refuses, writes nothing.
            let upgrade = sim.directory + "/upgrade.plan"
            try SavedPlan(prepared: try await deployer.preparer.prepare(chart: Self.input(["logLevel=debug"]))).write(to: upgrade)
            _ = try await sim.client.patch(PlanFileSavedPlanPreparedTests.config, .merge(["data": ["greeting": "hand edit"]]),
                                           options: WriteOptions(fieldManager: "kubectl-edit"))
            let writesBefore = try sim.writes().count
            do {
                _ = try await deployer.converge(Self.input(["logLevel=debug"]), usingPlan: upgrade)
                Issue.record("expected a drift refusal")
            } catch {
                #expect("\(error)".contains("  - ConfigMap/default/shop-config: changed in the cluster since the plan"), "\(error)")
            }
            #expect(try sim.writes().count == writesBefore)
            #expect(try await sim.store().last("shop").version == 1)

            // The same plan against a different chart input is refused too.
            do {
                _ = try await deployer.converge(Self.input(["logLevel=warn"]), usingPlan: file)
                Issue.record("expected a refusal")
            } catch {
                #expect("\(error)".contains("rendered manifests differ"), "\(error)")
            }
        }
    }
}

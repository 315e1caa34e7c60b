import Charts
import Deploy
import Foundation
import Kube
import Releases
import SimClusterSupport
import Structured
import Testing
import TestSupport

/// Events collected from the many tasks of a deploy.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [DeployEvent] = []
    var sink: DeployEventSink { { event in self.lock.withLock { self.items.append(event) } } }
    var events: [DeployEvent] { lock.withLock { items } }
    var stages: [String] {
        events.compactMap { if case .stageStarted(let s) = $0 { return s } else { return nil } }
    }
}

@Suite struct ConvergeTests {
    static func deployer(_ sim: SimCluster, _ name: String = "app", configure: (inout DeployOptions) -> Void = { _ in }) -> ReleaseDeployer {
        var options = DeployOptions(releaseName: name, namespace: "default", timeout: 60)
        configure(&options)
        return ReleaseDeployer(client: sim.client, store: sim.store(), options: options)
    }

    static func values(_ sets: String...) -> ValueOptions {
        var v = ValueOptions()
        v.values = sets
        return v
    }

    /// Index of the first write matching verb, kind and name.
    static func index(_ writes: [SimCluster.Request], _ verb: String, _ kind: String, _ name: String) -> Int? {
        writes.firstIndex { $0.verb == verb && $0.kind == kind && $0.name == name }
    }

    @Test func installRunsEveryStageInOrderAndRecordsTheRelease() async throws {
        try await SimCluster.with { sim in
            let log = EventLog()
            let release = try await Self.deployer(sim).converge(ChartInput(path: SimCluster.chart("ordered")), events: log.sink)
            #expect(release.version == 1)
            #expect(release.status == .deployed)
            #expect(release.info.description == "Install complete")
            #expect(release.applyMethod == "ssa")
            #expect(log.stages == ["crds", "pre-hooks", "weight 0", "weight 10", "post-hooks"])

            let writes = try sim.writes().filter { $0.kind != "Lease" && $0.kind != "Secret" || $0.name == "app-secret" }
            func at(_ verb: String, _ kind: String, _ name: String) throws -> Int {
                try #require(Self.index(writes, verb, kind, name), "\(verb) \(kind) \(name) in \(writes)")
            }
            let crd = try at("patch", "CustomResourceDefinition", "widgets.example.com")
            let pre0 = try at("patch", "Job", "app-pre-0"), pre1 = try at("patch", "Job", "app-pre-1")
            let secret = try at("patch", "Secret", "app-secret"), config = try at("patch", "ConfigMap", "app-config")
            let service = try at("patch", "Service", "app-web"), web = try at("patch", "Deployment", "app-web")
            let widget = try at("patch", "Widget", "app-widget"), late = try at("patch", "ConfigMap", "app-late")
            let post = try at("patch", "Job", "app-post"), postDelete = try at("delete", "Job", "app-post")
            #expect(crd < pre0 && pre0 < pre1 && pre1 < secret)
            #expect(secret < config && config < service && service < web && web < widget)
            #expect(widget < late && late < post && post < postDelete)

            // Hook delete policies: before-hook-creation leaves the hook, hook-succeeded removes it.
            #expect(try await sim.object("batch/v1", "Job", "app-pre-0") != nil)
            #expect(try await sim.object("batch/v1", "Job", "app-post") == nil)
            let deployment = try #require(try await sim.object("apps/v1", "Deployment", "app-web"))
            #expect(deployment[path: "metadata", "labels", "app.kubernetes.io/managed-by"]?.stringValue == "Helm")
            #expect(deployment[path: "status", "readyReplicas"]?.intValue == 1)
            let stored = try await sim.store().last("app")
            #expect(stored.status == .deployed)
            #expect(stored.hooks.first { $0.name == "app-pre-0" }?.lastRun.phase == "Succeeded")
        }
    }

    @Test func upgradeUpdatesChangedObjectsDeletesRemovedOnesAndRerunsHooks() async throws {
        try await SimCluster.with { sim in
            let deployer = Self.deployer(sim)
            try await deployer.converge(ChartInput(path: SimCluster.chart("ordered"), values: Self.values("extra=true")))
            #expect(try await sim.object("v1", "ConfigMap", "app-extra") != nil)
            let before = try sim.writes().count
            let release = try await deployer.converge(ChartInput(path: SimCluster.chart("ordered"), values: Self.values("greeting=hi")))
            #expect(release.version == 2)
            #expect(release.info.description == "Upgrade complete")
            #expect(try await sim.store().get("app", version: 1).status == .superseded)
            #expect(try await sim.object("v1", "ConfigMap", "app-extra") == nil)
            #expect(try await sim.object("v1", "ConfigMap", "app-config")?[path: "data", "greeting"]?.stringValue == "hi")
            let writes = Array(try sim.writes().dropFirst(before))
            // Unchanged objects are not written; the hook is deleted before it is created again.
            #expect(Self.index(writes, "patch", "Service", "app-web") == nil)
            #expect(Self.index(writes, "patch", "Deployment", "app-web") == nil)
            let deleteHook = try #require(Self.index(writes, "delete", "Job", "app-pre-0"))
            let applyHook = try #require(Self.index(writes, "patch", "Job", "app-pre-0"))
            #expect(deleteHook < applyHook)
            let update = try #require(Self.index(writes, "patch", "ConfigMap", "app-config"))
            let removal = try #require(Self.index(writes, "delete", "ConfigMap", "app-extra"))
            let post = try #require(Self.index(writes, "patch", "Job", "app-post"))
            #expect(update < removal && removal < post)
        }
    }

    /// An upgrade while every watch the tracking uses lags 300 ms behind the writes: the informers
    /// still hold the old Deployment (rolled out) and the old hook Jobs (complete) when tracking
    /// starts. The release ends only once the new pod serves: the cached old versions never count.
    @Test func anUpgradeWithLaggingWatchesEndsOnlyOnceTheNewPodServes() async throws {
        try await SimCluster.with { sim in
            try await Self.deployer(sim).converge(ChartInput(path: SimCluster.chart("ordered")))
            let lagging = LaggingWatchClient(base: sim.client, kinds: ["Deployment", "ReplicaSet", "Pod", "Job", "Event"], lag: .milliseconds(300))
            let deployer = ReleaseDeployer(client: lagging, store: sim.store(), options: DeployOptions(releaseName: "app", namespace: "default", timeout: 60))
            let release = try await deployer.converge(ChartInput(path: SimCluster.chart("ordered"), values: Self.values("behavior=ready-after=3s")))
            #expect(release.info.description == "Upgrade complete")
            let d = try #require(try await sim.object("apps/v1", "Deployment", "app-web"))
            #expect(d[path: "metadata", "generation"]?.intValue == 2)
            #expect(d[path: "status", "observedGeneration"]?.intValue == 2)
            for field in ["replicas", "updatedReplicas", "availableReplicas"] {
                #expect(d[path: "status", field]?.intValue == 1, "\(field)")
            }
        }
    }

    @Test func extraMetadataGoesOnEveryObjectAndTheNamespaceIsCreated() async throws {
        try await SimCluster.with(scale: 10) { (sim: SimCluster) async throws in
            var options = DeployOptions(releaseName: "app", namespace: "fresh", extraAnnotations: ["team": "shop"],
                                        extraLabels: ["tier": "backend"], createNamespace: true, timeout: 60)
            options.parallelism = 4
            let deployer = ReleaseDeployer(client: sim.client, store: sim.store(namespace: "fresh"), options: options)
            try await deployer.converge(ChartInput(path: SimCluster.chart("ordered")))
            #expect(try await sim.object("v1", "Namespace", "fresh", namespace: nil) != nil)
            for (apiVersion, kind, name) in [("v1", "ConfigMap", "app-config"), ("apps/v1", "Deployment", "app-web"),
                                             ("batch/v1", "Job", "app-pre-0"), ("example.com/v1", "Widget", "app-widget")] {
                let object = try #require(try await sim.object(apiVersion, kind, name, namespace: "fresh"))
                #expect(object[path: "metadata", "annotations", "team"]?.stringValue == "shop", "\(kind)/\(name)")
                #expect(object[path: "metadata", "labels", "tier"]?.stringValue == "backend", "\(kind)/\(name)")
            }
            let lease = try await sim.object("coordination.k8s.io/v1", "Lease", "bosun-lock.app", namespace: "fresh")
            #expect(lease?[path: "spec", "holderIdentity"]?.stringValue ?? "" == "")
        }
    }

    @Test func exampleShopWaitsForTheDatabaseGroupAndTheExternalDependency() async throws {
        try await SimCluster.with(scale: 10) { (sim: SimCluster) async throws in
            let log = EventLog()
            let deployer = ReleaseDeployer(client: sim.client, store: sim.store(),
                                           options: DeployOptions(releaseName: "shop", namespace: "default", timeout: 60))
            try await deployer.converge(ChartInput(path: Repository.root + "/examples/shop"), events: log.sink)
            #expect(log.stages == ["pre-hooks", "weight 0", "weight 10"])
            let requests = try sim.requests()
            let db = try #require(requests.firstIndex { $0.verb == "patch" && $0.kind == "StatefulSet" && !$0.dryRun })
            let dns = try #require(requests.firstIndex { ["get", "list", "watch"].contains($0.verb) && $0.kind == "Deployment" && $0.namespace == "kube-system" })
            let web = try #require(requests.firstIndex { $0.verb == "patch" && $0.kind == "Deployment" && $0.name == "shop-web" && !$0.dryRun })
            #expect(db < web && dns < web)
            #expect(try await sim.object("apps/v1", "StatefulSet", "shop-db")?[path: "status", "readyReplicas"]?.intValue == 1)
        }
    }
}

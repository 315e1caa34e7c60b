import Foundation
import Kube
import Structured
import Testing
@testable import Tracking

/// Sessions over one `InformerHub`: a single LIST + WATCH per feed for all of them, cached objects
/// handed to later sessions, and no older incarnation taken for the tracked one.
@Suite struct InformerHubTests {
    static let options = TrackingOptions(timeout: 30)

    @Test func sessionsShareOneListAndWatchPerFeed() async throws {
        try await TestCluster.with { cluster in
            let hub = InformerHub(client: cluster.client)
            for n in 0..<3 {
                let config = try await cluster.create(Manifests.configMap("cfg-\(n)"))
                let deploy = try await cluster.create(Manifests.deployment("web-\(n)"))
                _ = try await cluster.setStatus(deploy, Manifests.rolledOut(1))
                let result = try await TrackingSession(client: cluster.client, options: Self.options, hub: hub)
                    .run([TrackingRequest(config), TrackingRequest(deploy)])
                #expect(result.outcomes.map(\.kind) == [.ready, .ready])
                try await cluster.delete(config)
                let gone = try await TrackingSession(client: cluster.client, options: Self.options, hub: hub)
                    .run([TrackingRequest(config, goal: .absent)])
                #expect(gone.outcomes.map(\.kind) == [.absent])
            }
            await hub.close()
            let entries = try cluster.auditEntries()
            var lists: [String: Int] = [:]
            for e in entries where e.verb == "list" { lists[e.resource, default: 0] += 1 }
            #expect(lists == ["configmaps": 1, "deployments": 1, "replicasets": 1, "pods": 1, "events": 1])
            #expect(entries.filter { $0.verb == "watch" }.count == 5)
            #expect(entries.filter { $0.verb == "get" && !$0.resource.isEmpty }.map(\.resource) == [])
        }
    }

    /// A hub whose informer holds Deployment `web` rolled out at generation 1 (tracked once).
    static func hubHoldingRolledOutDeployment(_ cluster: TestCluster) async throws -> (InformerHub, Value) {
        let hub = InformerHub(client: cluster.client)
        let first = try await cluster.create(Manifests.deployment("web"))
        _ = try await cluster.setStatus(first, Manifests.rolledOut(1, generation: 1))
        let warmed = try await TrackingSession(client: cluster.client, options: Self.options, hub: hub).run([TrackingRequest(first)])
        #expect(warmed.outcomes.map(\.kind) == [.ready])
        return (hub, first)
    }

    /// The hub may still hold the Deployment as it was before the update (rolled out, generation 1):
    /// tracking the update's response waits for generation 2 instead of calling it ready. (Usually
    /// the watch has delivered the update by then; the next test makes the stale cache certain.)
    @Test func anOlderGenerationInTheCacheIsNotTakenForTheTrackedOne() async throws {
        try await TestCluster.with { cluster in
            let (hub, first) = try await Self.hubHoldingRolledOutDeployment(cluster)

            let current = try await cluster.client.get(ObjectReference(of: first))
            var changed = current
            var spec = changed["spec"] ?? [:]
            spec["replicas"] = 2
            changed["spec"] = spec
            let updated = try await cluster.client.update(changed, options: WriteOptions())
            #expect(updated[path: "metadata", "generation"]?.intValue == 2)

            var reader = EventReader(try TrackingSession(client: cluster.client, options: Self.options, hub: hub).track([TrackingRequest(updated)]))
            let state = try await reader.state("web")
            #expect(state?.phase == .progressing)
            _ = try await cluster.setStatus(updated, Manifests.rolledOut(2, generation: 2))
            let all = try await reader.rest()
            #expect(all.result?.outcomes.map(\.kind) == [.ready])
            await hub.close()
        }
    }

    /// The same, made certain: the request is a generation the hub's watch has not delivered yet
    /// (an apply's response outrunning the watch on a loaded machine). Only waiting, never ready.
    @Test func anAppliedGenerationTheWatchHasNotDeliveredIsWaitedFor() async throws {
        try await TestCluster.with { cluster in
            let (hub, first) = try await Self.hubHoldingRolledOutDeployment(cluster)

            var ahead = try await cluster.client.get(ObjectReference(of: first))
            ahead["metadata"]?["generation"] = 2
            var reader = EventReader(try TrackingSession(client: cluster.client, options: Self.options, hub: hub).track([TrackingRequest(ahead)]))
            let state = try await reader.state("web")
            #expect(state?.phase == .progressing)
            #expect(state?.waitingFor == ["informer generation 1 should be >= 2"])

            var changed = try await cluster.client.get(ObjectReference(of: first))
            changed["spec"]?["replicas"] = 2
            let updated = try await cluster.client.update(changed, options: WriteOptions())
            #expect(try await reader.state("web")?.phase == .progressing)
            _ = try await cluster.setStatus(updated, Manifests.rolledOut(2, generation: 2))
            let all = try await reader.rest()
            #expect(all.result?.outcomes.map(\.kind) == [.ready])
            #expect(!all.events.contains { if case .state(_, let s) = $0 { s.phase == .ready && s.counts.desired != 2 } else { false } })
            await hub.close()
        }
    }

    /// A Job deleted and created again under the same name: the new one (another uid) is tracked,
    /// not the completed old one the cache may still hold.
    @Test func anotherUIDInTheCacheIsNotTakenForTheTrackedOne() async throws {
        try await TestCluster.with { cluster in
            let hub = InformerHub(client: cluster.client)
            let old = try await cluster.create(Manifests.job("hook"))
            _ = try await cluster.setStatus(old, Manifests.completeJob)
            let first = try await TrackingSession(client: cluster.client, options: Self.options, hub: hub)
                .run([TrackingRequest(old, goal: .completed)])
            #expect(first.outcomes.map(\.kind) == [.ready])

            try await cluster.delete(old)
            let recreated = try await cluster.create(Manifests.job("hook"))
            var reader = EventReader(try TrackingSession(client: cluster.client, options: Self.options, hub: hub)
                .track([TrackingRequest(recreated, goal: .completed)]))
            #expect(try await reader.state("hook")?.phase == .progressing)
            _ = try await cluster.setStatus(recreated, Manifests.completeJob)
            let all = try await reader.rest()
            #expect(all.result?.outcomes.map(\.kind) == [.ready])
            await hub.close()
        }
    }

    @Test func warmOpensTheWorkloadFeedsBeforeAnySession() async throws {
        try await TestCluster.with { cluster in
            let hub = InformerHub(client: cluster.client)
            let job = Manifests.job("hook")
            await hub.warm([TrackingRequest(job, goal: .completed)])
            var resources: Set<String> = []
            for _ in 0..<100 where resources.count < 3 {
                try await Task.sleep(for: .milliseconds(20))
                resources = Set(try cluster.auditEntries().filter { $0.verb == "watch" }.map(\.resource))
            }
            #expect(resources == ["jobs", "pods", "events"])
            await hub.close()
        }
    }

    /// The rule itself: another uid or an older generation is refused; a manifest accepts anything.
    @Test func incarnationAcceptsOnlyTheTrackedObjectOrNewer() {
        let applied: Value = ["metadata": ["name": "web", "uid": "u2", "generation": 3]]
        let incarnation = Incarnation(applied)
        #expect(incarnation.accepts(["metadata": ["name": "web", "uid": "u2", "generation": 3]]))
        #expect(incarnation.accepts(["metadata": ["name": "web", "uid": "u2", "generation": 4]]))
        #expect(!incarnation.accepts(["metadata": ["name": "web", "uid": "u2", "generation": 2]]))
        #expect(!incarnation.accepts(["metadata": ["name": "web", "uid": "u1", "generation": 5]]))
        #expect(Incarnation(["metadata": ["name": "web"]]).accepts(["metadata": ["name": "web", "uid": "u1", "generation": 1]]))
    }
}

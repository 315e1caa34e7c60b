import Foundation
import Kube
import KubeSim
import Structured
import TestSupport
import Testing
@testable import Tracking

@Suite struct TrackingFeedTests {
    @Test func feedsAreOnePerKindAndNamespace() {
        var targets: [TrackedTarget] = []
        for n in 0..<50 {
            for (apiVersion, kind) in [("apps/v1", "Deployment"), ("batch/v1", "Job"), ("v1", "ConfigMap")] {
                targets.append(TrackedTarget(
                    index: targets.count, id: ResourceID(apiVersion: apiVersion, kind: kind, namespace: n % 2 == 0 ? "a" : "b", name: "r\(n)"),
                    goal: .ready, annotations: TrackingAnnotations()))
            }
        }
        targets.append(TrackedTarget(
            index: targets.count, id: ResourceID(apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", namespace: nil, name: "r"),
            goal: .ready, annotations: TrackingAnnotations()))
        let feeds = TrackingFeed.feeds(for: targets).map { "\($0.kind)@\($0.namespace ?? "-")" }
        #expect(feeds == [
            "Deployment@a", "ReplicaSet@a", "Pod@a", "Event@a", "Job@a", "ConfigMap@a",
            "Deployment@b", "ReplicaSet@b", "Pod@b", "Event@b", "Job@b", "ConfigMap@b",
            "ClusterRole@-", "Event@default",
        ])
    }

    /// 500 resources in one namespace: one LIST and at most a couple of WATCHes (a re-watch after a
    /// server timeout) per kind, never one per resource.
    @Test func fiveHundredResourcesNeedAConstantNumberOfWatches() async throws {
        try await TestCluster.with { cluster in
            let store = cluster.server.store
            let configMaps = await store.registry.lookup(apiVersion: "v1", kind: "ConfigMap")!
            let deployments = await store.registry.lookup(apiVersion: "apps/v1", kind: "Deployment")!
            var requests: [TrackingRequest] = []
            for n in 0..<400 {
                requests.append(TrackingRequest(try await store.create(configMaps, namespace: "default", object: Manifests.configMap("cm-\(n)"))))
            }
            var deploys: [Value] = []
            for n in 0..<100 {
                let d = try await store.create(deployments, namespace: "default", object: Manifests.deployment("web-\(n)"))
                deploys.append(d)
                requests.append(TrackingRequest(d))
            }
            let session = TrackingSession(client: cluster.client, options: TrackingOptions(timeout: 60))
            var reader = EventReader(try session.track(requests))
            _ = try await reader.state("web-99")
            for d in deploys { try await cluster.setStatus(d, Manifests.rolledOut(1)) }
            let all = try await reader.rest()
            #expect(all.result?.outcomes.count == 500)
            #expect(all.result?.outcomes.allSatisfy { $0.kind == .ready } == true)

            let entries = try cluster.auditEntries()
            var watches: [String: Int] = [:]
            var lists: [String: Int] = [:]
            for e in entries where e.verb == "watch" { watches[e.resource, default: 0] += 1 }
            for e in entries where e.verb == "list" { lists[e.resource, default: 0] += 1 }
            #expect(Set(watches.keys) == ["configmaps", "deployments", "replicasets", "pods", "events"])
            #expect(watches.values.allSatisfy { $0 <= 2 })
            #expect(lists == ["configmaps": 1, "deployments": 1, "replicasets": 1, "pods": 1, "events": 1])
            // No per-object GETs either (only discovery): everything came through the five informers.
            #expect(entries.filter { $0.verb == "get" && !$0.resource.isEmpty }.map(\.resource) == [])
        }
    }
}

import Foundation
import Structured
import Testing
@testable import KubeSim

/// Graceful pod deletion (store + kubelet), as a real cluster does it: a running pod is marked
/// (deletionTimestamp = now + grace, deletionGracePeriodSeconds), shows `Terminating`, gets
/// `Killing` events, and is removed once its containers stop (or the grace period ends);
/// unscheduled pods and `--grace-period=0` go at once; a namespace waits for its pods.
@Suite(.serialized) struct PodTerminationTests {
    static func pod(_ name: String, behavior: String = "", grace: Int = 30, namespace: String = "default") -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: \(name), namespace: \(namespace), annotations: {kubesim.bosun.dev/behavior: "\(behavior)"}}
        spec:
          terminationGracePeriodSeconds: \(grace)
          containers: [{name: web, image: nginx}]
        """
    }

    @Test func runningPodTerminatesGracefullyThenGoes() async throws {
        try await SimulationHarness.with(scale: 10) { sim in
            try await sim.create(Kinds.pods, Self.pod("slow", behavior: "shutdown=10s", grace: 30))
            #expect(await sim.waitFor(Kinds.pods, "slow") { PodState.isReady($0) } != nil)
            let outcome = try await sim.store.delete(Kinds.pods, namespace: "default", name: "slow")
            guard case .pending(let marked) = outcome else { Issue.record("deleted at once: \(outcome)"); return }
            #expect(marked[path: "metadata", "deletionGracePeriodSeconds"] == 30)
            let deadline = try #require(marked[path: "metadata", "deletionTimestamp"]?.stringValue.flatMap(Timestamp.parse))
            #expect(abs(deadline.timeIntervalSinceNow - 30) < 3)  // now + grace, in wall-clock time as on a real server
            #expect(PodStatusPrinter.status(marked) == "Terminating")
            // A second plain delete changes nothing; the pod stays while its container shuts down.
            guard case .pending(let again) = try await sim.store.delete(Kinds.pods, namespace: "default", name: "slow") else { Issue.record(); return }
            #expect(again.resourceVersion == marked.resourceVersion)
            #expect(await sim.eventually { await sim.event(for: "slow", reason: "Killing") != nil })
            #expect(await sim.event(for: "slow", reason: "Killing")?["message"] == "Stopping container web")
            try await Task.sleep(for: .milliseconds(300))  // 3 s simulated of the 10 s shutdown
            #expect(await sim.get(Kinds.pods, "slow") != nil)
            #expect(await sim.eventually(timeout: 10) { await sim.get(Kinds.pods, "slow") == nil })
        }
    }

    @Test func ignoredSigtermIsKilledAtTheGracePeriodAndShorterGraceWins() async throws {
        try await SimulationHarness.with(scale: 10) { sim in
            try await sim.create(Kinds.pods, Self.pod("stubborn", behavior: "ignore-sigterm", grace: 600))
            #expect(await sim.waitFor(Kinds.pods, "stubborn") { PodState.isReady($0) } != nil)
            _ = try await sim.store.delete(Kinds.pods, namespace: "default", name: "stubborn")
            // kubectl delete --grace-period=5 on a terminating pod shortens the period.
            guard case .pending(let shorter) = try await sim.store.delete(Kinds.pods, namespace: "default", name: "stubborn",
                                                                          options: DeleteOptions(gracePeriodSeconds: 5)) else { Issue.record(); return }
            #expect(shorter[path: "metadata", "deletionGracePeriodSeconds"] == 5)
            let start = ContinuousClock.now
            #expect(await sim.eventually(timeout: 10) { await sim.get(Kinds.pods, "stubborn") == nil })
            #expect(ContinuousClock.now - start > .milliseconds(200))  // 5 s simulated at 10x
        }
    }

    @Test func unscheduledAndForcedDeletesAreImmediate() async throws {
        try await SimulationHarness.with(scale: 10, nodes: ["kubesim-node-1"]) { sim in
            try await sim.create(Kinds.pods, """
                apiVersion: v1
                kind: Pod
                metadata: {name: nowhere, namespace: default}
                spec: {nodeSelector: {disk: ssd}, containers: [{name: web, image: nginx}]}
                """)
            #expect(await sim.waitFor(Kinds.pods, "nowhere") { $0.condition("PodScheduled")?["reason"] == "Unschedulable" } != nil)
            guard case .deleted = try await sim.store.delete(Kinds.pods, namespace: "default", name: "nowhere") else { Issue.record(); return }
            try await sim.create(Kinds.pods, Self.pod("forced"))
            #expect(await sim.waitFor(Kinds.pods, "forced") { PodState.isReady($0) } != nil)
            guard case .deleted = try await sim.store.delete(Kinds.pods, namespace: "default", name: "forced",
                                                             options: DeleteOptions(gracePeriodSeconds: 0)) else { Issue.record(); return }
        }
    }

    @Test func namespaceDeletionWaitsForTerminatingPods() async throws {
        try await SimulationHarness.with(scale: 10) { sim in
            _ = try await sim.store.create(ObjectStore.namespaceType, namespace: nil, object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "shop"]])
            try await sim.create(Kinds.pods, Self.pod("cart", behavior: "shutdown=20s", namespace: "shop"))
            #expect(await sim.waitFor(Kinds.pods, "cart", namespace: "shop") { PodState.isReady($0) } != nil)
            _ = try await sim.store.delete(ObjectStore.namespaceType, namespace: nil, name: "shop")
            try await Task.sleep(for: .milliseconds(500))
            #expect(await sim.get(Kinds.pods, "cart", namespace: "shop")?.isDeleting == true)
            #expect(await sim.get(ObjectStore.namespaceType, "shop")?[path: "status", "phase"] == "Terminating")
            #expect(await sim.eventually(timeout: 10) { await sim.get(ObjectStore.namespaceType, "shop") == nil })
            #expect(await sim.get(Kinds.pods, "cart", namespace: "shop") == nil)
        }
    }
}

import Foundation
import Structured
import Testing
import TestSupport
@testable import KubeSim

/// Stuck and slow finalizers from the fault plan, seen through the real kubectl: a stuck object
/// stays Terminating; a slow one goes away after its delay, which `kubectl delete` (waiting for
/// the object to be gone, as against a real cluster) sits through.
@Suite struct FinalizerFaultTests {
    @Test(.timeLimit(.minutes(1))) func stuckFinalizerKeepsTheObjectTerminating() async throws {
        try await SimCluster.with { sim in
            await sim.server.setFaults(FaultPlan(stuckFinalizers: [.init(resource: "configmaps", namespace: "default")]))
            #expect(try await sim.kubectl("create", "configmap", "stuck", "--from-literal=a=b").succeeded)
            #expect(try await sim.kubectl("create", "configmap", "elsewhere", "-n", "kube-system", "--from-literal=a=b").succeeded)
            let deleted = try await sim.kubectl("delete", "configmap", "stuck", "--wait=false")
            #expect(deleted.succeeded)
            try await Task.sleep(for: .milliseconds(300))
            let object = try await sim.kubectlJSON("get", "configmap", "stuck")
            #expect(object["metadata"]?["finalizers"] == ["kubesim.io/stuck"])
            #expect(object["metadata"]?["deletionTimestamp"]?.stringValue != nil)
            // Only the rule's namespace is affected.
            let other = try await sim.kubectlJSON("get", "configmap", "elsewhere", "-n", "kube-system")
            #expect(other["metadata"]?["finalizers"] == nil)
        }
    }

    @Test(.timeLimit(.minutes(1))) func slowFinalizerIsReleasedAfterItsDelay() async throws {
        try await SimCluster.with { sim in
            await sim.server.setFaults(FaultPlan(stuckFinalizers: [.init(resource: "configmaps", releaseAfterSeconds: 1.5)]))
            #expect(try await sim.kubectl("create", "configmap", "slow", "--from-literal=a=b").succeeded)
            let created = try await sim.kubectlJSON("get", "configmap", "slow")
            #expect(created["metadata"]?["finalizers"] == ["kubesim.io/release-after-1.5s"])
            let start = ContinuousClock.now
            let deleted = try await sim.kubectl("delete", "configmap", "slow")  // waits until it is gone
            let waited = ContinuousClock.now - start
            #expect(deleted.succeeded, "\(deleted.stderr)")
            #expect(deleted.stdout.contains("configmap \"slow\" deleted"))
            #expect(waited >= .milliseconds(1400) && waited < .seconds(10), "kubectl delete took \(waited)")
            let gone = try await sim.kubectl("get", "configmap", "slow")
            #expect(!gone.succeeded && gone.stderr.contains("NotFound"))
        }
    }

    @Test func planRoundTripsThroughJSON() throws {
        let plan = FaultPlan(stuckFinalizers: [.init(resource: "secrets", namespace: "demo"), .init(resource: "configmaps", releaseAfterSeconds: 3)])
        #expect(FaultPlan(json: plan.json) == plan)
        #expect(plan.stuckFinalizers.map(\.finalizer) == ["kubesim.io/stuck", "kubesim.io/release-after-3s"])
    }
}

import Charts
import Deploy
import Foundation
import Kube
import Releases
import SimClusterSupport
import Structured
import Testing

/// Failure at every stage: what the cluster and the release record hold afterwards.
@Suite struct FailureTests {
    static let chart = SimCluster.chart("ordered")

    static func converge(_ sim: SimCluster, _ sets: [String], configure: (inout DeployOptions) -> Void = { _ in }) async throws(DeployError) -> Release {
        var values = ValueOptions()
        values.values = sets
        return try await ConvergeTests.deployer(sim, configure: configure).converge(ChartInput(path: chart, values: values))
    }

    @Test func invalidManifestFailsBeforeAnyWrite() async throws {
        try await SimCluster.with { (sim: SimCluster) async throws in
            let bad = try DeployPreparerTests.chartWith(sim, """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: c
                  annotations:
                    werf.io/weight: heavy
                """)
            do {
                try await ConvergeTests.deployer(sim).converge(ChartInput(path: bad))
                Issue.record("expected a validation error")
            } catch {
                #expect("\(error)".contains("ConfigMap/c (bad/templates/t.yaml): annotation werf.io/weight: \"heavy\" is not an integer"))
            }
            #expect(try sim.writes().isEmpty)
            #expect(try await sim.store().historyIfAny("app").isEmpty)
        }
    }

    @Test func failingHookFailsTheReleaseBeforeMainResources() async throws {
        try await SimCluster.with { (sim: SimCluster) async throws in
            do {
                _ = try await Self.converge(sim, ["hookBehavior=exit=1"])
                Issue.record("expected the hook to fail")
            } catch {
                #expect("\(error)".contains("Job/default/app-pre-0"))
            }
            let release = try await sim.store().last("app")
            #expect(release.status == .failed)
            #expect(release.info.description.hasPrefix("Release \"app\" failed: Job/default/app-pre-0"))
            #expect(release.hooks.first { $0.name == "app-pre-0" }?.lastRun.phase == "Failed")
            #expect(try await sim.object("v1", "ConfigMap", "app-config") == nil)
            #expect(try await sim.object("batch/v1", "Job", "app-pre-1") == nil)
            // before-hook-creation only: the failed hook stays for inspection.
            #expect(try await sim.object("batch/v1", "Job", "app-pre-0") != nil)
        }
    }

    @Test func failedHookWithHookFailedPolicyIsDeleted() async throws {
        try await SimCluster.with { (sim: SimCluster) async throws in
            do {
                _ = try await Self.converge(sim, ["hookBehavior=exit=1", "hookPolicy=hook-failed"])
                Issue.record("expected the hook to fail")
            } catch {}
            #expect(try await sim.store().last("app").status == .failed)
            #expect(try await sim.object("batch/v1", "Job", "app-pre-0") == nil)
            #expect(try sim.writes().contains { $0.verb == "delete" && $0.kind == "Job" && $0.name == "app-pre-0" })
        }
    }

    @Test func crashLoopingDeploymentFailsAndItsNewResourcesAreDeleted() async throws {
        try await SimCluster.with(scale: 10) { (sim: SimCluster) async throws in
            do {
                _ = try await Self.converge(sim, ["behavior=crashloop never-ready", "failuresAllowed=0"])
                Issue.record("expected the Deployment to fail")
            } catch {
                #expect("\(error)".contains("Deployment/default/app-web failed"))
                #expect("\(error)".contains("CrashLoopBackOff"))
            }
            let release = try await sim.store().last("app")
            #expect(release.status == .failed)
            for (apiVersion, kind, name) in [("v1", "ConfigMap", "app-config"), ("apps/v1", "Deployment", "app-web"),
                                             ("v1", "Service", "app-web"), ("example.com/v1", "Widget", "app-widget")] {
                #expect(try await sim.object(apiVersion, kind, name) == nil, "\(kind)/\(name) should be deleted")
            }
            // Weight 10 never started.
            #expect(!(try sim.writes().contains { $0.name == "app-late" }))
        }
    }

    @Test func keepCreatedOnFailureLeavesThem() async throws {
        try await SimCluster.with(scale: 10) { (sim: SimCluster) async throws in
            do {
                _ = try await Self.converge(sim, ["behavior=crashloop never-ready", "failuresAllowed=0"]) { $0.keepCreatedOnFailure = true }
                Issue.record("expected the Deployment to fail")
            } catch {}
            #expect(try await sim.object("apps/v1", "Deployment", "app-web") != nil)
            #expect(try await sim.object("v1", "ConfigMap", "app-config") != nil)
        }
    }

    @Test func timeoutFailsTheReleaseNamingWhatItWaitedFor() async throws {
        // The simulated clock runs 10x so the hooks before the never-ready Deployment finish well
        // inside the 8 s even on a loaded machine (at 1x they take 1.5 s each; 4 s was once not
        // enough to reach the Deployment with the whole DeployTests target running at load 8).
        try await SimCluster.with(scale: 10) { (sim: SimCluster) async throws in
            do {
                _ = try await Self.converge(sim, ["behavior=never-ready"]) { $0.timeout = 8 }
                Issue.record("expected a timeout")
            } catch {
                guard case .timeout(let message)? = error as? DeployError else { Issue.record("not a timeout: \(error)"); return }
                #expect(message.contains("timed out after 8s waiting for: track Deployment/default/app-web"))
            }
            #expect(try await sim.store().last("app").status == .failed)
        }
    }

    @Test func autoRollbackReappliesTheLastDeployedRevision() async throws {
        try await SimCluster.with(scale: 10) { (sim: SimCluster) async throws in
            _ = try await Self.converge(sim, [])
            do {
                _ = try await Self.converge(sim, ["behavior=crashloop never-ready", "failuresAllowed=0", "extra=true"]) { $0.autoRollback = true }
                Issue.record("expected the upgrade to fail")
            } catch {}
            let history = try await sim.store().history("app")
            // As helm rollback: the failed revision is superseded by the rollback, its description kept.
            try #require(history.map(\.status) == [.superseded, .superseded, .deployed])
            #expect(history[1].info.description.hasPrefix("Upgrade \"app\" failed: Deployment/default/app-web failed"))
            #expect(history[2].info.description == "Rollback to 1")
            let deployment = try #require(try await sim.object("apps/v1", "Deployment", "app-web"))
            #expect(deployment[path: "spec", "template", "metadata", "annotations", "kubesim.bosun.dev/behavior"]?.stringValue == "")
            #expect(try await sim.object("v1", "ConfigMap", "app-extra") == nil)
        }
    }

    /// The same upgrade with the Deployment watch half a second behind the apply (what a loaded
    /// machine does): when tracking starts, the informers still hold generation 1 rolled out, and
    /// that must not pass for the crash-looping generation 2 the apply returned.
    @Test func autoRollbackHoldsWhenTheWatchLagsBehindTheApply() async throws {
        try await SimCluster.with(scale: 10) { (sim: SimCluster) async throws in
            _ = try await Self.converge(sim, [])
            var values = ValueOptions()
            values.values = ["behavior=crashloop never-ready", "failuresAllowed=0", "extra=true"]
            var options = DeployOptions(releaseName: "app", namespace: "default", timeout: 60)
            options.autoRollback = true
            let lagging = LaggingWatchClient(base: sim.client, kinds: ["Deployment"], lag: .milliseconds(500))
            do {
                _ = try await ReleaseDeployer(client: lagging, store: sim.store(), options: options).converge(ChartInput(path: Self.chart, values: values))
                Issue.record("expected the upgrade to fail")
            } catch {
                #expect("\(error)".contains("Deployment/default/app-web failed"))
            }
            let history = try await sim.store().history("app")
            try #require(history.map(\.status) == [.superseded, .superseded, .deployed])
            #expect(history[2].info.description == "Rollback to 1")
        }
    }
}

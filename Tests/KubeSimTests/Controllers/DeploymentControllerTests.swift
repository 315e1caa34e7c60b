import Foundation
import Structured
import Testing
@testable import KubeSim

/// The Deployment and ReplicaSet controllers with the kubelet on a store, clock 20x.
@Suite(.serialized) struct DeploymentControllerTests {
    static func deployment(_ name: String = "web", replicas: Int = 3, image: String = "nginx:1.27", extra: String = "",
                           behavior: String? = nil, strategy: String = "") -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: \(name), namespace: default}
        spec:
          replicas: \(replicas)
        \(extra.isEmpty ? "" : "  " + extra)
        \(strategy.isEmpty ? "" : "  strategy: " + strategy)
          selector: {matchLabels: {app: \(name)}}
          template:
            metadata:
              labels: {app: \(name)}
        \(behavior.map { "      annotations: {kubesim.bosun.dev/behavior: \"\($0)\"}" } ?? "")
            spec:
              containers: [{name: web, image: "\(image)"}]
        """
    }

    static func complete(_ d: Value) -> Bool {
        let replicas = d.int("spec", "replicas") ?? 1
        return d.int("status", "observedGeneration") == d.generation && (d.int("status", "updatedReplicas") ?? 0) == replicas
            && (d.int("status", "availableReplicas") ?? 0) == replicas && (d.int("status", "replicas") ?? 0) == replicas
            && d.condition("Progressing")?["reason"]?.stringValue == "NewReplicaSetAvailable"
    }

    @Test func rolloutCreatesHashedReplicaSetAndReadyPods() async throws {
        try await SimulationHarness.with { sim in
            try await sim.create(Kinds.deployments, Self.deployment())
            let d = try #require(await sim.waitFor(Kinds.deployments, "web", Self.complete))
            #expect(Self.complete(d))
            let sets = await sim.list(Kinds.replicaSets).filter { $0.isControlled(by: d) }
            #expect(sets.count == 1)
            let rs = try #require(sets.first)
            let hash = rs.labels["pod-template-hash"] ?? ""
            #expect(rs.name == "web-\(hash)" && (9...10).contains(hash.count))
            #expect(hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
            #expect(rs.annotations["deployment.kubernetes.io/revision"] == "1" && d.annotations["deployment.kubernetes.io/revision"] == "1")
            #expect(rs[path: "metadata", "ownerReferences"]?.arrayValue?.first?["blockOwnerDeletion"] == true)
            let pods = await sim.pods(ownedBy: rs)
            #expect(pods.count == 3 && pods.allSatisfy { $0.name.hasPrefix("web-\(hash)-") && $0.name.count == "web-\(hash)-".count + 5 })
            #expect(pods.allSatisfy { $0[path: "status", "phase"] == "Running" && PodState.isReady($0) && $0[path: "status", "podIP"] != nil })
            #expect(d.condition("Available")?["reason"] == "MinimumReplicasAvailable")
            let reasons = await sim.events(for: "web").compactMap { $0["reason"]?.stringValue }
            #expect(reasons.contains("ScalingReplicaSet"))
            let rsEvents = await sim.events(for: rs.name).compactMap { $0["reason"]?.stringValue }
            #expect(rsEvents.filter { $0 == "SuccessfulCreate" }.count == 3)
            let podEvents = await sim.events(for: pods[0].name).compactMap { $0["reason"]?.stringValue }
            #expect(podEvents.contains("Scheduled") && podEvents.contains("Started"))
        }
    }

    @Test func rollingUpdateHonoursSurgeAndKeepsHistory() async throws {
        try await SimulationHarness.with { sim in
            try await sim.create(Kinds.deployments, Self.deployment(extra: "revisionHistoryLimit: 1", strategy: "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}"))
            _ = await sim.waitFor(Kinds.deployments, "web", Self.complete)
            for image in ["nginx:1.28", "nginx:1.29"] {
                var d = try #require(await sim.get(Kinds.deployments, "web"))
                d.set(path: ["spec", "template", "spec", "containers"], to: [["name": "web", "image": .string(image)]])
                d.setMetadata("resourceVersion", nil)
                _ = try await sim.store.update(Kinds.deployments, namespace: "default", object: d)
                // Never more than replicas + maxSurge pods, never fewer than replicas available.
                var maxPods = 0
                let done = await sim.eventually {
                    let pods = await sim.list(Kinds.pods).filter { $0.labels["app"] == "web" && PodState.isActive($0) }
                    maxPods = max(maxPods, pods.count)
                    let d = await sim.get(Kinds.deployments, "web")
                    return d.map(Self.complete) ?? false && d?.int("status", "observedGeneration") == d?.generation
                }
                #expect(done && maxPods <= 4)
            }
            let d = try #require(await sim.get(Kinds.deployments, "web"))
            #expect(d.annotations["deployment.kubernetes.io/revision"] == "3")
            let sets = await sim.list(Kinds.replicaSets).filter { $0.isControlled(by: d) }
            // The newest plus revisionHistoryLimit (1) old one.
            #expect(sets.count == 2)
            #expect(Set(sets.compactMap { $0.annotations["deployment.kubernetes.io/revision"] }) == ["2", "3"])
        }
    }

    @Test func recreateScalesOldToZeroFirst() async throws {
        try await SimulationHarness.with { sim in
            try await sim.create(Kinds.deployments, Self.deployment(replicas: 2, strategy: "{type: Recreate}"))
            _ = await sim.waitFor(Kinds.deployments, "web", Self.complete)
            var d = try #require(await sim.get(Kinds.deployments, "web"))
            d.set(path: ["spec", "template", "spec", "containers"], to: [["name": "web", "image": "nginx:2"]])
            d.setMetadata("resourceVersion", nil)
            _ = try await sim.store.update(Kinds.deployments, namespace: "default", object: d)
            var mixed = false
            let done = await sim.eventually {
                let pods = await sim.list(Kinds.pods).filter { $0.labels["app"] == "web" }
                if Set(pods.compactMap { $0.labels["pod-template-hash"] }).count > 1 { mixed = true }
                return await sim.get(Kinds.deployments, "web").map { Self.complete($0) && $0.generation == 2 } ?? false
            }
            #expect(done && !mixed)
        }
    }

    @Test func progressDeadlineExceededOnNeverReadyPods() async throws {
        // Clock 100x: the 10 s deadline passes in about a tenth of a second.
        try await SimulationHarness.with(scale: 100) { sim in
            try await sim.create(Kinds.deployments, Self.deployment(replicas: 1, extra: "progressDeadlineSeconds: 10", behavior: "never-ready"))
            let d = await sim.waitFor(Kinds.deployments, "web") { $0.condition("Progressing")?["reason"]?.stringValue == "ProgressDeadlineExceeded" }
            #expect(d?.condition("Progressing")?["status"] == "False")
            #expect(d?.condition("Progressing")?["message"]?.stringValue?.hasSuffix("has timed out progressing.") == true)
            #expect(d?.condition("Available")?["status"] == "False")
            #expect(d?.int("status", "unavailableReplicas") == 1)
        }
    }

    /// kubectl rollout status's rule (and Bosun's): the status is of the current generation and every
    /// replica is updated and available, with no old one left.
    static func rolledOut(_ d: Value) -> Bool {
        let replicas = d.int("spec", "replicas") ?? 1
        return (d.int("status", "observedGeneration") ?? 0) >= d.generation && (d.int("status", "updatedReplicas") ?? 0) == replicas
            && (d.int("status", "replicas") ?? 0) == replicas && (d.int("status", "availableReplicas") ?? 0) == replicas
    }

    /// An upgrade to a template whose pod crash-loops (replicas 1, as in Deploy's auto-rollback
    /// test): every status the controller writes is taken from the store's watch, none missed, and
    /// none says the new generation rolled out; the old pod keeps serving meanwhile.
    @Test func upgradeToACrashLoopingTemplateIsNeverReportedRolledOut() async throws {
        try await SimulationHarness.with(scale: 50) { sim in
            try await sim.create(Kinds.deployments, Self.deployment(replicas: 1))
            _ = await sim.waitFor(Kinds.deployments, "web", Self.complete)
            let stream = try await sim.store.watch(Kinds.deployments.groupResource, namespace: "default", initialState: false)
            let collector = Task {
                var seen: [Value] = []
                for await event in stream { seen.append(event.object) }
                return seen
            }
            var d = try #require(await sim.get(Kinds.deployments, "web"))
            d.set(path: ["spec", "template", "metadata", "annotations"], to: ["kubesim.bosun.dev/behavior": "crashloop never-ready"])
            d.setMetadata("resourceVersion", nil)
            let upgraded = try await sim.store.update(Kinds.deployments, namespace: "default", object: d)
            #expect(upgraded.generation == 2)
            // Two crashes of the new pod (about 32 simulated seconds).
            let crashed = await sim.eventually {
                await sim.list(Kinds.pods).contains { pod in
                    pod.annotations["kubesim.bosun.dev/behavior"] == "crashloop never-ready"
                        && (pod[path: "status", "containerStatuses"]?.arrayValue?.first?["restartCount"]?.intValue ?? 0) >= 2
                }
            }
            #expect(crashed)
            collector.cancel()
            let seen = await collector.value.filter { $0.generation == 2 }
            #expect(seen.contains { $0.int("status", "observedGeneration") == 2 && $0.int("status", "updatedReplicas") == 1 })
            for status in seen {
                #expect(!Self.rolledOut(status), "rolled out: \(status["status"] ?? .null)")
                if (status.int("status", "observedGeneration") ?? 0) >= 2 {
                    #expect(status.condition("Progressing")?["reason"]?.stringValue != "NewReplicaSetAvailable")
                }
            }
            let last = try #require(await sim.get(Kinds.deployments, "web"))
            #expect(last.int("status", "replicas") == 2 && last.int("status", "updatedReplicas") == 1 && last.int("status", "availableReplicas") == 1)
            let old = await sim.list(Kinds.replicaSets).filter { $0.annotations["deployment.kubernetes.io/revision"] == "1" }
            #expect(old.map { $0.int("spec", "replicas") } == [1])
        }
    }

    @Test func pausedDeploymentDoesNotRollOut() async throws {
        try await SimulationHarness.with { sim in
            try await sim.create(Kinds.deployments, Self.deployment(replicas: 1))
            _ = await sim.waitFor(Kinds.deployments, "web", Self.complete)
            var d = try #require(await sim.get(Kinds.deployments, "web"))
            d.set(path: ["spec", "paused"], to: true)
            d.set(path: ["spec", "template", "spec", "containers"], to: [["name": "web", "image": "nginx:9"]])
            d.setMetadata("resourceVersion", nil)
            _ = try await sim.store.update(Kinds.deployments, namespace: "default", object: d)
            let paused = await sim.waitFor(Kinds.deployments, "web") { $0.condition("Progressing")?["reason"]?.stringValue == "DeploymentPaused" }
            #expect(paused != nil)
            try await Task.sleep(for: .milliseconds(300))
            #expect(await sim.list(Kinds.replicaSets).count == 1)
        }
    }

    @Test func replicaSetScalesDownNotReadyFirstAndReportsStatus() async throws {
        try await SimulationHarness.with { sim in
            try await sim.create(Kinds.replicaSets, """
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata: {name: rs, namespace: default}
                spec:
                  replicas: 3
                  minReadySeconds: 2
                  selector: {matchLabels: {app: rs}}
                  template:
                    metadata: {labels: {app: rs}}
                    spec: {containers: [{name: c, image: busybox}]}
                """)
            let rs = await sim.waitFor(Kinds.replicaSets, "rs") { $0.int("status", "availableReplicas") == 3 }
            #expect(rs?.int("status", "readyReplicas") == 3 && rs?.int("status", "fullyLabeledReplicas") == 3 && rs?.int("status", "observedGeneration") == 1)
            var scaled = try #require(rs)
            scaled.set(path: ["spec", "replicas"], to: 1)
            scaled.setMetadata("resourceVersion", nil)
            _ = try await sim.store.update(Kinds.replicaSets, namespace: "default", object: scaled)
            let after = await sim.waitFor(Kinds.replicaSets, "rs") { $0.int("status", "replicas") == 1 }
            #expect(after?.int("status", "observedGeneration") == 2)
            let reasons = await sim.events(for: "rs").compactMap { $0["reason"]?.stringValue }
            #expect(reasons.filter { $0 == "SuccessfulDelete" }.count == 2)
        }
    }

    @Test func templateHashIsStableAndKeyOrderIndependent() {
        let a: Value = ["metadata": ["labels": ["app": "x"]], "spec": ["containers": [["name": "c", "image": "i"]]]]
        let b: Value = ["spec": ["containers": [["image": "i", "name": "c"]]], "metadata": ["labels": ["app": "x"]]]
        #expect(templateHash(a) == templateHash(b))
        #expect(templateHash(a) != templateHash(a, collisionCount: 1))
        #expect(safeEncode("4294967295").count == 10)
    }
}

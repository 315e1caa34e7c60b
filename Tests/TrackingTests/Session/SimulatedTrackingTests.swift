import Foundation
import Kube
import KubeSim
import Structured
import TestSupport
import Testing
@testable import Tracking

// Against kubesim with its controllers and kubelet (clock 10x): pods really start, print scripted
// logs, crash and roll out.
// Serialized: a dozen simulated clusters at once on two cores starve the kubelet's log streams.
@Suite(.serialized) struct SimulatedTrackingTests {
    static let behavior = "kubesim.bosun.dev/behavior"
    static let options = TrackingOptions(timeout: 40)

    @Test func everyKindBecomesReadyOnTheSimulatedCluster() async throws {
        try await TestCluster.with(simulated: true, scale: 10) { cluster in
            var objects = [
                Manifests.deployment("web", replicas: 2),
                Manifests.job("once"),
                Manifests.configMap("cfg"),
            ]
            objects.append([
                "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": "db", "namespace": "default"],
                "spec": ["replicas": 2, "serviceName": "db", "selector": ["matchLabels": ["app": "db"]],
                         "template": ["metadata": ["labels": ["app": "db"]], "spec": ["containers": [["name": "db", "image": "postgres"]]]]],
            ])
            objects.append([
                "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": ["name": "agent", "namespace": "default"],
                "spec": ["selector": ["matchLabels": ["app": "agent"]],
                         "template": ["metadata": ["labels": ["app": "agent"]], "spec": ["containers": [["name": "agent", "image": "agent"]]]]],
            ])
            _ = try await cluster.create([
                "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": ["name": "standard"],
                "provisioner": "kubesim.io/hostpath", "volumeBindingMode": "Immediate",
            ])
            objects.append([
                "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "data", "namespace": "default"],
                "spec": ["accessModes": ["ReadWriteOnce"], "storageClassName": "standard", "resources": ["requests": ["storage": "1Gi"]]],
            ])
            var requests: [TrackingRequest] = []
            for o in objects { requests.append(TrackingRequest(try await cluster.create(o), goal: o["kind"] == "Job" ? .completed : .ready)) }
            let result = try await TrackingSession(client: cluster.client, options: Self.options).run(requests)
            #expect(result.outcomes.map(\.id.kind) == ["Deployment", "Job", "ConfigMap", "StatefulSet", "DaemonSet", "PersistentVolumeClaim"])
            #expect(result.outcomes.map(\.kind) == Array(repeating: .ready, count: 6))
        }
    }

    @Test func rolloutWaitsWhileOldReplicaSetPodsAreStillReady() async throws {
        try await TestCluster.with(simulated: true, scale: 10) { cluster in
            let first = try await cluster.create(Manifests.deployment("web", replicas: 2))
            let initial = try await TrackingSession(client: cluster.client, options: Self.options).run([TrackingRequest(first)])
            #expect(initial.succeeded)

            // New template: new pods take 2 simulated seconds to become ready, old ones serve meanwhile.
            let changed = try await cluster.client.patch(
                try ObjectReference(of: first),
                .merge(["spec": ["template": ["metadata": ["annotations": [Self.behavior: "ready-after=2s"]],
                                              "spec": ["containers": [["name": "app", "image": "nginx:1.28"]]]]]]),
                options: WriteOptions())
            let all = try await Collected.run(try TrackingSession(client: cluster.client, options: Self.options).track(blocking(changed)))
            let states = all.states("web")
            let mixed = states.first { s in s.pods.contains { !$0.isNew && $0.status == "Running" } && s.pods.contains(where: \.isNew) }
            #expect(mixed?.phase == .progressing)
            #expect(states.last?.phase == .ready)
            #expect(states.last?.counts.upToDate == 2)
        }
    }

    @Test func logsStreamWithPodAndContainerPrefixesAndFilters() async throws {
        try await TestCluster.with(simulated: true, scale: 10) { cluster in
            let deploy = try await cluster.create(Manifests.deployment(
                "web", annotations: ["werf.io/show-logs-only-for-containers": "app", "werf.io/log-regex": "^(hello|debug)",
                                     "werf.io/log-regex-skip": "^debug"],
                podAnnotations: [Self.behavior: "ready-after=20s log=\"hello world\" log=\"debug noise\" every=2s"],
                containers: ["app", "sidecar"]))
            let all = try await Collected.run(try TrackingSession(client: cluster.client, options: Self.options).track(blocking(deploy)))
            #expect(all.result?.succeeded == true)
            #expect(!all.logs.isEmpty)
            #expect(all.logs.allSatisfy { $0.container == "app" && $0.text == "hello world" && $0.pod.hasPrefix("web-") })
            #expect(all.logs.first.map { $0.prefix.hasPrefix("[pod/web-") && $0.prefix.hasSuffix("/app]") } == true)
        }
    }

    @Test func perContainerRegexAndSkippedContainers() async throws {
        try await TestCluster.with(simulated: true, scale: 10) { cluster in
            let deploy = try await cluster.create(Manifests.deployment(
                "web", annotations: ["werf.io/skip-logs-for-containers": "sidecar", "werf.io/log-regex-for-app": "^kubesim"],
                podAnnotations: [Self.behavior: "ready-after=20s log=\"tick\" every=1s"], containers: ["app", "sidecar"]))
            let all = try await Collected.run(try TrackingSession(client: cluster.client, options: Self.options).track(blocking(deploy)))
            #expect(all.logs.map(\.text).count == 1)
            #expect(all.logs.first?.text.hasPrefix("kubesim: container app started") == true)
        }
    }

    @Test(arguments: [(nil, 1), ("2", 2)] as [(String?, Int)])
    func logsOfTheFirstReplicasOnly(annotation: String?, pods: Int) async throws {
        try await TestCluster.with(simulated: true, scale: 10) { cluster in
            var annotations: [String: String] = [:]
            if let annotation { annotations["werf.io/show-logs-only-for-number-of-replicas"] = annotation }
            let deploy = try await cluster.create(Manifests.deployment(
                "web", replicas: 3, annotations: annotations, podAnnotations: [Self.behavior: "ready-after=20s"]))
            let all = try await Collected.run(try TrackingSession(client: cluster.client, options: Self.options).track(blocking(deploy)))
            #expect(all.result?.succeeded == true)
            #expect(Set(all.logs.map(\.pod)).count == pods)
        }
    }

    @Test func skipLogsShowsNothing() async throws {
        try await TestCluster.with(simulated: true, scale: 10) { cluster in
            let deploy = try await cluster.create(Manifests.deployment(
                "web", annotations: ["werf.io/skip-logs": "true"], podAnnotations: [Self.behavior: "ready-after=2s log=\"tick\" every=500ms"]))
            let all = try await Collected.run(try TrackingSession(client: cluster.client, options: Self.options).track(blocking(deploy)))
            #expect(all.result?.succeeded == true)
            #expect(all.logs.isEmpty)
        }
    }

    @Test func failedJobReportsItsLogsAndTheLastLinesOfTheFailingContainer() async throws {
        try await TestCluster.with(simulated: true, scale: 10) { cluster in
            let job = try await cluster.create(Manifests.job("migrate", podAnnotations: [Self.behavior: "log=\"connecting\" log=\"fatal: no database\" exit=3 after=2s"]))
            let all = try await Collected.run(try TrackingSession(client: cluster.client, options: Self.options).track([TrackingRequest(job, goal: .completed)]))
            let outcome = try #require(all.result?.outcomes.first)
            #expect(outcome.kind == .failed)
            #expect(outcome.reasons.contains { $0.contains("BackoffLimitExceeded") })
            // Lines streamed before the failure (the end may race the follower); the tail has them all.
            #expect(all.logs.allSatisfy { $0.pod.hasPrefix("migrate-") && $0.container == "app" })
            let tails = all.events.compactMap { if case .failureLogs(_, let t) = $0 { return t } else { return nil } }
            #expect(tails.count == 1)
            #expect(tails.first?.container == "app")
            #expect(tails.first?.lines.suffix(2) == ["connecting", "fatal: no database"])
        }
    }

    @Test func crashLoopFailsADeploymentOnceTheAllowanceIsUsed() async throws {
        try await TestCluster.with(simulated: true, scale: 10) { cluster in
            let deploy = try await cluster.create(Manifests.deployment("web", podAnnotations: [Self.behavior: "crashloop ready-after=30s log=\"oops\""]))
            let all = try await Collected.run(try TrackingSession(client: cluster.client, options: Self.options).track(blocking(deploy)))
            let outcome = try #require(all.result?.outcomes.first)
            #expect(outcome.kind == .failed)
            #expect(outcome.reasons.count == 2)
            #expect(outcome.reasons.allSatisfy { $0.contains("container/app: CrashLoopBackOff") })
            #expect(all.notices.first == "1/1 allowed errors occurred for Deployment/web: continue tracking")
        }
    }

    @Test func progressDeadlineExceededFailsAStuckRollout() async throws {
        try await TestCluster.with(simulated: true, scale: 20) { cluster in
            var manifest = Manifests.deployment("web", podAnnotations: [Self.behavior: "never-ready"])
            manifest["spec"]?["progressDeadlineSeconds"] = 10
            let deploy = try await cluster.create(manifest)
            let result = try await TrackingSession(client: cluster.client, options: Self.options).run([TrackingRequest(deploy)])
            #expect(result.outcomes.first?.kind == .failed)
            #expect(result.outcomes.first?.reasons.contains { $0.hasPrefix("ProgressDeadlineExceeded") } == true)
        }
    }
}

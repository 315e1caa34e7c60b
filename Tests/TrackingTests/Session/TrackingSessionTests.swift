import Foundation
import Kube
import KubeSim
import Structured
import TestSupport
import Testing
@testable import Tracking

// A bare API server (no controllers or kubelet): each test writes statuses and pods itself, so
// the states it asserts are deterministic.
@Suite struct TrackingSessionTests {
    @Test func deploymentTurnsReadyThroughTheWatches() async throws {
        let directory = try makeTemporaryDirectory("tracking-session")
        let server = try await KubeSimServer.start(.init(kubeconfigPath: directory + "/kubeconfig", simulation: nil))
        let connection = try KubeConfigLoader(kubeconfig: directory + "/kubeconfig", environment: [:], homeDirectory: directory).load()
        let client = try HTTPKubeClient(connection: connection, discoveryCacheDirectory: nil)
        do {
            let manifest: Value = [
                "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default"],
                "spec": ["replicas": 2, "selector": ["matchLabels": ["app": "web"]],
                         "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "app", "image": "web:1"]]]]],
            ]
            let created = try await client.create(manifest, options: WriteOptions())
            let id = ResourceID(created)
            let stream = try TrackingSession(client: client).track([manifest])
            var iterator = stream.makeAsyncIterator()

            guard case .state(let firstID, let first)? = try await iterator.next() else { Issue.record("no first state"); return }
            #expect(firstID == id)
            #expect(first.phase == .progressing)
            #expect(first.waitingFor.first == "observed generation 0 should be >= 1")

            // Play the deployment controller: write a finished rollout through the status subresource.
            let type = await server.store.registry.lookup(group: "apps", version: "v1", plural: "deployments")!
            var live = try await server.store.get(type, namespace: "default", name: "web")
            live["status"] = ["observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2]
            _ = try await server.store.update(type, namespace: "default", object: live, subresource: "status")

            var last: ResourceState?
            var finished: (ready: [ResourceID], failed: [ResourceID])?
            while let event = try await iterator.next() {
                switch event {
                case .state(let eventID, let state):
                    #expect(eventID == id)
                    last = state
                case .finished(let ready, let failed):
                    finished = (ready, failed)
                }
            }
            #expect(last?.phase == .ready)
            #expect(last?.counts == ResourceCounts(desired: 2, replicas: 2, upToDate: 2, available: 2, ready: 2))
            #expect(finished?.ready == [id])
            #expect(finished?.failed == [])
        } catch {
            await client.shutdown()
            await server.shutdown()
            throw error
        }
        await client.shutdown()
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test func oneListAndWatchPerKindAndNamespaceWhateverTheResourceCount() async throws {
        let directory = try makeTemporaryDirectory("tracking-session")
        let audit = directory + "/audit.log"
        let server = try await KubeSimServer.start(.init(kubeconfigPath: directory + "/kubeconfig", auditLogPath: audit, simulation: nil))
        let connection = try KubeConfigLoader(kubeconfig: directory + "/kubeconfig", environment: [:], homeDirectory: directory).load()
        let client = try HTTPKubeClient(connection: connection, discoveryCacheDirectory: nil)
        do {
            var manifests: [Value] = []
            for name in ["a", "b", "c"] {
                let m: Value = [
                    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name), "namespace": "default"],
                    "spec": ["replicas": 1, "selector": ["matchLabels": ["app": .string(name)]],
                             "template": ["metadata": ["labels": ["app": .string(name)]], "spec": ["containers": [["name": "app", "image": "x"]]]]],
                ]
                manifests.append(try await client.create(m, options: WriteOptions()))
            }
            let stream = try TrackingSession(client: client).track(manifests)
            var seen: Set<String> = []
            for try await event in stream {
                if case .state(let id, let state) = event, state.phase == .progressing { seen.insert(id.name) }
                if seen.count == 3 { break }
            }
            #expect(seen == ["a", "b", "c"])
            // The other informers may still be starting: give them a moment to list.
            var lists: [String: Int] = [:]
            for _ in 0..<100 {
                lists = [:]
                for line in try String(contentsOfFile: audit, encoding: .utf8).split(separator: "\n") {
                    let entry = try JSON.decode(String(line))
                    guard entry["verb"]?.stringValue == "list" else { continue }
                    lists[entry["resource"]?.stringValue ?? "", default: 0] += 1
                }
                if lists.count == 4 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(lists == ["deployments": 1, "replicasets": 1, "pods": 1, "events": 1])
        } catch {
            await client.shutdown()
            await server.shutdown()
            throw error
        }
        await client.shutdown()
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test func firstCrashOfAJobPodFailsTheJob() async throws {
        let directory = try makeTemporaryDirectory("tracking-session")
        let server = try await KubeSimServer.start(.init(kubeconfigPath: directory + "/kubeconfig", simulation: nil))
        let connection = try KubeConfigLoader(kubeconfig: directory + "/kubeconfig", environment: [:], homeDirectory: directory).load()
        let client = try HTTPKubeClient(connection: connection, discoveryCacheDirectory: nil)
        do {
            let job = try await client.create([
                "apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "migrate", "namespace": "default"],
                "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": [["name": "app", "image": "x"]]]]],
            ], options: WriteOptions())
            let stream = try TrackingSession(client: client).track([job])
            var iterator = stream.makeAsyncIterator()
            guard case .state(_, let first)? = try await iterator.next() else { Issue.record("no first state"); return }
            #expect(first.phase == .progressing)

            // Play the job controller and kubelet: a pod owned by the Job whose image cannot be pulled.
            let pods = await server.store.registry.lookup(group: "", version: "v1", plural: "pods")!
            var pod = try await server.store.create(pods, namespace: "default", object: [
                "apiVersion": "v1", "kind": "Pod",
                "metadata": ["name": "migrate-x1", "namespace": "default",
                             "ownerReferences": [["apiVersion": "batch/v1", "kind": "Job", "name": "migrate", "uid": job[path: "metadata", "uid"]!, "controller": true]]],
                "spec": ["restartPolicy": "Never", "containers": [["name": "app", "image": "x"]]],
            ])
            pod["status"] = ["phase": "Pending", "containerStatuses": [["name": "app", "ready": false, "restartCount": 0,
                             "state": ["waiting": ["reason": "ImagePullBackOff", "message": "Back-off pulling image \"x\""]]]]]
            _ = try await server.store.update(pods, namespace: "default", object: pod, subresource: "status")

            var last: ResourceState?
            var failed: [ResourceID] = []
            while let event = try await iterator.next() {
                switch event {
                case .state(_, let state): last = state
                case .finished(_, let f): failed = f
                }
            }
            #expect(last?.phase == .failed)
            #expect(last?.errors.map(\.description) == ["po/migrate-x1 container/app: ImagePullBackOff: Back-off pulling image \"x\""])
            #expect(last?.pods.map(\.status) == ["ImagePullBackOff"])
            #expect(failed.map(\.name) == ["migrate"])
        } catch {
            await client.shutdown()
            await server.shutdown()
            throw error
        }
        await client.shutdown()
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

import Foundation
import Kube
import KubeSim
import Structured
import TestSupport
import Testing
@testable import Tracking

@Suite struct TrackingSessionTests {
    @Test func deploymentTurnsReadyThroughTheWatches() async throws {
        let directory = try makeTemporaryDirectory("tracking-session")
        let server = try await KubeSimServer.start(.init(kubeconfigPath: directory + "/kubeconfig"))
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
}

import Foundation
import KubeSim
import Structured
import Testing
import TestSupport

@testable import Kube

/// Collects an informer's or watch's events so tests can wait for what they expect.
actor EventLog<Event: Sendable> {
    private(set) var events: [Event] = []
    private(set) var failure: (any Error)?
    private var task: Task<Void, Never>?

    func start(_ stream: AsyncThrowingStream<Event, any Error>) {
        task = Task {
            do {
                for try await event in stream { self.append(event) }
            } catch {
                self.fail(error)
            }
        }
    }

    private func append(_ event: Event) { events.append(event) }
    private func fail(_ error: any Error) { failure = error }
    func stop() { task?.cancel() }

    /// Wait (up to `timeout`) until `done` holds for the events so far.
    func wait(timeout: Duration = .seconds(10), until done: @Sendable ([Event]) -> Bool) async -> [Event] {
        let deadline = ContinuousClock.now + timeout
        while !done(events) && failure == nil && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return events
    }
}

func label(_ event: InformerEvent) -> String {
    switch event {
    case .added(let o): return "added " + (o[path: "metadata", "name"]?.stringValue ?? "?")
    case .modified(let o): return "modified " + (o[path: "metadata", "name"]?.stringValue ?? "?")
    case .deleted(let o): return "deleted " + (o[path: "metadata", "name"]?.stringValue ?? "?")
    case .synced: return "synced"
    }
}

@Suite struct HTTPKubeClientWatchTests {
    let configMaps = ResourceSelector(apiVersion: "v1", kind: "ConfigMap", namespace: "w")

    func prepare(_ client: HTTPKubeClient) async throws {
        _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "w"]])
    }

    @Test func rawWatchFromResourceVersion() async throws {
        try await SimHarness.with { sim in
            let client = try sim.client()
            try await prepare(client)
            let start = try await client.list(configMaps)
            _ = try await client.create(configMap("x", namespace: "w"))
            _ = try await client.patch(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "w", name: "x"), .merge(["data": ["k": "2"]]))
            _ = try await client.delete(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "w", name: "x"))
            let log = EventLog<WatchEvent>()
            await log.start(client.watch(configMaps, options: WatchOptions(resourceVersion: start.resourceVersion)))
            let events = await log.wait { $0.filter { $0.type != .bookmark }.count >= 3 }
            #expect(events.filter { $0.type != .bookmark }.map(\.type) == [.added, .modified, .deleted])
            #expect(events.first?.object[path: "metadata", "name"] == "x")
            let watches = try sim.audit().filter { $0["verb"] == "watch" }
            #expect(watches.first?["query"]?.stringValue?.contains("allowWatchBookmarks=true") == true)
            await log.stop()
            await client.shutdown()
        }
    }

    @Test func informerListsThenResumesAfterDroppedWatch() async throws {
        try await SimHarness.with { sim in
            let client = try sim.client()
            try await prepare(client)
            for name in ["a", "b"] { _ = try await client.create(configMap(name, namespace: "w")) }
            let log = EventLog<InformerEvent>()
            await log.start(client.informer(configMaps, options: ListOptions(limit: 1)))
            var events = await log.wait { $0.map(label).contains("synced") }
            #expect(events.map(label).filter { $0 != "added kube-root-ca.crt" } == ["added a", "added b", "synced"])

            _ = try await client.create(configMap("c", namespace: "w"))
            events = await log.wait { $0.map(label).contains("added c") }
            await sim.server.store.dropWatches()
            _ = try await client.create(configMap("d", namespace: "w"))
            _ = try await client.delete(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "w", name: "a"))
            events = await log.wait { $0.map(label).contains("deleted a") }
            #expect(events.map(label).filter { $0 != "added kube-root-ca.crt" }
                == ["added a", "added b", "synced", "added c", "added d", "deleted a"])
            await log.stop()
            await client.shutdown()
            let audit = try sim.audit().filter { $0["resource"] == "configmaps" }
            #expect(audit.filter { $0["verb"] == "watch" }.count >= 2)
            // Only the first list (paged by 1): the drop was resumed, not re-listed.
            #expect(audit.filter { $0["verb"] == "list" && !($0["query"]?.stringValue?.contains("continue=") ?? false) }.count == 1)
        }
    }

    @Test func informerRelistsAfterGoneAndReportsTheDifference() async throws {
        try await SimHarness.with { sim in
            let client = try sim.client()
            try await prepare(client)
            for name in ["a", "b"] { _ = try await client.create(configMap(name, namespace: "w")) }
            let log = EventLog<InformerEvent>()
            await log.start(client.informer(configMaps))
            _ = await log.wait { $0.map(label).contains("synced") }

            // Every resume now gets 410 Gone; changes happen while the informer cannot watch.
            await sim.server.setFaults(FaultPlan(expireResourceVersions: true))
            await sim.server.store.compactHistory()
            await sim.server.store.dropWatches()
            _ = try await client.delete(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "w", name: "a"))
            _ = try await client.create(configMap("c", namespace: "w"))
            _ = try await client.patch(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "w", name: "b"), .merge(["data": ["k": "2"]]))
            try await Task.sleep(for: .milliseconds(300))
            await sim.server.setFaults(FaultPlan())
            let events = await log.wait { labels in
                let l = labels.map(label)
                return l.contains("deleted a") && l.contains("added c") && l.contains("modified b")
            }
            let changes = events.map(label).filter { $0 != "synced" && $0 != "added kube-root-ca.crt" }
            #expect(changes.count == 5, "\(changes)")
            #expect(Set(changes) == ["added a", "added b", "deleted a", "added c", "modified b"])
            await log.stop()
            await client.shutdown()
            let relists = try sim.audit().filter { $0["resource"] == "configmaps" && $0["verb"] == "list" }
            #expect(relists.count >= 2)
        }
    }

    @Test func rawWatchReportsGone() async throws {
        try await SimHarness.with { sim in
            let client = try sim.client()
            try await prepare(client)
            let start = try await client.list(configMaps)
            for i in 0..<3 { _ = try await client.create(configMap("g\(i)", namespace: "w")) }
            await sim.server.store.compactHistory()
            _ = try await client.create(configMap("late", namespace: "w"))
            let log = EventLog<WatchEvent>()
            await log.start(client.watch(configMaps, options: WatchOptions(resourceVersion: start.resourceVersion)))
            let events = await log.wait { $0.contains { $0.type == .error } }
            let failure = await log.failure
            let goneEvent = events.first { $0.type == .error }.flatMap { APIStatus($0.object) }
            #expect(goneEvent?.code == 410 || (failure as? KubeError)?.isGone == true)
            await log.stop()
            await client.shutdown()
        }
    }
}

import Foundation
import Structured
import Testing
@testable import KubeSim

/// The bounded, batched buffer between the store and a client watch's writer.
@Suite struct WatchQueueTests {
    let configMaps = ResourceRegistry.builtIn.lookup(group: "", version: "v1", plural: "configmaps")!

    func configMap(_ name: String) -> Value {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)]]
    }

    /// Events queued while the writer is busy come out together, in resourceVersion order.
    @Test func queuedEventsComeOutInOneBatchInOrder() async throws {
        let store = await ObjectStore()
        let (queue, _) = try await store.openWatch(configMaps.groupResource, namespace: "default", since: nil,
                                                   initialState: false, capacity: 100)
        for i in 0..<5 { _ = try await store.create(configMaps, namespace: "default", object: configMap("c\(i)")) }
        let batch = try #require(await queue.next(limit: 512))
        #expect(batch.events.map(\.object.name) == ["c0", "c1", "c2", "c3", "c4"])
        #expect(batch.events.map(\.resourceVersion) == batch.events.map(\.resourceVersion).sorted())
        queue.finish()
        #expect(await queue.next(limit: 512) == nil)
    }

    /// The initial state is sent before live events and does not count against the capacity.
    @Test func initialStateDoesNotCountAgainstCapacity() async throws {
        let store = await ObjectStore()
        for i in 0..<10 { _ = try await store.create(configMaps, namespace: "default", object: configMap("c\(i)")) }
        let (queue, _) = try await store.openWatch(configMaps.groupResource, namespace: "default", since: nil,
                                                   initialState: true, capacity: 2)
        #expect(queue.initialCount == 11)  // with kube-root-ca.crt
        _ = try await store.create(configMaps, namespace: "default", object: configMap("live"))
        var names: [String] = []
        while names.count < 12, let batch = await queue.next(limit: 4) { names += batch.events.map(\.object.name) }
        #expect(names.last == "live")
        #expect(!queue.wasOverflowed)
    }

    /// Flow control: a watch more than `WatchLag.threshold` events behind counts as behind until
    /// its writer takes it below half of that (or it ends); while one is behind, a write waits, but
    /// never longer than `WatchLag.maxWait`.
    @Test func watchesFarBehindSlowWritesDownBriefly() async throws {
        let store = await ObjectStore()
        let (queue, _) = try await store.openWatch(configMaps.groupResource, namespace: "default", since: nil,
                                                   initialState: false, capacity: 2000)
        let lag = store.watchLag
        for i in 0..<(WatchLag.threshold - 1) { _ = try await store.create(configMaps, namespace: "default", object: configMap("c\(i)")) }
        #expect(lag.watchesBehind == 0)
        // Nobody behind: no wait at all (the bound only allows for a descheduled test thread).
        let quick = ContinuousClock.now
        await lag.waitForWatches()
        #expect(ContinuousClock.now - quick < .milliseconds(100))
        _ = try await store.create(configMaps, namespace: "default", object: configMap("last"))
        #expect(lag.watchesBehind == 1)
        let start = ContinuousClock.now
        await lag.waitForWatches()
        // At least maxWait; it returns even though the watch stays behind (how much later depends
        // on when the task pool resumes the sleeping task, which a parallel test run can delay).
        #expect(ContinuousClock.now - start >= WatchLag.maxWait)
        #expect(lag.watchesBehind == 1)
        // Taking all but a few brings it below half the threshold: no longer behind.
        _ = try #require(await queue.next(limit: WatchLag.threshold - 10))
        #expect(lag.watchesBehind == 0)
        for i in 0..<WatchLag.threshold { _ = try await store.create(configMaps, namespace: "default", object: configMap("d\(i)")) }
        #expect(lag.watchesBehind == 1)
        queue.finish()
        #expect(lag.watchesBehind == 0)
    }

    /// A writer more than `capacity` events behind is closed, as the API server closes an
    /// unresponsive watcher, and the store stops feeding it.
    @Test func overflowClosesTheWatchAndForgetsIt() async throws {
        let store = await ObjectStore()
        let before = await store.watchCount
        let (queue, _) = try await store.openWatch(configMaps.groupResource, namespace: "default", since: nil,
                                                   initialState: false, capacity: 3)
        #expect(await store.watchCount == before + 1)
        for i in 0..<4 { _ = try await store.create(configMaps, namespace: "default", object: configMap("c\(i)")) }
        #expect(queue.wasOverflowed)
        #expect(await queue.next(limit: 512) == nil)
        for _ in 0..<100 where await store.watchCount != before { try await Task.sleep(for: .milliseconds(5)) }
        #expect(await store.watchCount == before)
    }

    /// Cancelling the writer ends the watch.
    @Test func cancellingTheWriterFinishesTheQueue() async throws {
        let store = await ObjectStore()
        let before = await store.watchCount
        let (queue, _) = try await store.openWatch(configMaps.groupResource, namespace: "default", since: nil,
                                                   initialState: false, capacity: 10)
        let writer = Task { await queue.next(limit: 10) }
        try await Task.sleep(for: .milliseconds(20))
        writer.cancel()
        #expect(await writer.value == nil)
        for _ in 0..<100 where await store.watchCount != before { try await Task.sleep(for: .milliseconds(5)) }
        #expect(await store.watchCount == before)
    }

    /// Writes in a burst wake an idle writer once, then at most every interval: the later events
    /// of the burst arrive as one batch.
    @Test func burstsAreBatchedByTheFlusher() async throws {
        let store = await ObjectStore(watchBatchInterval: .seconds(1))
        let (queue, _) = try await store.openWatch(configMaps.groupResource, namespace: "default", since: nil,
                                                   initialState: false, capacity: 100)
        let batches = Task {
            var sizes: [Int] = []
            while sizes.reduce(0, +) < 6, let batch = await queue.next(limit: 512) { sizes.append(batch.events.count) }
            return sizes
        }
        func writerIdle() async throws {
            for _ in 0..<500 where !queue.hasIdleWriter { try await Task.sleep(for: .milliseconds(2)) }
        }
        try await writerIdle()
        _ = try await store.create(configMaps, namespace: "default", object: configMap("first"))
        try await Task.sleep(for: .milliseconds(10))
        try await writerIdle()
        for i in 0..<5 { _ = try await store.create(configMaps, namespace: "default", object: configMap("c\(i)")) }
        let sizes = await batches.value
        #expect(sizes == [1, 5])
    }
}

extension WatchQueue.Batch: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        a.bookmark == b.bookmark && a.events.map(\.resourceVersion) == b.events.map(\.resourceVersion)
    }
}

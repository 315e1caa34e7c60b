import Foundation

/// Keys waiting to be reconciled, deduplicated, plus keys due later (requeue after a delay).
/// Consumers wait on `signals`; producers are watch handlers and the reconcile loop itself.
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var queued: [ObjectKey] = []
    private var queuedSet: Set<ObjectKey> = []
    private var delayed: [ObjectKey: ContinuousClock.Instant] = [:]
    let signals: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    init() {
        (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func add(_ key: ObjectKey) {
        lock.withLock {
            if queuedSet.insert(key).inserted { queued.append(key) }
        }
        signal.yield()
    }

    /// Queue `key` once `delay` of real time has passed (an earlier pending deadline wins).
    func add(_ key: ObjectKey, after delay: Duration) {
        let due = ContinuousClock.now + delay
        lock.withLock {
            if let existing = delayed[key], existing <= due { return }
            delayed[key] = due
        }
    }

    func pop() -> ObjectKey? {
        lock.withLock {
            guard !queued.isEmpty else { return nil }
            let key = queued.removeFirst()
            queuedSet.remove(key)
            return key
        }
    }

    /// Move due delayed keys to the queue.
    func promoteDue() {
        let now = ContinuousClock.now
        let due: [ObjectKey] = lock.withLock {
            let keys = delayed.filter { $0.value <= now }.map(\.key)
            for k in keys { delayed[k] = nil }
            return keys
        }
        for key in due { add(key) }
    }

    func finish() { signal.finish() }
}

/// Context shared by the reconcilers of one simulated cluster.
struct SimContext: Sendable {
    let store: ObjectStore
    let options: SimulationOptions
    let events: EventRecorder
    var clock: SimClock { options.clock }
}

/// A level-triggered reconciler: events map to keys of its primary resource, and `reconcile` brings
/// one object's world in line with its spec, returning a delay (simulated seconds) to look again.
protocol Reconciler: Sendable {
    var name: String { get }
    /// Keys of the primary resource an event concerns (the object itself, its controller owner...).
    func keys(for event: StoreEvent) -> [ObjectKey]
    func reconcile(_ key: ObjectKey, _ context: SimContext) async -> Double?
}

/// Runs a `Reconciler` as a `Controller`: one watch over the whole store, one worker.
struct ReconcilingController<R: Reconciler>: Controller {
    let reconciler: R
    let options: SimulationOptions
    let events: EventRecorder
    var name: String { reconciler.name }

    func run(store: ObjectStore) async {
        let queue = WorkQueue()
        let context = SimContext(store: store, options: options, events: events)
        let reconciler = self.reconciler
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Re-subscribe when the store drops watches (fault injection): the fresh stream
                // replays every object, so nothing is missed.
                while !Task.isCancelled {
                    guard let stream = try? await store.watch(nil) else { return }
                    for await event in stream { for key in reconciler.keys(for: event) { queue.add(key) } }
                }
                queue.finish()
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(20))
                    queue.promoteDue()
                }
                queue.finish()
            }
            group.addTask {
                for await _ in queue.signals {
                    while let key = queue.pop() {
                        if Task.isCancelled { return }
                        if let again = await reconciler.reconcile(key, context) {
                            queue.add(key, after: context.clock.real(again))
                        }
                    }
                }
            }
        }
    }
}

import Foundation

/// The buffer of one client watch between the store and the task that writes the watch response.
///
/// The store pushes events inside its actor, in resourceVersion order, and never waits: a push is an
/// append under a lock (plus waking the writer when it was idle). The writer takes everything queued
/// at once and sends it as one chunk, so under load a write costs one wake-up and one socket write
/// per batch rather than per event, and a create never waits for 200 watchers to be written.
///
/// Memory is bounded as on the real API server: a watcher more than `capacity` events behind is
/// closed (its response ends; the client re-watches from the last resourceVersion it saw). The
/// initial state of a watch without a resourceVersion is a snapshot taken at once and does not count.
public final class WatchQueue: @unchecked Sendable {
    /// What the writer gets on each wake-up.
    public struct Batch: Sendable {
        public var events: [StoreEvent]
        /// A periodic bookmark is due after these events.
        public var bookmark: Bool
    }

    public let capacity: Int
    /// Events of the initial state (ADDED for every existing object), sent before live events.
    public let initialCount: Int
    private let lock = NSLock()
    private var initial: [StoreEvent]
    private var initialIndex = 0
    private var live: [StoreEvent] = []
    private var bookmarkDue = false
    private var finished = false
    private var overflowed = false
    /// How to tell the idle writer that there is something to take: resume its task, or (a writer
    /// on an event loop) schedule its next write. Called at most once per arming, outside the lock.
    private var waiter: (@Sendable () -> Void)?
    private var wakeScheduled = false
    private var onFinish: (@Sendable () -> Void)?

    /// Where this queue reports being far behind (nil: nowhere).
    private let lag: WatchLag?
    /// Over `WatchLag.threshold` live events (and counted in `lag`).
    private var lagging = false

    init(initial: [StoreEvent], capacity: Int, lag: WatchLag? = nil) {
        self.initial = initial
        self.initialCount = initial.count
        self.capacity = max(1, capacity)
        self.lag = lag
    }

    /// Called once when the queue closes for any reason (the store forgets the watcher).
    func setOnFinish(_ body: @escaping @Sendable () -> Void) {
        lock.lock()
        if finished { lock.unlock(); body(); return }
        onFinish = body
        lock.unlock()
    }

    enum PushResult { case queued, needsWake, closed }

    /// Queue a live event. `needsWake`: the writer is idle and should be woken (through the
    /// `WatchFlusher`, which spaces wake-ups so busy watches get batches); `closed`: the queue is
    /// finished, or overflowed by this push.
    func push(_ event: StoreEvent) -> PushResult {
        lock.lock()
        guard !finished else { lock.unlock(); return .closed }
        guard live.count < capacity else {
            overflowed = true
            live = []
            lock.unlock()
            finish()
            return .closed
        }
        live.append(event)
        if !lagging && live.count >= WatchLag.threshold {
            lagging = true
            lag?.change(by: 1)
        }
        let wake = waiter != nil && !wakeScheduled
        if wake { wakeScheduled = true }
        lock.unlock()
        return wake ? .needsWake : .queued
    }

    /// Resume the idle writer (the flusher calls this).
    func wake() {
        lock.lock()
        wakeScheduled = false
        let waiter = self.waiter
        self.waiter = nil
        lock.unlock()
        waiter?()
    }

    /// Ask for a bookmark with the next batch (the periodic timer of `allowWatchBookmarks`).
    public func requestBookmark() {
        lock.lock()
        guard !finished else { lock.unlock(); return }
        bookmarkDue = true
        let waiter = self.waiter
        self.waiter = nil
        lock.unlock()
        waiter?()
    }

    /// End the watch: the writer gets what is already queued (unless it overflowed), then nil.
    public func finish() {
        lock.lock()
        guard !finished else { lock.unlock(); return }
        finished = true
        if lagging {
            lagging = false
            lag?.change(by: -1)
        }
        let waiter = self.waiter
        self.waiter = nil
        let onFinish = self.onFinish
        self.onFinish = nil
        lock.unlock()
        waiter?()
        onFinish?()
    }

    /// Whether the writer waits for events (for tests).
    var hasIdleWriter: Bool { lock.withLock { waiter != nil } }

    /// Whether the watch was closed because its writer fell `capacity` events behind.
    public var wasOverflowed: Bool { lock.withLock { overflowed } }

    /// The next events (at most `limit`), waiting for one; nil once finished and drained. Only one
    /// task may call it at a time. Cancellation of that task finishes the queue.
    public func next(limit: Int) async -> Batch? {
        while true {
            switch poll(limit: limit) {
            case .batch(let batch): return batch
            case .finished: return nil
            case .empty: break
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    if !arm({ continuation.resume() }) { continuation.resume() }
                }
            } onCancel: {
                finish()
            }
        }
    }

    enum Poll { case batch(Batch), finished, empty }

    /// Take the next events without waiting; when there are none, `onReady` is stored and called
    /// (once, from whichever thread pushes, wakes, bookmarks or finishes) when there are. For a
    /// writer that is not a task (an event loop writing the watch response).
    func poll(limit: Int, onReady: @escaping @Sendable () -> Void) -> Poll {
        lock.withLock {
            if let batch = takeLocked(limit: limit) { return .batch(batch) }
            if finished { return .finished }
            waiter = onReady
            return .empty
        }
    }

    /// Store `waiter` unless something is already there to take (then false: do not wait).
    private func arm(_ waiter: @escaping @Sendable () -> Void) -> Bool {
        lock.withLock {
            if finished || bookmarkDue || !live.isEmpty || initialIndex < initial.count { return false }
            self.waiter = waiter
            return true
        }
    }

    private func poll(limit: Int) -> Poll {
        lock.withLock {
            if let batch = takeLocked(limit: limit) { return .batch(batch) }
            return finished ? .finished : .empty
        }
    }

    private func takeLocked(limit: Int) -> Batch? {
        if initialIndex < initial.count {
            let end = min(initial.count, initialIndex + limit)
            let events = Array(initial[initialIndex..<end])
            initialIndex = end
            if initialIndex == initial.count { initial = []; initialIndex = 0 }
            return Batch(events: events, bookmark: false)
        }
        guard !live.isEmpty || bookmarkDue else { return nil }
        var events: [StoreEvent]
        if live.count <= limit {
            events = []
            swap(&events, &live)
        } else {
            events = Array(live.prefix(limit))
            live.removeFirst(limit)
        }
        let bookmark = bookmarkDue && live.isEmpty
        if bookmark { bookmarkDue = false }
        if lagging && live.count < WatchLag.threshold / 2 {
            lagging = false
            lag?.change(by: -1)
        }
        return Batch(events: events, bookmark: bookmark)
    }
}

/// Flow control between writes and watches: the number of client watches more than `threshold`
/// events behind. A write that finds any waits a little before it is answered (`waitForWatches`),
/// so a client writing as fast as the server answers cannot outrun 200 watchers until their queues
/// overflow and they are closed; watchers keep every event and writers slow down to what the
/// watches can take. A watch whose client stopped reading still ends at its queue's capacity.
public final class WatchLag: @unchecked Sendable {
    static let threshold = 256
    /// The longest a write waits (a stuck watcher costs each write at most this).
    static let maxWait: Duration = .milliseconds(2)
    private let lock = NSLock()
    private var behind = 0

    /// Client watches more than `threshold` events behind.
    public var watchesBehind: Int { lock.withLock { behind } }

    func change(by delta: Int) { lock.withLock { behind += delta } }

    /// Wait while some watch is far behind, at most `maxWait`.
    func waitForWatches() async {
        guard watchesBehind > 0 else { return }
        let deadline = ContinuousClock.now + Self.maxWait
        while watchesBehind > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .microseconds(200))
        }
    }
}

/// Spaces the wake-ups of idle watch writers: the first event after a quiet period wakes them all
/// at once; while writes keep coming, each busy watch is woken about once per `interval`, so it
/// sends one chunk per interval instead of one per event. One wake-up costs a socket write and the
/// client's read for every watch; batching keeps 200 watches from eating the CPU requests need.
///
/// A round of wake-ups costs in proportion to the number of watches, so the interval grows with
/// them: `interval` up to `watchesPerInterval` open client watches, then proportionally (10 ms for
/// 200), which keeps watch writes to a steady share of the CPU however many watch.
///
/// Under a steady stream the wake-ups are spread over the interval (`ticks` per interval, each
/// waking the longest-waiting share) rather than 200 at once every interval: a request then meets
/// a trickle of watch writes, never a wave of them.
///
/// The wake-ups run on a thread of the flusher's own, not a task: a woken writer renders its
/// events into its pending bytes right there, and doing that for 40 watches on one of the two
/// threads of Swift's task pool would leave requests and the store one thread for that time. The
/// thread ends after a second without work and starts again with the next event.
final class WatchFlusher: @unchecked Sendable {
    let interval: Duration
    /// Wake-up rounds per interval while busy.
    static let ticks = 5
    static let watchesPerInterval = 100
    private let condition = NSCondition()
    // Under `condition`:
    private var watches = 0
    private var pending: [WatchQueue] = []
    private var pendingStart = 0
    private var running = false

    init(interval: Duration) { self.interval = interval }

    /// The number of open client watches (the store keeps it current).
    func setWatchCount(_ count: Int) { condition.withLock { watches = count } }

    /// The least time between two chunks of one busy watch, with `watches` open.
    static func effectiveInterval(_ interval: Duration, watches: Int) -> Duration {
        watches <= watchesPerInterval ? interval : interval * (Double(watches) / Double(watchesPerInterval))
    }

    func schedule(_ queues: [WatchQueue]) {
        guard !queues.isEmpty else { return }
        let start: Bool = condition.withLock {
            pending += queues
            condition.signal()
            if running { return false }
            running = true
            return true
        }
        if start {
            let thread = Thread { [self] in run() }
            thread.name = "kubesim-watch-flusher"
            thread.start()
        }
    }

    private func run() {
        var first = true
        while true {
            let (due, tick): (ArraySlice<WatchQueue>, Duration) = condition.withLock {
                let tick = Self.effectiveInterval(interval, watches: watches) / Self.ticks
                if pending.count == pendingStart {
                    pending = []
                    pendingStart = 0
                    first = true
                    // Idle: wait for the next event; after a second without one, end the thread.
                    if !condition.wait(until: Date(timeIntervalSinceNow: 1)) && pending.isEmpty {
                        running = false
                        return ([], tick)
                    }
                    if pending.isEmpty { return ([], .zero) }
                }
                let waiting = pending.count - pendingStart
                // All at once after a quiet period; then a share such that everything waiting now
                // is woken within one interval.
                let n = first ? waiting : min(waiting, max(8, (waiting + Self.ticks - 1) / Self.ticks))
                let due = pending[pendingStart..<pendingStart + n]
                pendingStart += n
                if pendingStart > 256 && pendingStart * 2 > pending.count {
                    pending.removeFirst(pendingStart)
                    pendingStart = 0
                }
                return (due, tick)
            }
            if due.isEmpty {
                if tick == .zero { continue }
                return
            }
            first = false
            for queue in due { queue.wake() }
            if tick > .zero { Self.sleep(tick) }
        }
    }

    private static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

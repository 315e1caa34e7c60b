import Foundation
import NIOCore
import NIOHTTP1

/// Writes one watch response on its channel's event loop, straight from the watch's queue: when the
/// store's flusher wakes the watch, the loop takes the queued events, encodes them (shared lines)
/// and writes one chunk. No task switch, async writer or cross-thread hop per chunk, which is most
/// of what 200 watches cost a burst of creates.
///
/// All state is touched on `channel.eventLoop` only.
final class WatchResponseWriter: @unchecked Sendable {
    /// Chunks written per turn before the writer lets the loop's other work in.
    static let chunksPerTurn = 4
    private let channel: Channel
    private let feed: WatchFeed
    private let pacer: WatchWritePacer
    private let done: EventLoopPromise<Bool>
    private var ended = false
    private var retryScheduled = false

    private init(channel: Channel, feed: WatchFeed, pacer: WatchWritePacer, done: EventLoopPromise<Bool>) {
        self.channel = channel
        self.feed = feed
        self.pacer = pacer
        self.done = done
    }

    /// Write `head`, then the feed's chunks until it ends (true: the response ended with its last
    /// chunk, the connection may serve its next request) or the connection closes (false).
    static func start(channel: Channel, head: HTTPResponseHead, feed: WatchFeed, pacer: WatchWritePacer) -> EventLoopFuture<Bool> {
        let done = channel.eventLoop.makePromise(of: Bool.self)
        channel.eventLoop.execute {
            let writer = WatchResponseWriter(channel: channel, feed: feed, pacer: pacer, done: done)
            channel.closeFuture.whenComplete { _ in writer.closed() }
            channel.write(HTTPServerResponsePart.head(head), promise: nil)
            writer.pump()
        }
        return done.futureResult
    }

    /// Write what is queued (a few chunks at most; the pacer brings the writer back for more).
    func pump() {
        guard !ended else { return }
        guard channel.isActive else { closed(); return }
        var wrote = 0
        defer { if wrote > 0 { channel.flush() } }
        while channel.isWritable {
            if wrote == Self.chunksPerTurn {
                pacer.enqueue(self)
                return
            }
            switch feed.next(onReady: { [self] in pacer.enqueue(self) }) {
            case .bytes(let bytes):
                channel.write(HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: bytes))), promise: nil)
                wrote += 1
            case .empty:
                return
            case .finished:
                ended = true
                let done = self.done
                channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { done.succeed((try? $0.get()) != nil) }
                return
            }
        }
        // The client reads slower than events come: try again shortly. Meanwhile events stay
        // queued, and a watch `capacity` events behind is closed by its queue.
        guard !retryScheduled else { return }
        retryScheduled = true
        channel.eventLoop.scheduleTask(in: .milliseconds(1)) {
            self.retryScheduled = false
            self.pump()
        }
    }

    /// The connection closed: end the watch (the store forgets it).
    private func closed() {
        guard !ended else { return }
        ended = true
        feed.queue.finish()
        done.succeed(false)
    }
}

/// The watch writers of one event loop that have something to write. They run in slices with the
/// loop's I/O in between, so a wave of 100 watch writes never holds a request behind all of them.
final class WatchWritePacer: @unchecked Sendable {
    /// Writers per slice.
    static let slice = 16
    let loop: EventLoop
    private let lock = NSLock()
    private var ready: [WatchResponseWriter] = []
    private var scheduled = false

    init(loop: EventLoop) { self.loop = loop }

    /// Have `writer` write (from any thread).
    func enqueue(_ writer: WatchResponseWriter) {
        let start = lock.withLock {
            ready.append(writer)
            if scheduled { return false }
            scheduled = true
            return true
        }
        if start { loop.execute { self.run() } }
    }

    private func run() {
        let (slice, more) = lock.withLock {
            let n = min(Self.slice, ready.count)
            let slice = Array(ready.prefix(n))
            ready.removeFirst(n)
            if ready.isEmpty { scheduled = false }
            return (slice, !ready.isEmpty)
        }
        for writer in slice { writer.pump() }
        // A scheduled task (not `execute`) so the loop polls its sockets before the next slice.
        if more { loop.scheduleTask(in: .microseconds(10)) { self.run() } }
    }
}

import Foundation
import NIOCore
import NIOHTTP1

/// Writes one watch response without a task: when the store's flusher wakes the watch, the events
/// queued for it are taken (as shared encoded lines) into the writer's pending chunk right there, on
/// the flusher's thread, and the channel's event loop writes whatever is pending as one chunk. No
/// task, async writer or extra thread hop per chunk, which is most of what 200 watches cost a
/// burst of creates; and the loop only does the socket writes.
///
/// The chunk framing is written here, through the `WatchOutlet` below the HTTP encoder: the size
/// line, the pending buffer as it is and a shared CRLF go to the socket as one gather write, with
/// no copy of the lines into a body part (one copy per watch, into the pending buffer, remains;
/// handing the socket one buffer per event line instead cost more than copying them).
///
/// Events leave the watch's bounded queue even when the event loop or the client is busy: the bytes
/// wait here, up to `pendingLimit`; then events stay queued, and the queue closes the watch once it
/// is `capacity` events behind (a client that stopped reading).
final class WatchResponseWriter: @unchecked Sendable {
    /// Bytes waiting for the event loop or the client beyond which the writer stops taking events
    /// (about 8,000 small objects; with the queue's capacity, a watch may fall a few seconds of a
    /// busy server's writes behind before it is closed, so a client starved of CPU for a moment
    /// on a loaded machine keeps its watch).
    static let pendingLimit = 4 << 20
    private let channel: Channel
    private let feed: WatchFeed
    private let pacer: WatchWritePacer
    private let done: EventLoopPromise<Bool>
    /// The outlet's context (set on the event loop in `start`; only used there).
    private var outlet: ChannelHandlerContext?
    private let lock = NSLock()
    // Under `lock`:
    private var pending = WatchChunk()
    private var feedEnded = false
    private var writeScheduled = false
    private var full = false
    private var closed = false
    private var completed = false

    private init(channel: Channel, feed: WatchFeed, pacer: WatchWritePacer, done: EventLoopPromise<Bool>) {
        self.channel = channel
        self.feed = feed
        self.pacer = pacer
        self.done = done
    }

    /// Write `head`, then the feed's chunks until it ends (true: the response ended with its last
    /// chunk, the connection may serve its next request) or the connection closes (false). The
    /// caller keeps the writer until then (dropping it ends the watch).
    static func start(channel: Channel, head: HTTPResponseHead, feed: WatchFeed,
                      pacer: WatchWritePacer) -> (WatchResponseWriter, EventLoopFuture<Bool>) {
        let done = channel.eventLoop.makePromise(of: Bool.self)
        let writer = WatchResponseWriter(channel: channel, feed: feed, pacer: pacer, done: done)
        channel.eventLoop.execute {
            channel.closeFuture.whenComplete { [weak writer] _ in writer?.channelClosed() }
            let outlet = try? channel.pipeline.syncOperations.handler(type: WatchOutlet.self)
            writer.outlet = try? channel.pipeline.syncOperations.context(handlerType: WatchOutlet.self)
            outlet?.onWritable = { [weak writer] in writer?.drain() }
            done.futureResult.whenComplete { _ in outlet?.onWritable = nil }
            channel.write(HTTPServerResponsePart.head(head), promise: nil)
            writer.drain()
        }
        return (writer, done.futureResult)
    }

    /// Take what the queue holds into the pending bytes (from any thread: the flusher, the watch's
    /// timer, the event loop) and have the loop write them. When the queue is empty, it calls this
    /// again once there is more.
    func drain() {
        let schedule: Bool = lock.withLock {
            guard !closed, !feedEnded else { return false }
            var armed = false
            while pending.count < Self.pendingLimit && !armed && !feedEnded {
                switch feed.next(into: &pending, onReady: { [weak self] in self?.drain() }) {
                case .more: break
                case .empty: armed = true
                case .finished: feedEnded = true
                }
            }
            // Too much pending (the client or the loop is far behind): the next write drains
            // again; events wait in the queue meanwhile.
            full = !armed && !feedEnded
            guard (!pending.isEmpty || feedEnded) && !writeScheduled else { return false }
            writeScheduled = true
            return true
        }
        if schedule { pacer.enqueue(self) }
    }

    /// On the event loop: write what is pending as one chunk (and the end once the feed ended).
    /// While the client does not keep up (channel not writable), the bytes stay pending until the
    /// channel tells it is writable again (`WatchOutlet`). Returns whether a chunk was written.
    @discardableResult
    func write() -> Bool {
        guard channel.isActive else { channelClosed(); return false }
        let taken: (WatchChunk, Bool, Bool)? = lock.withLock {
            writeScheduled = false
            guard channel.isWritable else { return nil }
            defer { pending = WatchChunk() }
            return (pending, feedEnded, full)
        }
        guard let (chunk, end, wasFull) = taken else { return false }
        if !chunk.isEmpty { writeChunk(chunk) }
        if end {
            channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { [self] in complete((try? $0.get()) != nil) }
        } else {
            if let outlet { outlet.flush() } else { channel.flush() }
            if wasFull { drain() }
        }
        return !chunk.isEmpty
    }

    /// One HTTP chunk: its size line, the lines, the closing CRLF (one gather write).
    private func writeChunk(_ chunk: WatchChunk) {
        guard let outlet else {
            // No outlet in this pipeline: the lines go through the HTTP encoder.
            channel.write(HTTPServerResponsePart.body(.byteBuffer(chunk.buffer)), promise: nil)
            return
        }
        outlet.write(NIOAny(ByteBuffer(string: String(chunk.count, radix: 16) + "\r\n")), promise: nil)
        outlet.write(NIOAny(chunk.buffer), promise: nil)
        outlet.write(NIOAny(Self.crlf), promise: nil)
    }

    private static let crlf = ByteBuffer(string: "\r\n")

    /// The connection closed: end the watch (the store forgets it) and the response.
    private func channelClosed() {
        lock.withLock { closed = true }
        feed.queue.finish()
        complete(false)
    }

    /// Report the response's end once (the feed ended or the connection closed, whichever first).
    private func complete(_ ended: Bool) {
        let first: Bool = lock.withLock {
            defer { completed = true }
            return !completed
        }
        if first { done.succeed(ended) }
    }
}

/// In every server connection's pipeline right below the HTTP handlers (above TLS): watch writers
/// write their chunks' bytes from its context, and it tells a writer waiting for the client to
/// catch up that the channel is writable again. Touched on the channel's event loop only.
final class WatchOutlet: ChannelInboundHandler, ChannelOutboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    var onWritable: (() -> Void)?

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { onWritable?() }
        context.fireChannelWritabilityChanged()
    }
}

/// The watch writers of one event loop that have something to write. They run in slices with the
/// loop's I/O in between, so a round of 100 watch writes never holds a request behind all of them.
final class WatchWritePacer: @unchecked Sendable {
    /// Writers per slice.
    static let slice = 16
    let loop: EventLoop
    private let lock = NSLock()
    private var ready: [WatchResponseWriter] = []
    private var scheduled = false
    private var written = 0

    /// Watch chunks written on this loop so far (for benchmarks: events per socket write).
    var chunksWritten: Int { lock.withLock { written } }

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
        var chunks = 0
        for writer in slice where writer.write() { chunks += 1 }
        lock.withLock { written += chunks }
        // A scheduled task (not `execute`) so the loop polls its sockets before the next slice.
        if more { loop.scheduleTask(in: .microseconds(10)) { self.run() } }
    }
}

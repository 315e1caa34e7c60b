import Foundation
import NIOCore
import Structured

extension ResourceHandler {
    /// `?watch=true`: a chunked stream of `{"type": ..., "object": ...}` lines. Resumes after
    /// `resourceVersion` (410 Expired as an ERROR event when too old), starts with the current state
    /// otherwise, honours selectors (objects leaving the selection arrive as DELETED),
    /// `allowWatchBookmarks`, `sendInitialEvents` and `timeoutSeconds`.
    func watch() async throws(APIError) -> SimResponse {
        var filter = try selectors()
        if let name = route.name {
            let previous = filter
            filter = { object in object.name == name && (previous?(object) ?? true) }
        }
        let rvParam = request.query["resourceVersion"] ?? ""
        let sendInitial = request.query["sendInitialEvents"] == "true"
        let bookmarks = request.query["allowWatchBookmarks"] == "true"
        let timeout = request.query["timeoutSeconds"].flatMap { Double($0) } ?? 1800
        var since: Int64?
        if !rvParam.isEmpty && rvParam != "0" {
            guard let n = Int64(rvParam) else { throw APIError.badRequest("resourceVersion: Invalid value: \"\(rvParam)\": must be a valid resource version") }
            since = n
        }
        if sendInitial { since = nil }
        let plan = faults.plan
        let table = TableConverter.wanted(request)
        let headers = [("Content-Type", "application/json"), ("Cache-Control", "no-cache, private")]

        let queue: WatchQueue
        let startRV: Int64
        do throws(APIError) {
            if plan.expireResourceVersions, let since { throw APIError.gone("too old resource version: \(since) (\(await store.currentResourceVersion))") }
            (queue, startRV) = try await store.openWatch(type.groupResource, namespace: namespace, since: since,
                                                         initialState: since == nil, capacity: watchCapacity)
        } catch where error.code == 410 {
            let line = JSON.wireBytes(["type": "ERROR", "object": error.status]) + [0x0A]
            let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self)
            continuation.yield(line)
            continuation.finish()
            return .stream(status: 200, headers: headers, chunks: stream)
        }
        let request = self.request
        let deadline = ContinuousClock.now + .seconds(min(timeout, plan.dropWatchesAfterSeconds ?? timeout))

        // The timer ends the watch at its deadline and asks for the periodic bookmarks; everything
        // else happens in the response writer, which takes one batch of events per chunk.
        let timer = Task {
            var nextBookmark = ContinuousClock.now + .seconds(30)
            while !Task.isCancelled {
                let wake = bookmarks ? min(deadline, nextBookmark) : deadline
                try? await Task.sleep(until: wake, clock: .continuous)
                if Task.isCancelled { return }
                if ContinuousClock.now >= deadline { queue.finish(); return }
                queue.requestBookmark()
                nextBookmark = ContinuousClock.now + .seconds(30)
            }
        }
        let encoder = WatchEncoder(apiVersion: type.apiVersion, kind: type.kind, table: table ? TableConverter(type: type) : nil,
                                   request: request, matcher: filter, initialCount: queue.initialCount,
                                   initialEndBookmark: sendInitial && bookmarks, startRV: startRV, lastRV: startRV)
        var preface: [UInt8] = []
        if sendInitial && queue.initialCount == 0 && bookmarks { preface = encoder.bookmark(startRV, initialEnd: true) }
        return .watch(status: 200, headers: headers, feed: WatchFeed(queue: queue, timer: timer, preface: preface, encoder: encoder))
    }
}

/// Turns a watch's events into its wire lines: selector transitions (an object leaving the
/// selection is DELETED, entering it ADDED), the initial-events-end bookmark, periodic bookmarks,
/// Table objects when asked. Lines without a table come from the event's shared encoding cache, so
/// 200 watches of one event encode it once.
struct WatchEncoder {
    let apiVersion: String
    let kind: String
    let table: TableConverter?
    let request: SimRequest
    let matcher: (@Sendable (Value) -> Bool)?
    let initialCount: Int
    /// `sendInitialEvents` with bookmarks: a bookmark marks the end of the initial ADDED events.
    let initialEndBookmark: Bool
    let startRV: Int64
    var lastRV: Int64
    /// Initial ADDED events seen so far.
    var sentInitial = 0

    mutating func render(_ batch: WatchQueue.Batch, into out: inout WatchChunk) {
        out.reserve(lines: batch.events.count)
        for event in batch.events {
            lastRV = max(lastRV, event.resourceVersion)
            let matchesNow = matcher?(event.object) ?? true
            switch event.type {
            case .added:
                if matchesNow { line(0, event, into: &out) }
                if sentInitial < initialCount {
                    sentInitial += 1
                    if sentInitial == initialCount && initialEndBookmark { out += bookmark(startRV, initialEnd: true) }
                }
            case .modified:
                let matchedBefore = event.previous.map { matcher?($0) ?? true } ?? true
                if matchesNow && matchedBefore { line(1, event, into: &out) }
                else if matchesNow { line(0, event, into: &out) }
                else if matchedBefore { line(2, event, into: &out) }
            case .deleted:
                let matched = event.previous.map { matcher?($0) ?? true } ?? matchesNow
                if matched { line(2, event, into: &out) }
            }
        }
        if batch.bookmark { out += bookmark(lastRV, initialEnd: false) }
    }

    static let typeNames = ["ADDED", "MODIFIED", "DELETED"]

    private func line(_ slot: Int, _ event: StoreEvent, into out: inout WatchChunk) {
        if table != nil { out += encode(Self.typeNames[slot], event.object); return }
        let apiVersion = self.apiVersion  // the closure captures this, not a copy of the encoder
        out += event.encodings.line(slot, apiVersion: apiVersion) { Self.encode(Self.typeNames[slot], event.object, apiVersion: apiVersion) }
    }

    private func encode(_ type: String, _ object: Value) -> [UInt8] {
        guard let table, type != "BOOKMARK" else { return Self.encode(type, object, apiVersion: apiVersion) }
        return JSON.wireBytes(["type": .string(type), "object": table.table([object], listMeta: nil, request: request)]) + [0x0A]
    }

    private static func encode(_ type: String, _ object: Value, apiVersion: String) -> [UInt8] {
        var o = object
        if o["kind"] != nil { o["apiVersion"] = .string(apiVersion) }
        return JSON.wireBytes(["type": .string(type), "object": o]) + [0x0A]
    }

    func bookmark(_ rv: Int64, initialEnd: Bool) -> [UInt8] {
        var meta: Value = ["resourceVersion": .string(String(rv)), "creationTimestamp": .null]
        if initialEnd { meta["annotations"] = ["k8s.io/initial-events-end": "true"] }
        return encode("BOOKMARK", ["kind": .string(kind), "apiVersion": .string(apiVersion), "metadata": meta])
    }
}

/// The lines of one watch chunk, copied into one buffer as they are rendered: an event line is
/// shared by every watch (see `EncodingCache`) and a copy of its bytes costs less than handing the
/// socket one buffer per line.
struct WatchChunk {
    private(set) var buffer = ByteBuffer()
    /// Bytes in the chunk.
    var count: Int { buffer.readableBytes }
    var isEmpty: Bool { buffer.readableBytes == 0 }

    /// Room for about `lines` more event lines (one allocation rather than doublings).
    mutating func reserve(lines: Int) {
        buffer.reserveCapacity(minimumWritableBytes: lines * 768)
    }

    static func += (chunk: inout WatchChunk, line: ByteBuffer) { chunk.buffer.writeImmutableBuffer(line) }
    static func += (chunk: inout WatchChunk, bytes: [UInt8]) { chunk.buffer.writeBytes(bytes) }

    /// All the lines in one array (for readers that are not an event loop).
    var bytes: [UInt8] { Array(buffer.readableBytesView) }
}

/// The body of a watch response: its queue and encoder. Read by exactly one writer at a time,
/// either an event loop polling it (`next(onReady:)`, what the server does: no task switch per
/// chunk) or a task iterating `chunks()`. When the feed is dropped, the watch ends (the store
/// forgets the watcher).
public final class WatchFeed: @unchecked Sendable {
    /// Events per chunk at most (a resumed or initial watch sends its backlog in pieces).
    static let batchLimit = 512
    let queue: WatchQueue
    private let timer: Task<Void, Never>
    private var preface: [UInt8]
    private var encoder: WatchEncoder

    init(queue: WatchQueue, timer: Task<Void, Never>, preface: [UInt8], encoder: WatchEncoder) {
        self.queue = queue
        self.timer = timer
        self.preface = preface
        self.encoder = encoder
    }

    deinit {
        timer.cancel()
        queue.finish()
    }

    enum Next { case more, empty, finished }

    /// Render what is queued into `out` without waiting (`.more`: something may be left). On
    /// `.empty`, `onReady` is called once there is more.
    func next(into out: inout WatchChunk, onReady: @escaping @Sendable () -> Void) -> Next {
        if !preface.isEmpty {
            out += preface
            preface = []
            return .more
        }
        switch queue.poll(limit: Self.batchLimit, onReady: onReady) {
        case .batch(let batch):
            encoder.render(batch, into: &out)
            return .more
        case .empty: return .empty
        case .finished:
            timer.cancel()
            return .finished
        }
    }

    /// The chunks as an async sequence (for callers without an event loop: tests, embedders).
    func chunks() -> AsyncStream<[UInt8]> {
        AsyncStream {
            var out = WatchChunk()
            out += self.preface
            self.preface = []
            while out.isEmpty {
                guard let batch = await self.queue.next(limit: Self.batchLimit) else {
                    self.timer.cancel()
                    return nil
                }
                self.encoder.render(batch, into: &out)
            }
            return out.bytes
        } onCancel: { [queue] in
            queue.finish()
        }
    }
}

/// A value shared between a watch's producer tasks.
final class LockedBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T { lock.withLock { stored } }
    func update(_ body: (inout T) -> Void) { lock.withLock { body(&stored) } }
}

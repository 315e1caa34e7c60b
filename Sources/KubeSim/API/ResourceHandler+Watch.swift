import Foundation
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
        let plan = await faults.plan
        let table = TableConverter.wanted(request)
        let converter = TableConverter(type: type)
        let apiVersion = type.apiVersion
        let kind = type.kind
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

        @Sendable func encode(_ type: String, _ event: StoreEvent, into out: inout [UInt8]) {
            if table { out += encode(type, event.object); return }
            let slot = type == "ADDED" ? 0 : type == "MODIFIED" ? 1 : 2
            out += event.encodings.line(slot, apiVersion: apiVersion) { encode(type, event.object) }
        }
        @Sendable func encode(_ type: String, _ object: Value) -> [UInt8] {
            var o = object
            if o["kind"] != nil { o["apiVersion"] = .string(apiVersion) }
            if table, type != "BOOKMARK" { o = converter.table([object], listMeta: nil, request: request) }
            return JSON.wireBytes(["type": .string(type), "object": o]) + [0x0A]
        }
        @Sendable func bookmark(_ rv: Int64, initialEnd: Bool) -> [UInt8] {
            var meta: Value = ["resourceVersion": .string(String(rv)), "creationTimestamp": .null]
            if initialEnd { meta["annotations"] = ["k8s.io/initial-events-end": "true"] }
            return encode("BOOKMARK", ["kind": .string(kind), "apiVersion": .string(apiVersion), "metadata": meta])
        }

        // The timer ends the watch at its deadline and asks for the periodic bookmarks; everything
        // else happens in the response writer's task, which pulls one batch of events per chunk.
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
        let state = WatchWriterState(queue: queue, timer: timer, startRV: startRV)
        let matcher = filter
        let initialCount = queue.initialCount
        if sendInitial && initialCount == 0 && bookmarks { state.preface = bookmark(startRV, initialEnd: true) }
        let chunks = AsyncStream<[UInt8]> {
            var out = state.preface
            state.preface = []
            while out.isEmpty {
                guard let batch = await state.queue.next(limit: 512) else {
                    state.timer.cancel()
                    return nil
                }
                out.reserveCapacity(batch.events.count * 512)
                for event in batch.events {
                    state.lastRV = max(state.lastRV, event.resourceVersion)
                    let matchesNow = matcher?(event.object) ?? true
                    switch event.type {
                    case .added:
                        if matchesNow { encode("ADDED", event, into: &out) }
                        if state.sentInitial < initialCount {
                            state.sentInitial += 1
                            if state.sentInitial == initialCount && sendInitial && bookmarks { out += bookmark(startRV, initialEnd: true) }
                        }
                    case .modified:
                        let matchedBefore = event.previous.map { matcher?($0) ?? true } ?? true
                        if matchesNow && matchedBefore { encode("MODIFIED", event, into: &out) }
                        else if matchesNow { encode("ADDED", event, into: &out) }
                        else if matchedBefore { encode("DELETED", event, into: &out) }
                    case .deleted:
                        let matched = event.previous.map { matcher?($0) ?? true } ?? matchesNow
                        if matched { encode("DELETED", event, into: &out) }
                    }
                }
                if batch.bookmark { out += bookmark(state.lastRV, initialEnd: false) }
            }
            return out
        } onCancel: {
            state.queue.finish()
        }
        return .stream(status: 200, headers: headers, chunks: chunks)
    }
}

/// What a watch response's writer carries between batches. Only the writer's task touches the
/// mutable fields; when the response is dropped, the watch ends (the store forgets the watcher).
final class WatchWriterState: @unchecked Sendable {
    let queue: WatchQueue
    let timer: Task<Void, Never>
    var preface: [UInt8] = []
    var lastRV: Int64
    /// Initial ADDED events seen so far (the initial-events-end bookmark follows the last).
    var sentInitial = 0

    init(queue: WatchQueue, timer: Task<Void, Never>, startRV: Int64) {
        self.queue = queue
        self.timer = timer
        self.lastRV = startRV
    }

    deinit {
        timer.cancel()
        queue.finish()
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

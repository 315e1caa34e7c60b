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

        let events: AsyncStream<StoreEvent>
        do throws(APIError) {
            if plan.expireResourceVersions, let since { throw APIError.gone("too old resource version: \(since) (\(await store.currentResourceVersion))") }
            events = try await store.watch(type.groupResource, namespace: namespace, since: since, initialState: since == nil)
        } catch where error.code == 410 {
            let line = SimJSON.encode(["type": "ERROR", "object": error.status]) + [0x0A]
            let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self)
            continuation.yield(line)
            continuation.finish()
            return .stream(status: 200, headers: headers, chunks: stream)
        }
        let initialCount = since == nil ? try await store.list(type, namespace: namespace).items.count : 0
        let startRV = await store.currentResourceVersion
        let request = self.request
        let deadline = ContinuousClock.now + .seconds(min(timeout, plan.dropWatchesAfterSeconds ?? timeout))

        @Sendable func encode(_ type: String, _ event: StoreEvent) -> [UInt8] {
            if table { return encode(type, event.object) }
            return event.encodings.line(type + " " + apiVersion) { encode(type, event.object) }
        }
        @Sendable func encode(_ type: String, _ object: Value) -> [UInt8] {
            var o = object
            if o["kind"] != nil { o["apiVersion"] = .string(apiVersion) }
            if table, type != "BOOKMARK" { o = converter.table([object], listMeta: nil, request: request) }
            return SimJSON.encode(["type": .string(type), "object": o]) + [0x0A]
        }
        @Sendable func bookmark(_ rv: Int64, initialEnd: Bool) -> [UInt8] {
            var meta: Value = ["resourceVersion": .string(String(rv)), "creationTimestamp": .null]
            if initialEnd { meta["annotations"] = ["k8s.io/initial-events-end": "true"] }
            return encode("BOOKMARK", ["kind": .string(kind), "apiVersion": .string(apiVersion), "metadata": meta])
        }

        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        let matcher = filter
        let producer = Task {
            let lastRV = LockedBox(startRV)
            if sendInitial && initialCount == 0 && bookmarks { continuation.yield(bookmark(startRV, initialEnd: true)) }
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    try? await Task.sleep(until: deadline, clock: .continuous)
                }
                group.addTask {
                    var remainingInitial = initialCount
                    for await event in events {
                        lastRV.update { $0 = max($0, event.resourceVersion) }
                        let matchesNow = matcher?(event.object) ?? true
                        switch event.type {
                        case .added:
                            if matchesNow { continuation.yield(encode("ADDED", event)) }
                            if remainingInitial > 0 {
                                remainingInitial -= 1
                                if remainingInitial == 0 && sendInitial && bookmarks { continuation.yield(bookmark(startRV, initialEnd: true)) }
                            }
                        case .modified:
                            let matchedBefore = event.previous.map { matcher?($0) ?? true } ?? true
                            if matchesNow && matchedBefore { continuation.yield(encode("MODIFIED", event)) }
                            else if matchesNow { continuation.yield(encode("ADDED", event)) }
                            else if matchedBefore { continuation.yield(encode("DELETED", event)) }
                        case .deleted:
                            let matched = event.previous.map { matcher?($0) ?? true } ?? matchesNow
                            if matched { continuation.yield(encode("DELETED", event)) }
                        }
                    }
                }
                if bookmarks {
                    group.addTask {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: .seconds(30))
                            if Task.isCancelled { break }
                            continuation.yield(bookmark(lastRV.value, initialEnd: false))
                        }
                    }
                }
                await group.next()
                group.cancelAll()
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in producer.cancel() }
        return .stream(status: 200, headers: headers, chunks: stream)
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

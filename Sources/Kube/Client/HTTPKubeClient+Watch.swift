import AsyncHTTPClient
import Foundation
import NIOCore
import Structured

extension HTTPKubeClient {
    public func watch(_ selector: ResourceSelector, options: WatchOptions = WatchOptions()) -> AsyncThrowingStream<
        WatchEvent, any Error
    > {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await self.runWatch(selector, options: options) { event in continuation.yield(event) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// One watch request: events go to `yield` until the server ends the stream.
    func runWatch(_ selector: ResourceSelector, options: WatchOptions, yield: (WatchEvent) -> Void) async throws(KubeError) {
        let target = try await target(
            apiVersion: selector.apiVersion, kind: selector.kind, namespace: selector.namespace,
            allNamespaces: selector.allNamespaces)
        var query: [(String, String)] = [("watch", "true")]
        if let rv = options.resourceVersion, !rv.isEmpty { query.append(("resourceVersion", rv)) }
        if let s = options.labelSelector, !s.isEmpty { query.append(("labelSelector", s)) }
        if let s = options.fieldSelector, !s.isEmpty { query.append(("fieldSelector", s)) }
        if options.allowWatchBookmarks { query.append(("allowWatchBookmarks", "true")) }
        if let timeout = options.timeoutSeconds { query.append(("timeoutSeconds", String(timeout))) }
        var request = request("GET", target, query: query)
        request.timeout = nil
        let response = try await transport.openStream(request)
        var splitter = LineSplitter()
        func emit(_ line: [UInt8]) throws(KubeError) {
            guard line.contains(where: { $0 != 0x20 && $0 != 0x0D }) else { return }
            let value = try WireJSON.decode(line)
            guard let raw = value["type"]?.stringValue, let type = WatchEvent.EventType(rawValue: raw) else {
                throw KubeError(.decoding, "watch of \(target.resource.qualifiedName): unknown event type in \(WireJSON.encode(value))")
            }
            yield(WatchEvent(type: type, object: value["object"] ?? .null))
        }
        do {
            for try await buffer in response.body {
                try splitter.feed(buffer) { line in try emit(line) }
            }
            try splitter.finish { line in try emit(line) }
        } catch let error as KubeError {
            throw error
        } catch {
            if Task.isCancelled { return }
            throw KubeError(
                .transport, "watch of \(target.resource.qualifiedName) on \(transport.serverDescription) broke: \(HTTPTransport.classify(error).detail)")
        }
    }

    public func informer(_ selector: ResourceSelector, options: ListOptions = ListOptions()) -> AsyncThrowingStream<
        InformerEvent, any Error
    > {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await self.runInformer(selector, options: options) { event in continuation.yield(event) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// List + watch forever (until cancelled). The caller sees each object's history as a
    /// consistent sequence: replays after a resume are dropped, and a re-list after 410 Gone
    /// is turned into the adds, modifications and deletions it implies.
    func runInformer(_ selector: ResourceSelector, options: ListOptions, yield: (InformerEvent) -> Void) async throws(KubeError) {
        var known: [String: Value] = [:]
        func key(_ object: Value) -> String {
            (object[path: "metadata", "namespace"]?.stringValue ?? "") + "/" + (object[path: "metadata", "name"]?.stringValue ?? "")
        }
        func rv(_ object: Value) -> String { object[path: "metadata", "resourceVersion"]?.stringValue ?? "" }
        var failures = 0
        var goneStreak = 0
        let retry = transport.options.retry
        while !Task.isCancelled {
            if goneStreak > 1 {
                // The server keeps refusing our fresh resourceVersion: do not spin on re-lists.
                let delay = retry.delay(afterAttempt: goneStreak - 1, random: Double.random(in: 0..<1))
                do { try await Task.sleep(for: delay) } catch { return }
            }
            // (Re-)list and reconcile with what the caller has seen.
            let list = try await self.list(selector, options: ListOptions(
                labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: options.limit))
            var seen = Set<String>()
            for item in list.items {
                let k = key(item)
                seen.insert(k)
                if let old = known[k] {
                    if rv(old) != rv(item) { yield(.modified(item)) }
                } else {
                    yield(.added(item))
                }
                known[k] = item
            }
            for (k, old) in known where !seen.contains(k) {
                known[k] = nil
                yield(.deleted(old))
            }
            yield(.synced)
            var resourceVersion = list.resourceVersion

            watching: while !Task.isCancelled {
                var gone = false
                var delivered = false
                var watchError: KubeError?
                do {
                    try await runWatch(
                        selector,
                        options: WatchOptions(
                            resourceVersion: resourceVersion, labelSelector: options.labelSelector,
                            fieldSelector: options.fieldSelector, allowWatchBookmarks: true,
                            timeoutSeconds: Int.random(in: 300...600))
                    ) { event in
                        if gone { return }
                        if event.type != .error { delivered = true }
                        switch event.type {
                        case .added, .modified:
                            let k = key(event.object)
                            let old = known[k]
                            resourceVersion = rv(event.object)
                            if let old, rv(old) == rv(event.object) { return }  // replay after resume
                            known[k] = event.object
                            yield(old == nil ? .added(event.object) : .modified(event.object))
                        case .deleted:
                            let k = key(event.object)
                            resourceVersion = rv(event.object)
                            if known.removeValue(forKey: k) != nil { yield(.deleted(event.object)) }
                        case .bookmark:
                            resourceVersion = rv(event.object)
                        case .error:
                            let status = APIStatus(event.object)
                            if status?.code == 410 || status?.reason == "Expired" || status?.reason == "Gone" {
                                gone = true
                            } else {
                                watchError = KubeError(.api, status?.message ?? "watch error", status: status)
                            }
                        }
                        failures = 0
                    }
                } catch {
                    if error.isGone {
                        gone = true
                    } else if error.kind == .api && !(error.isTooManyRequests || (error.code ?? 0) >= 500) {
                        throw error
                    } else {
                        watchError = error
                    }
                }
                if gone {
                    goneStreak = delivered ? 1 : goneStreak + 1
                    break watching
                }
                if delivered { goneStreak = 0 }
                if let watchError {
                    failures += 1
                    if failures >= max(retry.maxAttempts, 2) { throw watchError }
                    let delay = retry.delay(afterAttempt: failures, random: Double.random(in: 0..<1))
                    do { try await Task.sleep(for: delay) } catch { return }
                }
                // A normal end (server timeout or dropped connection): resume from the last version seen.
            }
        }
    }
}

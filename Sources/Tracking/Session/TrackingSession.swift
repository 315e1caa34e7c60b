import Foundation
import Kube
import Structured

/// Watch-driven tracking: one informer per (kind, namespace) shared by every tracked resource of
/// that namespace, as kubedog's shared informer factory; the rules decide on each change.
///
/// ```swift
/// let session = TrackingSession(client: client, options: TrackingOptions(timeout: 300))
/// let result = try await session.run([TrackingRequest(deployment), TrackingRequest(job, goal: .completed)]) { event in
///     await reporter.handle(event)
/// }
/// ```
public struct TrackingSession: Sendable {
    let client: any KubeClient
    let options: TrackingOptions
    /// Shared informers (one deploy's sessions); nil: this session lists and watches on its own.
    let hub: InformerHub?

    public init(client: any KubeClient, options: TrackingOptions = TrackingOptions(), hub: InformerHub? = nil) {
        self.client = client
        self.options = options
        self.hub = hub
    }

    /// Track each request to its goal. The stream ends after `.result` and `.finished`; it throws when
    /// a watch fails for good (403, unknown kind). Cancelling the consumer stops every watch and log.
    public func track(_ requests: [TrackingRequest]) throws(TrackingError) -> AsyncThrowingStream<TrackingEvent, any Error> {
        var prepared: [Prepared] = []
        for request in requests {
            var annotations = try TrackingAnnotations(of: request.object)
            if let mode = request.terminationMode { annotations.trackTerminationMode = mode }
            if let mode = request.failMode { annotations.failMode = mode }
            let id = ResourceID(request.object)
            try LogFilter.validate(annotations, id: id)
            prepared.append(Prepared(id: id, goal: request.goal, annotations: annotations, incarnation: Incarnation(request.object)))
        }
        let client = self.client
        let options = self.options
        let hub = self.hub
        let requested = prepared
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let targets = try await Self.resolveNamespaces(requested, client: client)
                    try await Self.run(targets, client: client, hub: hub, options: options, continuation: continuation)
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// `track`, handing every event to `onEvent` and returning the outcome of each resource.
    public func run(
        _ requests: [TrackingRequest], onEvent: @Sendable (TrackingEvent) async -> Void = { _ in }
    ) async throws -> TrackingResult {
        var result = TrackingResult(outcomes: [])
        for try await event in try track(requests) {
            if case .result(let r) = event { result = r }
            await onEvent(event)
        }
        try Task.checkCancellation()
        return result
    }

    /// Manifests often leave the namespace out: namespaced kinds are watched in the client's default
    /// one (the emitted ids stay as given).
    struct Prepared: Sendable {
        var id: ResourceID
        var goal: TrackingGoal
        var annotations: TrackingAnnotations
        var incarnation: Incarnation
    }

    static func resolveNamespaces(_ prepared: [Prepared], client: any KubeClient) async throws -> [TrackedTarget] {
        var scope: [String: Bool] = [:]
        var targets: [TrackedTarget] = []
        for (index, p) in prepared.enumerated() {
            var namespace = p.id.namespace
            if namespace?.isEmpty ?? true {
                let key = p.id.apiVersion + "/" + p.id.kind
                if scope[key] == nil {
                    scope[key] = (try? await client.resource(apiVersion: p.id.apiVersion, kind: p.id.kind))?.namespaced ?? false
                }
                namespace = scope[key] == true ? client.defaultNamespace : nil
            }
            var target = TrackedTarget(index: index, id: p.id, goal: p.goal, annotations: p.annotations, resolvedNamespace: namespace)
            target.incarnation = p.incarnation
            targets.append(target)
        }
        return targets
    }

    static func run(
        _ targets: [TrackedTarget], client: any KubeClient, hub: InformerHub?, options: TrackingOptions,
        continuation: AsyncThrowingStream<TrackingEvent, any Error>.Continuation
    ) async throws {
        let (followRequests, followSink) = AsyncStream<FollowRequest>.makeStream()
        let engine = TrackingEngine(
            targets: targets, options: options, emit: { continuation.yield($0) }, follow: { followSink.yield($0) })
        let feeds = TrackingFeed.feeds(for: targets, events: options.followEvents)
        let since = Self.rfc3339(Date().addingTimeInterval(-1))
        if targets.isEmpty {
            await engine.tick()
        } else {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for feed in feeds {
                    group.addTask {
                        let events = if let hub { await hub.subscribe(feed) } else { client.informer(feed.selector, options: ListOptions()) }
                        for try await event in events {
                            await engine.apply(event, feed: feed)
                            if await engine.final != nil { return }
                        }
                    }
                }
                group.addTask {
                    while await engine.final == nil {
                        try await Task.sleep(for: .seconds(options.tickInterval))
                        await engine.tick()
                    }
                }
                group.addTask {
                    await withDiscardingTaskGroup { followers in
                        for await request in followRequests {
                            followers.addTask { await Self.follow(request, since: since, client: client, engine: engine) }
                        }
                    }
                }
                // The first task to see the end returns; stop the watches and followers.
                _ = try await group.next()
                group.cancelAll()
                followSink.finish()
            }
        }
        guard let final = await engine.final else { throw CancellationError() }
        for var tail in final.tails {
            let id = await engine.target(tail.target)
            if tail.pod.isEmpty {
                guard let found = await Self.newestPod(of: id, namespace: tail.namespace, client: client) else { continue }
                (tail.pod, tail.container) = found
            }
            let lines = await Self.tail(tail, lines: options.failureLogLines, client: client)
            if !lines.isEmpty {
                continuation.yield(.failureLogs(id, LogTail(pod: tail.pod, container: tail.container, lines: lines)))
            }
        }
        continuation.yield(.result(final.result))
        let ready = final.result.outcomes.filter { $0.kind == .ready || $0.kind == .absent }.map(\.id)
        continuation.yield(.finished(ready: ready, failed: final.result.failures.map(\.id)))
    }

    /// One container log, line by line, until the container ends or the engine says stop.
    static func follow(_ request: FollowRequest, since: String, client: any KubeClient, engine: TrackingEngine) async {
        let filter = request.lines.compiled()
        let options = LogOptions(container: request.container, follow: true, sinceTime: since)
        // The kubelet may refuse the log, or end it at once, for a moment after reporting the container
        // running: retry a few times, but never after a line was read (no duplicates).
        for _ in 0..<5 {
            var received = false
            do {
                for try await line in client.podLogs(namespace: request.namespace, pod: request.pod, options: options) {
                    received = true
                    guard filter.accepts(line) else { continue }
                    if await !engine.log(request.target, LogLine(pod: request.pod, container: request.container, text: line)) { return }
                }
            } catch {
                // A container that is gone or not started yet has no log to show; tracking goes on.
            }
            if received || Task.isCancelled { return }
            if await !engine.log(request.target, nil) { return }
            try? await Task.sleep(for: .milliseconds(300))
        }
    }

    /// The last lines of a failing container (its previous run when it is waiting after a crash).
    static func tail(_ request: TailRequest, lines: Int, client: any KubeClient) async -> [String] {
        guard lines > 0 else { return [] }
        for previous in request.previous ? [true, false] : [false, true] {
            let options = LogOptions(container: request.container, previous: previous, tailLines: lines)
            var collected: [String] = []
            do {
                for try await line in client.podLogs(namespace: request.namespace, pod: request.pod, options: options) {
                    collected.append(line)
                }
                if !collected.isEmpty { return Array(collected.suffix(lines)) }
            } catch {
                continue
            }
        }
        return []
    }

    /// The failure came before any pod reached the informer: one LIST finds the owner's newest pod
    /// (a Deployment's pods through their ReplicaSet's name) and its first container.
    static func newestPod(of id: ResourceID, namespace: String, client: any KubeClient) async -> (pod: String, container: String)? {
        guard let pods = try? await client.list(ResourceSelector(apiVersion: "v1", kind: "Pod", namespace: namespace), options: ListOptions())
        else { return nil }
        let owned = pods.items.filter { pod in
            (pod[path: "metadata", "ownerReferences"]?.arrayValue ?? []).contains { ref in
                let name = ref["name"]?.stringValue ?? ""
                return (ref["kind"]?.stringValue == id.kind && name == id.name)
                    || (id.kind == "Deployment" && ref["kind"]?.stringValue == "ReplicaSet" && name.hasPrefix(id.name + "-"))
            }
        }
        let newest = owned.max { ($0[path: "metadata", "creationTimestamp"]?.stringValue ?? "") < ($1[path: "metadata", "creationTimestamp"]?.stringValue ?? "") }
        guard let newest, let container = (newest[path: "spec", "containers"]?.arrayValue ?? []).first?["name"]?.stringValue else { return nil }
        return (Meta.name(newest), container)
    }

    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

/// One watched (apiVersion, kind, namespace): one LIST + WATCH whatever the number of resources.
struct TrackingFeed: Sendable, Hashable {
    var apiVersion: String
    var kind: String
    var namespace: String?

    static let podBucket = "v1/Pod"
    static let replicaSetBucket = "apps/v1/ReplicaSet"
    static let eventBucket = "v1/Event"

    var selector: ResourceSelector { ResourceSelector(apiVersion: apiVersion, kind: kind, namespace: namespace) }
    var bucket: String { apiVersion + "/" + kind }
    var key: String { Self.key(bucket: bucket, namespace: namespace ?? "") }
    static func key(bucket: String, namespace: String) -> String { bucket + "|" + namespace }

    /// Each target's own kind, plus pods, ReplicaSets and events where the rules use them, once per
    /// namespace. Events of cluster-scoped objects are watched in `default`, as kubedog does.
    static func feeds(for targets: [TrackedTarget], events: Bool = true) -> [TrackingFeed] {
        var feeds: [TrackingFeed] = []
        var seen: Set<TrackingFeed> = []
        func add(_ feed: TrackingFeed) { if seen.insert(feed).inserted { feeds.append(feed) } }
        for t in targets {
            let namespace = t.resolvedNamespace
            add(TrackingFeed(apiVersion: t.id.apiVersion, kind: t.id.kind, namespace: namespace))
            guard t.goal != .absent, t.goal != .present else { continue }
            if t.id.kind == "Deployment" { add(TrackingFeed(apiVersion: "apps/v1", kind: "ReplicaSet", namespace: namespace)) }
            if t.hasPods && !t.isPod { add(TrackingFeed(apiVersion: "v1", kind: "Pod", namespace: namespace)) }
            if events { add(TrackingFeed(apiVersion: "v1", kind: "Event", namespace: t.eventNamespace)) }
        }
        return feeds
    }
}

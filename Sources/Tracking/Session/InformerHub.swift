import Kube
import Structured

/// Informers shared by every tracking session of one release operation: one LIST + WATCH per
/// (kind, namespace), opened on first use and kept until `close()`, as nelm's per-operation informer
/// factory. A session started later (the next hook, the next weight group) is handed the cached
/// objects at once instead of paying for its own LIST and watch set-up.
///
/// ```swift
/// let hub = InformerHub(client: client)
/// defer { Task { await hub.close() } }
/// let session = TrackingSession(client: client, hub: hub)
/// ```
public actor InformerHub {
    let client: any KubeClient
    private var feeds: [TrackingFeed: Feed] = [:]
    private var nextSubscriber = 0
    private var closed = false

    private struct Feed {
        var task: Task<Void, Never>?
        /// `namespace/name` -> the latest object seen.
        var objects: [String: Value] = [:]
        var synced = false
        var subscribers: [Int: AsyncThrowingStream<InformerEvent, any Error>.Continuation] = [:]
    }

    public init(client: any KubeClient) {
        self.client = client
    }

    /// Opens now the informers that tracking `requests` will use (their kinds, and pods, ReplicaSets and
    /// Events where the rules need them), so the sessions started later find them listed and watching.
    /// Each request's object must carry its namespace when its kind is namespaced.
    public func warm(_ requests: [TrackingRequest], events: Bool = true) {
        let targets = requests.enumerated().map { index, request in
            TrackedTarget(index: index, id: ResourceID(request.object), goal: request.goal, annotations: TrackingAnnotations())
        }
        for feed in TrackingFeed.feeds(for: targets, events: events) { open(feed) }
    }

    /// The feed's cached objects (as `.added`, then `.synced` once the first list arrived), then its
    /// changes as they come. Ends with an error when the informer fails for good.
    func subscribe(_ feed: TrackingFeed) -> AsyncThrowingStream<InformerEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: InformerEvent.self)
        guard !closed else {
            continuation.finish(throwing: CancellationError())
            return stream
        }
        open(feed)
        let id = nextSubscriber
        nextSubscriber += 1
        if let cached = feeds[feed] {
            for object in cached.objects.values { continuation.yield(.added(object)) }
            if cached.synced { continuation.yield(.synced) }
        }
        feeds[feed]?.subscribers[id] = continuation
        continuation.onTermination = { _ in Task { await self.unsubscribe(feed, id) } }
        return stream
    }

    /// Starts the informer of `feed` unless it runs already.
    private func open(_ feed: TrackingFeed) {
        guard !closed, feeds[feed] == nil else { return }
        feeds[feed] = Feed()
        let client = self.client
        feeds[feed]?.task = Task {
            do {
                for try await event in client.informer(feed.selector, options: ListOptions()) {
                    self.deliver(event, to: feed)
                }
                self.end(feed, error: nil)
            } catch {
                self.end(feed, error: error)
            }
        }
    }

    /// Stops every informer; later subscriptions fail.
    public func close() {
        closed = true
        for (_, feed) in feeds {
            feed.task?.cancel()
            for (_, continuation) in feed.subscribers { continuation.finish() }
        }
        feeds = [:]
    }

    private func deliver(_ event: InformerEvent, to key: TrackingFeed) {
        guard var feed = feeds[key] else { return }
        switch event {
        case .added(let object), .modified(let object): feed.objects[Self.key(object)] = object
        case .deleted(let object): feed.objects[Self.key(object)] = nil
        case .synced: feed.synced = true
        }
        feeds[key] = feed
        for (_, continuation) in feed.subscribers { continuation.yield(event) }
    }

    /// The informer ended: its subscribers end with it, and the next subscription starts afresh.
    private func end(_ key: TrackingFeed, error: (any Error)?) {
        guard let feed = feeds.removeValue(forKey: key) else { return }
        for (_, continuation) in feed.subscribers {
            if let error { continuation.finish(throwing: error) } else { continuation.finish() }
        }
    }

    private func unsubscribe(_ key: TrackingFeed, _ id: Int) {
        feeds[key]?.subscribers[id] = nil
    }

    private static func key(_ object: Value) -> String {
        (object[path: "metadata", "namespace"]?.stringValue ?? "") + "/" + Meta.name(object)
    }
}

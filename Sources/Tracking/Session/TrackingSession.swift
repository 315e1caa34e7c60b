import Kube
import Structured

/// What a `TrackingSession` reports: a resource's state whenever it changes, then the end.
public enum TrackingEvent: Sendable {
    /// The decided state of one tracked resource changed (first state included).
    case state(ResourceID, ResourceState)
    /// Every tracked resource is ready or failed.
    case finished(ready: [ResourceID], failed: [ResourceID])
}

/// Watch-driven tracking: one informer per (kind, namespace) shared by every tracked resource of
/// that namespace, as kubedog's shared informer factory; the rules decide on each change.
public struct TrackingSession: Sendable {
    let client: any KubeClient

    public init(client: any KubeClient) { self.client = client }

    /// Track `objects` (manifests or live objects: only identity and annotations are read up front)
    /// until each is ready or failed. Throws at once when an annotation is invalid.
    public func track(_ objects: [Value]) throws(TrackingError) -> AsyncThrowingStream<TrackingEvent, any Error> {
        var targets: [Target] = []
        for object in objects {
            let annotations = try TrackingAnnotations(of: object)
            targets.append(Target(id: ResourceID(object), annotations: annotations))
        }
        let feeds = Self.feeds(for: targets)
        let client = self.client
        let tracked = targets
        return AsyncThrowingStream { continuation in
            let task = Task {
                let cache = ObjectCache(targets: tracked)
                do {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for feed in feeds {
                            group.addTask {
                                for try await event in client.informer(feed.selector, options: ListOptions()) {
                                    let changes = await cache.apply(event, feed: feed)
                                    for (id, state) in changes { continuation.yield(.state(id, state)) }
                                    if let end = await cache.finishedIfDone() {
                                        continuation.yield(end)
                                        continuation.finish()
                                        return
                                    }
                                }
                            }
                        }
                        // The first informer to see the end finishes the stream; stop the others.
                        _ = try await group.next()
                        group.cancelAll()
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    struct Target: Sendable {
        var id: ResourceID
        var annotations: TrackingAnnotations
    }

    /// One watched (apiVersion, kind, namespace).
    struct Feed: Sendable, Hashable {
        var apiVersion: String
        var kind: String
        var namespace: String?
        var selector: ResourceSelector { ResourceSelector(apiVersion: apiVersion, kind: kind, namespace: namespace) }
    }

    /// The informers needed: each target's own kind, plus pods, ReplicaSets and events where the
    /// rules use them, once per namespace whatever the number of resources.
    static func feeds(for targets: [Target]) -> [Feed] {
        var feeds: [Feed] = []
        func add(_ feed: Feed) { if !feeds.contains(feed) { feeds.append(feed) } }
        for t in targets {
            add(Feed(apiVersion: t.id.apiVersion, kind: t.id.kind, namespace: t.id.namespace))
            switch t.id.kind {
            case "Deployment":
                add(Feed(apiVersion: "apps/v1", kind: "ReplicaSet", namespace: t.id.namespace))
                add(Feed(apiVersion: "v1", kind: "Pod", namespace: t.id.namespace))
            case "StatefulSet", "DaemonSet", "ReplicaSet", "Job":
                add(Feed(apiVersion: "v1", kind: "Pod", namespace: t.id.namespace))
            default: break
            }
            add(Feed(apiVersion: "v1", kind: "Event", namespace: t.id.namespace ?? "default"))
        }
        return feeds
    }
}

/// The objects the informers have delivered, and the last state decided for each target.
actor ObjectCache {
    private let targets: [TrackingSession.Target]
    /// Feed kind -> namespace/name -> object.
    private var objects: [String: [String: Value]] = [:]
    private var states: [ResourceID: ResourceState] = [:]

    init(targets: [TrackingSession.Target]) { self.targets = targets }

    private static func key(_ o: Value) -> String {
        (o[path: "metadata", "namespace"]?.stringValue ?? "") + "/" + (o[path: "metadata", "name"]?.stringValue ?? "")
    }

    private static func bucket(_ feed: TrackingSession.Feed) -> String { feed.apiVersion + "/" + feed.kind }

    /// Record one informer event and return the targets whose state changed.
    func apply(_ event: InformerEvent, feed: TrackingSession.Feed) -> [(ResourceID, ResourceState)] {
        let bucket = Self.bucket(feed)
        switch event {
        case .added(let o), .modified(let o): objects[bucket, default: [:]][Self.key(o)] = o
        case .deleted(let o): objects[bucket, default: [:]][Self.key(o)] = nil
        case .synced: break
        }
        var changed: [(ResourceID, ResourceState)] = []
        for target in targets where states[target.id].map({ $0.phase == .progressing }) ?? true {
            let ownBucket = target.id.apiVersion + "/" + target.id.kind
            let key = (target.id.namespace ?? "") + "/" + target.id.name
            guard let object = objects[ownBucket]?[key] else { continue }
            let namespace = target.id.namespace ?? ""
            func inNamespace(_ kindBucket: String) -> [Value] {
                (objects[kindBucket] ?? [:]).filter { $0.key.hasPrefix(namespace + "/") }.map(\.value)
            }
            let snapshot = ResourceSnapshot(
                object: object, pods: inNamespace("v1/Pod"), replicaSets: inNamespace("apps/v1/ReplicaSet"),
                events: inNamespace("v1/Event"))
            let state = ReadinessRules.state(of: snapshot, annotations: target.annotations)
            if states[target.id] != state {
                states[target.id] = state
                changed.append((target.id, state))
            }
        }
        return changed
    }

    /// `.finished` once every target has a final state.
    func finishedIfDone() -> TrackingEvent? {
        var ready: [ResourceID] = []
        var failed: [ResourceID] = []
        for target in targets {
            switch states[target.id]?.phase {
            case .ready?: ready.append(target.id)
            case .failed?: failed.append(target.id)
            default: return nil
            }
        }
        return .finished(ready: ready, failed: failed)
    }
}

import Foundation
import OrderedCollections
import Structured

/// The versioned object store of the simulated cluster: every object of every resource, one global
/// resourceVersion counter, watch fan-out with a bounded history, and the generic API machinery
/// (uid, timestamps, generation, optimistic concurrency, finalizers, owner-reference garbage
/// collection, namespace termination, CRD registration).
///
/// Everything here is synchronous inside the actor, so each operation is atomic. Controllers use the
/// same methods as the HTTP layer (they are clients of the store, as real controllers are of etcd via
/// the API server) and observe changes through `watch`.
public actor ObjectStore {
    public internal(set) var registry: ResourceRegistry
    /// Bounded window of past events; a watch starting before it gets 410 Gone.
    public let historyLimit: Int

    var objects: [GroupResource: ResourceObjects] = [:]
    var counter: Int64 = 1
    private var history: [StoreEvent] = []
    private var historyStart = 0  // index of the oldest event in the ring
    private var compactedRevision: Int64 = 0  // resumes from before this are 410
    private var watchers: [Int: Watcher] = [:]
    private var nextWatcherID = 0
    /// Spaces the wake-ups of client watch writers (see `WatchFlusher`).
    let flusher: WatchFlusher
    /// ownerReference uid -> dependents.
    var dependents: [String: Set<ObjectRef>] = [:]
    var byUID: [String: ObjectRef] = [:]
    var admission: Admission
    /// Extra admission steps (defaulting, validation) later layers add; run after the built-in ones.
    private var plugins: [any AdmissionPlugin] = []
    /// Scheduled pods are deleted gracefully (deletionTimestamp + grace period, removed by the
    /// kubelet). Off for a bare store, where no kubelet would ever finish the deletion.
    public private(set) var gracefulPodDeletion = false
    public func setGracefulPodDeletion(_ on: Bool) { gracefulPodDeletion = on }

    /// A class: `emit` visits every watcher per event, and a reference is cheaper to pass around.
    private final class Watcher: Sendable {
        enum Sink: Sendable {
            /// In-process consumers (controllers): unbounded, one event at a time.
            case stream(AsyncStream<StoreEvent>.Continuation)
            /// Client watches: bounded, drained in batches by the response writer.
            case queue(WatchQueue)
        }
        let resource: GroupResource?
        let namespace: String?
        let sink: Sink
        init(resource: GroupResource?, namespace: String?, sink: Sink) {
            self.resource = resource
            self.namespace = namespace
            self.sink = sink
        }
    }

    /// `watchBatchInterval`: the least time between two chunks of one busy client watch.
    public init(registry: ResourceRegistry = .builtIn, historyLimit: Int = 10_000, seedDefaults: Bool = true,
                watchBatchInterval: Duration = .milliseconds(5)) async {
        self.flusher = WatchFlusher(interval: watchBatchInterval)
        self.registry = registry
        self.historyLimit = historyLimit
        self.admission = Admission()
        if seedDefaults {
            for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
                _ = try? createNow(Self.namespaceType, namespace: nil, object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]])
            }
            _ = try? createNow(Self.serviceType, namespace: "default", object: [
                "apiVersion": "v1", "kind": "Service",
                "metadata": ["name": "kubernetes", "labels": ["component": "apiserver", "provider": "kubernetes"]],
                "spec": ["type": "ClusterIP", "clusterIP": "10.96.0.1", "ports": [["name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443]]],
            ])
        }
    }

    static let namespaceType = ResourceRegistry.builtIn.lookup(group: "", version: "v1", plural: "namespaces")!
    static let serviceType = ResourceRegistry.builtIn.lookup(group: "", version: "v1", plural: "services")!
    static let namespaces = GroupResource(group: "", resource: "namespaces")
    static let pods = GroupResource(group: "", resource: "pods")
    static let crds = GroupResource(group: "apiextensions.k8s.io", resource: "customresourcedefinitions")

    /// The latest resourceVersion handed out.
    public var currentResourceVersion: Int64 { counter }

    public func addAdmissionPlugin(_ plugin: any AdmissionPlugin) { plugins.append(plugin) }

    // MARK: - Reads

    public func get(_ type: ResourceType, namespace: String?, name: String) throws(APIError) -> Value {
        guard let object = objects[type.groupResource]?[ObjectKey(namespace: namespace ?? "", name: name)] else {
            throw APIError.notFound(type.groupResource, name)
        }
        return object
    }

    /// Objects of a resource in key order (namespace, name); `namespace` nil lists all namespaces.
    /// `filter` runs before pagination, as label and field selectors do on the real server.
    public func list(_ type: ResourceType, namespace: String?, limit: Int? = nil, continueToken: String? = nil,
                     filter: (@Sendable (Value) -> Bool)? = nil) throws(APIError) -> ListResult {
        var listRV = counter
        var startAfter: ObjectKey?
        if let continueToken, !continueToken.isEmpty {
            guard let token = ContinueToken.decode(continueToken) else {
                throw APIError.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
            }
            listRV = token.resourceVersion
            startAfter = token.after
        }
        guard let bucket = objects[type.groupResource] else {
            return ListResult(items: [], resourceVersion: listRV, continueToken: nil, remainingItemCount: nil)
        }
        let keys = bucket.keys(namespace: namespace, after: startAfter)
        var items: [Value] = []
        var index = 0
        var token: String?
        var remaining: Int?
        while index < keys.count {
            let object = bucket[keys[index]]!
            index += 1
            if let filter, !filter(object) { continue }
            items.append(object)
            if let limit, limit > 0, items.count >= limit {
                if index < keys.count {
                    let rest = filter.map { f in keys[index...].count(where: { f(bucket[$0]!) }) } ?? keys.count - index
                    if rest > 0 {
                        token = ContinueToken(resourceVersion: listRV, after: keys[index - 1]).encode()
                        remaining = rest
                    }
                }
                break
            }
        }
        return ListResult(items: items, resourceVersion: listRV, continueToken: token, remainingItemCount: remaining)
    }

    // MARK: - Writes

    /// Create an object. Fills uid, creationTimestamp, resourceVersion, generation, and the name from
    /// `generateName`; applies defaults and validation. With `dryRun` nothing is stored.
    /// `fieldManager` records the writer in `metadata.managedFields` (nil keeps what the object carries).
    public func create(_ type: ResourceType, namespace: String?, object: Value, dryRun: Bool = false,
                       fieldManager: String? = nil) throws(APIError) -> Value {
        var prepared = try prepareCreate(type, namespace: namespace, object: object, dryRun: dryRun)
        if let fieldManager {
            prepared.setMetadata("managedFields", nil)
            FieldManager(type: type).recordUpdate(old: nil, new: &prepared, manager: fieldManager, subresource: nil)
            prepared = Self.normalizeMetadata(prepared)
        }
        if dryRun { return prepared }
        return commitCreate(type, prepared)
    }

    private func prepareCreate(_ type: ResourceType, namespace: String?, object input: Value, dryRun: Bool) throws(APIError) -> Value {
        var object = input
        guard object.objectValue != nil else { throw APIError.badRequest("the body of the request was not a JSON object") }
        let ns = type.namespaced ? (namespace ?? "") : ""
        if type.namespaced {
            guard !ns.isEmpty else { throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request") }
            guard let namespaceObject = objects[Self.namespaces]?[ObjectKey(namespace: "", name: ns)] else {
                throw APIError.notFound(Self.namespaces, ns)
            }
            if namespaceObject.isDeleting {
                throw APIError(code: 403, reason: "Forbidden",
                               message: "\(type.plural) \"\(object.name)\" is forbidden: unable to create new content in namespace \(ns) because it is being terminated",
                               name: object.name, group: type.group, kind: type.plural)
            }
        }
        var generatedName: String?
        if object.name.isEmpty, let prefix = object[path: "metadata", "generateName"]?.stringValue, !prefix.isEmpty {
            var name = prefix + Self.randomSuffix()
            while objects[type.groupResource]?[ObjectKey(namespace: ns, name: name)] != nil { name = prefix + Self.randomSuffix() }
            generatedName = name
        }
        // One pass over metadata for what the server owns (one `setMetadata` each, in this order).
        let namespaced = type.namespaced
        object.editMetadata { meta in
            meta["namespace"] = namespaced ? .string(ns) : nil
            if let generatedName { meta["name"] = .string(generatedName) }
            for field in ["uid", "resourceVersion", "creationTimestamp", "generation", "deletionTimestamp"] { meta[field] = nil }
        }
        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        try admission.admit(&object, old: nil, type: type, store: self)
        for plugin in plugins { try plugin.admit(&object, old: nil, type: type) }
        let key = ObjectKey(namespace: ns, name: object.name)
        if objects[type.groupResource]?[key] != nil { throw APIError.alreadyExists(type.groupResource, key.name) }
        let generation: Value? = Admission.tracksGeneration(type) ? 1 : nil
        object.editMetadata { meta in
            if (meta["uid"]?.stringValue ?? "").isEmpty { meta["uid"] = .string(UUIDSource.next()) }
            meta["creationTimestamp"] = .string(Timestamp.now())
            meta["deletionTimestamp"] = nil
            meta["deletionGracePeriodSeconds"] = nil
            meta["generation"] = generation
            if dryRun { meta["resourceVersion"] = nil }
        }
        return Self.normalizeMetadata(object)
    }

    func createNow(_ type: ResourceType, namespace: String?, object: Value) throws(APIError) -> Value {
        commitCreate(type, try prepareCreate(type, namespace: namespace, object: object, dryRun: false))
    }

    private func commitCreate(_ type: ResourceType, _ prepared: Value) -> Value {
        var object = prepared
        counter += 1
        object.setMetadata("resourceVersion", .string(String(counter)))
        let key = ObjectKey(namespace: object.namespace, name: object.name)
        store(type.groupResource, key, object)
        emit(StoreEvent(type: .added, resource: type.groupResource, object: object, previous: nil, resourceVersion: counter))
        afterWrite(type, old: nil, new: object)
        if type.groupResource == Self.namespaces { populateNamespace(object.name) }
        return object
    }

    /// PEM of the cluster CA, published in every namespace as ConfigMap `kube-root-ca.crt`.
    public internal(set) var rootCAPEM = ""

    public func setRootCA(_ pem: String) {
        rootCAPEM = pem
        for (key, _) in objects[Self.namespaces] ?? [:] {
            let cmKey = ObjectKey(namespace: key.name, name: "kube-root-ca.crt")
            guard var cm = objects[GroupResource(group: "", resource: "configmaps")]?[cmKey], let type = registry.lookup(GroupResource(group: "", resource: "configmaps")) else { continue }
            let old = cm
            cm["data"] = ["ca.crt": .string(pem)]
            _ = commitUpdate(type, key: cmKey, old: old, new: cm)
        }
    }

    /// What the service-account and root-CA publisher controllers add to every new namespace.
    func populateNamespace(_ name: String) {
        if let sa = registry.lookup(GroupResource(group: "", resource: "serviceaccounts")) {
            _ = try? createNow(sa, namespace: name, object: ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "default"]])
        }
        if let cm = registry.lookup(GroupResource(group: "", resource: "configmaps")) {
            _ = try? createNow(cm, namespace: name, object: [
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": ["name": "kube-root-ca.crt", "annotations": ["kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."]],
                "data": ["ca.crt": .string(rootCAPEM)],
            ])
        }
    }

    /// Replace an object (PUT). `subresource` "status" changes only status; the main resource keeps
    /// the stored status for kinds with a status subresource. A non-empty resourceVersion must match.
    public func update(_ type: ResourceType, namespace: String?, object input: Value, subresource: String? = nil,
                       dryRun: Bool = false, fieldManager: String? = nil) throws(APIError) -> Value {
        let ns = type.namespaced ? (namespace ?? "") : ""
        let key = ObjectKey(namespace: ns, name: input.name)
        guard let old = objects[type.groupResource]?[key] else { throw APIError.notFound(type.groupResource, key.name) }
        let requested = input.resourceVersion
        if !requested.isEmpty && requested != old.resourceVersion { throw APIError.staleVersion(type.groupResource, key.name) }
        var object: Value
        if subresource == "status" {
            object = old
            object["status"] = input["status"]
            // Status writers may still touch metadata the server lets them (labels, annotations).
        } else {
            object = input
            object["apiVersion"] = .string(type.apiVersion)
            object["kind"] = .string(type.kind)
            if type.hasStatus { object["status"] = old["status"] }
        }
        object.setMetadata("namespace", type.namespaced ? .string(ns) : nil)
        for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
            object.setMetadata(field, old["metadata"]?[field])
        }
        if old.isDeleting {
            // Finalizers can only be removed once deletion started.
            let added = Set(object.finalizers).subtracting(old.finalizers)
            if !added.isEmpty {
                throw APIError.invalid(kind: type.kind, group: type.group, name: key.name, [APIError.Cause(
                    type: "FieldValueForbidden", message: "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\(added.sorted().map { "\"\($0)\"" }.joined(separator: ", "))}",
                    field: "metadata.finalizers")])
            }
        }
        if subresource != "status" {
            try admission.admit(&object, old: old, type: type, store: self)
            for plugin in plugins { try plugin.admit(&object, old: old, type: type) }
        }
        if Admission.tracksGeneration(type), subresource != "status", Self.specChanged(old, object) {
            object.setMetadata("generation", .int((old[path: "metadata", "generation"]?.intValue ?? 0) + 1))
        }
        object.setMetadata("resourceVersion", old["metadata"]?["resourceVersion"])
        if fieldManager != nil || subresource == "status" {
            // Clients may rewrite managedFields on purpose (kubectl's client-side to server-side apply
            // migration does); otherwise the stored ones carry over.
            let sent = input[path: "metadata", "managedFields"]
            let stored = old[path: "metadata", "managedFields"]
            let explicit = subresource != "status" && sent != nil && !(sent!.sameContent(as: stored ?? .null))
            object.setMetadata("managedFields", explicit ? sent : stored)
        }
        object = Self.normalizeMetadata(object)
        if object.sameContent(as: old) { return old }  // no-op updates write nothing, as on the real server
        if let fieldManager {
            FieldManager(type: type).recordUpdate(old: old, new: &object, manager: fieldManager, subresource: subresource)
            object = Self.normalizeMetadata(object)
        }
        if dryRun { return object }
        return commitUpdate(type, key: key, old: old, new: object)
    }

    /// Write an already-validated new state (bumps resourceVersion, emits, finishes deletion when the
    /// last finalizer went away).
    func commitUpdate(_ type: ResourceType, key: ObjectKey, old: Value, new: Value) -> Value {
        var object = new
        counter += 1
        object.setMetadata("resourceVersion", .string(String(counter)))
        // A pod in its grace period stays until the kubelet deletes it with grace 0.
        let inGracePeriod = type.groupResource == Self.pods && (object[path: "metadata", "deletionGracePeriodSeconds"]?.intValue ?? 0) > 0
        if object.isDeleting && object.finalizers.isEmpty && type.groupResource != Self.namespaces && !inGracePeriod {
            remove(type.groupResource, key, object)
            return object
        }
        store(type.groupResource, key, object)
        emit(StoreEvent(type: .modified, resource: type.groupResource, object: object, previous: old, resourceVersion: counter))
        afterWrite(type, old: old, new: object)
        return object
    }

    /// Delete an object. With finalizers (or Foreground/Orphan propagation) it is only marked
    /// (deletionTimestamp) and goes away once its finalizers are removed.
    public func delete(_ type: ResourceType, namespace: String?, name: String, options: DeleteOptions = DeleteOptions()) throws(APIError) -> DeleteOutcome {
        let ns = type.namespaced ? (namespace ?? "") : ""
        let key = ObjectKey(namespace: ns, name: name)
        guard let old = objects[type.groupResource]?[key] else { throw APIError.notFound(type.groupResource, name) }
        if let uid = options.preconditionUID, uid != old.uid {
            throw APIError.conflict(type.groupResource, name, "Precondition failed: UID in precondition: \(uid), UID in object meta: \(old.uid)")
        }
        if let rv = options.preconditionResourceVersion, rv != old.resourceVersion {
            throw APIError.conflict(type.groupResource, name, "Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(old.resourceVersion)")
        }
        var finalizers = old.finalizers
        if type.groupResource == Self.namespaces {
            return try deleteNamespace(old, dryRun: options.dryRun)
        }
        switch options.propagationPolicy {
        case .orphan?: if !finalizers.contains("orphan") { finalizers.append("orphan") }
        case .foreground?:
            if !(dependents[old.uid]?.isEmpty ?? true), !finalizers.contains("foregroundDeletion") { finalizers.append("foregroundDeletion") }
        default: break
        }
        let podGrace = type.groupResource == Self.pods ? podGracePeriod(old, options) : nil
        if let podGrace, podGrace > 0 {
            return try deletePodGracefully(type, key: key, old: old, grace: podGrace, finalizers: finalizers, dryRun: options.dryRun)
        }
        // A terminating pod deleted again with grace 0 (the kubelet, or --force) goes now.
        let finishesPod = type.groupResource == Self.pods && old.isDeleting
            && (old[path: "metadata", "deletionGracePeriodSeconds"]?.intValue ?? 0) > 0
        if old.isDeleting && !finishesPod {
            // Already terminating: a second delete may only add the orphan/foreground finalizers.
            if finalizers == old.finalizers || options.dryRun { return .pending(old) }
            var object = old
            object.setMetadata("finalizers", .array(finalizers.map { .string($0) }))
            return .pending(commitUpdate(type, key: key, old: old, new: object))
        }
        if finalizers.isEmpty {
            if options.dryRun { return .deleted(old) }
            var object = old
            counter += 1
            object.setMetadata("resourceVersion", .string(String(counter)))
            remove(type.groupResource, key, object)
            return .deleted(object)
        }
        var object = old
        object.setMetadata("finalizers", .array(finalizers.map { .string($0) }))
        object.setMetadata("deletionTimestamp", .string(Timestamp.now()))
        object.setMetadata("deletionGracePeriodSeconds", 0)
        if type.tracksGenerationOnDelete { object.setMetadata("generation", .int((old[path: "metadata", "generation"]?.intValue ?? 0) + 1)) }
        object = Self.normalizeMetadata(object)
        if options.dryRun { return .pending(object) }
        let written = commitUpdate(type, key: key, old: old, new: object)
        processFinalizers(type.groupResource, key)
        return .pending(objects[type.groupResource]?[key] ?? written)
    }

    // MARK: - Watch

    /// Changes of one resource (nil: all resources, for controllers), optionally in one namespace.
    /// `since` replays history after that resourceVersion; older than the history window is 410 Gone.
    /// When `since` is nil the stream starts with the current state as ADDED events (unless
    /// `initialState` is false) and continues live.
    public func watch(_ resource: GroupResource?, namespace: String? = nil, since: Int64? = nil,
                      initialState: Bool = true) throws(APIError) -> AsyncStream<StoreEvent> {
        let replay = try startingEvents(resource, namespace: namespace, since: since, initialState: initialState)
        let (stream, continuation) = AsyncStream.makeStream(of: StoreEvent.self)
        for event in replay { continuation.yield(event) }
        let id = addWatcher(Watcher(resource: resource, namespace: namespace, sink: .stream(continuation)))
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeWatcher(id) }
        }
        return stream
    }

    /// A client watch: like `watch`, but into a bounded `WatchQueue` the response writer drains in
    /// batches (see there). Also returns the resourceVersion the watch starts at.
    public func openWatch(_ resource: GroupResource, namespace: String?, since: Int64?, initialState: Bool,
                          capacity: Int) throws(APIError) -> (queue: WatchQueue, resourceVersion: Int64) {
        let replay = try startingEvents(resource, namespace: namespace, since: since, initialState: initialState)
        let queue = WatchQueue(initial: replay, capacity: capacity, lag: watchLag)
        let id = addWatcher(Watcher(resource: resource, namespace: namespace, sink: .queue(queue)))
        queue.setOnFinish { [weak self] in
            Task { await self?.removeWatcher(id) }
        }
        return (queue, counter)
    }

    /// What a new watch sends first: history after `since` (410 Gone when that is compacted), or the
    /// current objects as ADDED in key order.
    private func startingEvents(_ resource: GroupResource?, namespace: String?, since: Int64?,
                                initialState: Bool) throws(APIError) -> [StoreEvent] {
        var replay: [StoreEvent] = []
        if let since, since > 0 {
            guard since >= compactedRevision, since >= oldestReplayableVersion - 1 || history.isEmpty else {
                throw APIError.gone("too old resource version: \(since) (\(oldestReplayableVersion - 1))")
            }
            replay = orderedHistory().filter { $0.resourceVersion > since && matches($0, resource, namespace) }
        } else if initialState {
            let resources = resource.map { [$0] } ?? Array(objects.keys)
            for r in resources {
                guard let bucket = objects[r] else { continue }
                for key in bucket.keys(namespace: namespace) {
                    let object = bucket[key]!
                    replay.append(StoreEvent(type: .added, resource: r, object: object, previous: nil,
                                             resourceVersion: Int64(object.resourceVersion) ?? counter))
                }
            }
        }
        return replay
    }

    private func addWatcher(_ watcher: Watcher) -> Int {
        let id = nextWatcherID
        nextWatcherID += 1
        watchers[id] = watcher
        countClientWatches()
        return id
    }

    /// Tell the flusher how many client watches are open (it spaces their chunks accordingly).
    private func countClientWatches() {
        flusher.setWatchCount(watchers.values.reduce(0) { n, w in if case .queue = w.sink { n + 1 } else { n } })
    }

    /// Number of open watches (for tests and metrics).
    public var watchCount: Int { watchers.count }
    /// Client watches closed because they fell `capacity` events behind (benchmark figure).
    public private(set) var watchesClosedBehind = 0
    /// Client watches far behind (writes wait a little for them; see `WatchLag`).
    public nonisolated let watchLag = WatchLag()
    /// Slow finalizers (uid and finalizer) whose release is scheduled.
    var slowReleases: Set<String> = []

    /// The oldest resourceVersion a watch can still resume after (exclusive lower bound + 1).
    public var oldestReplayableVersion: Int64 {
        guard !history.isEmpty else { return counter }
        return history[historyStart].resourceVersion
    }

    /// Forget all history (fault injection: every resume then gets 410 Gone).
    public func compactHistory() {
        history = []
        historyStart = 0
        compactedRevision = counter
    }

    /// End every open watch (fault injection: dropped connections).
    public func dropWatches() {
        let open = watchers
        watchers = [:]
        countClientWatches()
        for (_, w) in open {
            switch w.sink {
            case .stream(let continuation): continuation.finish()
            case .queue(let queue): queue.finish()
            }
        }
    }

    private func removeWatcher(_ id: Int) {
        watchers[id] = nil
        countClientWatches()
    }

    private func matches(_ event: StoreEvent, _ resource: GroupResource?, _ namespace: String?) -> Bool {
        (resource == nil || event.resource == resource) && (namespace == nil || event.namespace == namespace)
    }

    private func orderedHistory() -> ArraySlice<StoreEvent> {
        if historyStart == 0 { return history[...] }
        return ArraySlice(history[historyStart...] + history[..<historyStart])
    }

    func emit(_ event: StoreEvent) {
        if history.count < historyLimit {
            history.append(event)
        } else if historyLimit > 0 {
            history[historyStart] = event
            historyStart = (historyStart + 1) % historyLimit
        }
        var closed: [Int] = []
        var idle: [WatchQueue] = []
        for (id, w) in watchers where matches(event, w.resource, w.namespace) {
            switch w.sink {
            case .stream(let continuation): continuation.yield(event)
            case .queue(let queue):
                switch queue.push(event) {
                case .queued: break
                case .needsWake: idle.append(queue)
                case .closed: closed.append(id)
                }
            }
        }
        watchesClosedBehind += closed.count
        for id in closed { watchers[id] = nil }
        if !closed.isEmpty { countClientWatches() }
        flusher.schedule(idle)
    }

    // MARK: - Helpers

    /// Does an update change anything besides metadata and status (what generation counts)?
    static func specChanged(_ old: Value, _ new: Value) -> Bool {
        var a = old, b = new
        for key in ["metadata", "status", "apiVersion", "kind"] { a[key] = nil; b[key] = nil }
        return !a.sameContent(as: b)
    }

    /// Drop empty maps/lists the API server would not keep (labels: {} and the like) and order
    /// metadata fields as the server prints them.
    static func normalizeMetadata(_ object: Value) -> Value {
        guard let meta = object["metadata"]?.objectValue else { return object }
        if isNormalized(meta) { return object }  // the usual case: nothing to drop, already in order
        // Stable sort by rank: the ordered fields, then the others as they were.
        var kept: [(rank: Int, offset: Int)] = []
        kept.reserveCapacity(meta.count)
        for (offset, (key, value)) in meta.enumerated() {
            let rank = metadataRank[key] ?? metadataOrder.count
            if droppableRanks.contains(rank), isDroppable(value) { continue }
            kept.append((rank, offset))
        }
        kept.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.offset < $1.offset }
        let sorted = OrderedDictionary(uniqueKeysWithValues: kept.map { (meta.keys[$0.offset], meta.values[$0.offset]) })
        var result = object
        result["metadata"] = .object(sorted)
        return result
    }

    static let metadataOrder = ["name", "generateName", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
                                "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences",
                                "finalizers", "managedFields"]
    /// Position of each field in `metadataOrder`; other fields come after them all, as they are.
    private static let metadataRank: [String: Int] = Dictionary(uniqueKeysWithValues: metadataOrder.enumerated().map { ($1, $0) })
    /// Ranks of the fields dropped when empty (labels ... managedFields).
    private static let droppableRanks = 9...13

    private static func isDroppable(_ v: Value) -> Bool {
        v.isNull || v.objectValue?.isEmpty == true || v.arrayValue?.isEmpty == true
    }

    /// Whether `normalizeMetadata` would leave `meta` as it is: no empty field to drop, fields in order.
    private static func isNormalized(_ meta: OrderedDictionary<String, Value>) -> Bool {
        var previous = 0
        for (key, value) in meta {
            let rank = metadataRank[key] ?? metadataOrder.count
            if rank < previous { return false }
            if droppableRanks.contains(rank), isDroppable(value) { return false }
            previous = rank
        }
        return true
    }

    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement()! })
    }
}

extension ResourceType {
    /// Kinds whose generation moves when deletion starts (the server bumps it so controllers notice).
    var tracksGenerationOnDelete: Bool { Admission.tracksGeneration(self) }
}

/// An admission step a later layer adds (defaults, validation) without touching the store.
public protocol AdmissionPlugin: Sendable {
    /// Mutate or reject an object about to be stored; `old` is nil on create.
    func admit(_ object: inout Value, old: Value?, type: ResourceType) throws(APIError)
}

/// Opaque position in a paginated list.
struct ContinueToken {
    var resourceVersion: Int64
    var after: ObjectKey

    func encode() -> String {
        let json = JSON.wireString(["v": "meta.k8s.io/v1", "rv": .int(resourceVersion), "ns": .string(after.namespace), "start": .string(after.name)])
        return Data(json.utf8).base64EncodedString()
    }

    static func decode(_ token: String) -> ContinueToken? {
        guard let data = Data(base64Encoded: token), let v = try? JSON.decode(Array(data)),
              let rv = v["rv"]?.intValue, let name = v["start"]?.stringValue else { return nil }
        return ContinueToken(resourceVersion: rv, after: ObjectKey(namespace: v["ns"]?.stringValue ?? "", name: name))
    }
}

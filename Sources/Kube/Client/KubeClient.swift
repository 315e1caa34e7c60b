import Structured

/// The cluster as Deploy, Tracking and Releases see it: unstructured objects in, objects out.
/// `HTTPKubeClient` implements it; tests run it against kubesim.
public protocol KubeClient: Sendable {
    /// The namespace used when an object or call names none.
    var defaultNamespace: String { get }

    /// Kind -> resource mapping (plural name, scope), through discovery.
    func resource(apiVersion: String, kind: String) async throws(KubeError) -> APIResource
    /// The server's `/version`.
    func serverVersion() async throws(KubeError) -> ServerVersion
    /// Every group version and kind the server serves, read fresh (Helm's capabilities).
    func serverAPIs() async throws(KubeError) -> ServerAPIs
    /// Helm's template `lookup`: an object, a list, or an empty object when not found.
    func lookup(apiVersion: String, kind: String, namespace: String, name: String) async throws(KubeError) -> Value

    func get(_ reference: ObjectReference) async throws(KubeError) -> Value
    func list(_ selector: ResourceSelector, options: ListOptions) async throws(KubeError) -> ObjectList
    func create(_ object: Value, options: WriteOptions) async throws(KubeError) -> Value
    func update(_ object: Value, options: WriteOptions) async throws(KubeError) -> Value
    /// Server-side apply (`PATCH application/apply-patch+yaml`).
    func apply(_ object: Value, options: ApplyOptions) async throws(KubeError) -> Value
    func patch(_ reference: ObjectReference, _ patch: Patch, options: WriteOptions) async throws(KubeError) -> Value
    /// Returns the object as the server left it (still there with finalizers or a grace period),
    /// or nil when the server answered with a Success Status (already gone).
    func delete(_ reference: ObjectReference, options: DeleteOptions) async throws(KubeError) -> Value?

    /// Raw watch from a resourceVersion: ends when the server closes it; errors on 410.
    func watch(_ selector: ResourceSelector, options: WatchOptions) -> AsyncThrowingStream<WatchEvent, any Error>
    /// List, then watch, resuming after drops and re-listing after 410 Gone: one consistent stream.
    func informer(_ selector: ResourceSelector, options: ListOptions) -> AsyncThrowingStream<InformerEvent, any Error>
    /// A pod's log as lines (without the newline).
    func podLogs(namespace: String, pod: String, options: LogOptions) -> AsyncThrowingStream<String, any Error>
    /// Events whose involvedObject is `object` (matched by uid when it has one), oldest first.
    func events(for object: Value) async throws(KubeError) -> [Value]
}

/// Names one object: `apps/v1 Deployment web` in namespace `prod`.
public struct ObjectReference: Sendable, Hashable, CustomStringConvertible {
    public var apiVersion: String
    public var kind: String
    /// nil: the client's default namespace for namespaced kinds; ignored for cluster-scoped kinds.
    public var namespace: String?
    public var name: String

    public init(apiVersion: String, kind: String, namespace: String? = nil, name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// The reference of an object's own `apiVersion`, `kind`, `metadata.namespace/name`.
    public init(of object: Value) throws(KubeError) {
        guard let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty else {
            throw KubeError(.invalidRequest, "object has no apiVersion")
        }
        guard let kind = object["kind"]?.stringValue, !kind.isEmpty else {
            throw KubeError(.invalidRequest, "object has no kind")
        }
        guard let name = object[path: "metadata", "name"]?.stringValue, !name.isEmpty else {
            throw KubeError(.invalidRequest, "\(kind) object has no metadata.name")
        }
        let namespace = object[path: "metadata", "namespace"]?.stringValue
        self.init(apiVersion: apiVersion, kind: kind, namespace: namespace?.isEmpty == true ? nil : namespace, name: name)
    }

    public var description: String { "\(kind)/\(name)" + (namespace.map { " in namespace \($0)" } ?? "") }
}

/// A set of objects of one kind: all namespaces when `namespace` is nil and `allNamespaces`.
public struct ResourceSelector: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var namespace: String?
    public var allNamespaces: Bool

    public init(apiVersion: String, kind: String, namespace: String? = nil, allNamespaces: Bool = false) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.allNamespaces = allNamespaces
    }
}

public struct ListOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Page size; the client follows `continue` tokens until the list is complete.
    public var limit: Int?
    public var resourceVersion: String?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = 500, resourceVersion: String? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.resourceVersion = resourceVersion
    }
}

/// A complete list: every page joined.
public struct ObjectList: Sendable {
    public var items: [Value]
    public var resourceVersion: String
}

public struct WriteOptions: Sendable, Hashable {
    public var dryRun: Bool
    public var fieldManager: String?

    public init(dryRun: Bool = false, fieldManager: String? = nil) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
    }
}

public struct ApplyOptions: Sendable, Hashable {
    public var fieldManager: String
    public var force: Bool
    public var dryRun: Bool

    public init(fieldManager: String = "bosun", force: Bool = false, dryRun: Bool = false) {
        self.fieldManager = fieldManager
        self.force = force
        self.dryRun = dryRun
    }
}

public enum Patch: Sendable, Hashable {
    /// RFC 6902 operations (`[{"op":"replace",...}]`).
    case json(Value)
    /// RFC 7386 merge patch.
    case merge(Value)
    /// Kubernetes strategic merge patch (built-in kinds only).
    case strategicMerge(Value)

    var contentType: String {
        switch self {
        case .json: return "application/json-patch+json"
        case .merge: return "application/merge-patch+json"
        case .strategicMerge: return "application/strategic-merge-patch+json"
        }
    }

    var body: Value {
        switch self {
        case .json(let v), .merge(let v), .strategicMerge(let v): return v
        }
    }

    /// A merge patch gives the same result however often it is applied; the others may not.
    var isIdempotent: Bool { if case .merge = self { return true } else { return false } }
}

public struct DeleteOptions: Sendable, Hashable {
    public enum Propagation: String, Sendable { case foreground = "Foreground", background = "Background", orphan = "Orphan" }

    public var propagationPolicy: Propagation?
    public var gracePeriodSeconds: Int?
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    public var dryRun: Bool

    public init(
        propagationPolicy: Propagation? = .background, gracePeriodSeconds: Int? = nil, preconditionUID: String? = nil,
        preconditionResourceVersion: String? = nil, dryRun: Bool = false
    ) {
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.dryRun = dryRun
    }
}

public struct WatchOptions: Sendable, Hashable {
    public var resourceVersion: String?
    public var labelSelector: String?
    public var fieldSelector: String?
    public var allowWatchBookmarks: Bool
    /// Server-side timeout; the server ends the watch after it.
    public var timeoutSeconds: Int?

    public init(
        resourceVersion: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
        allowWatchBookmarks: Bool = true, timeoutSeconds: Int? = nil
    ) {
        self.resourceVersion = resourceVersion
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.allowWatchBookmarks = allowWatchBookmarks
        self.timeoutSeconds = timeoutSeconds
    }
}

public struct WatchEvent: Sendable {
    public enum EventType: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED", bookmark = "BOOKMARK", error = "ERROR" }

    public var type: EventType
    /// The object; for ERROR a Status.
    public var object: Value

    public var resourceVersion: String? { object[path: "metadata", "resourceVersion"]?.stringValue }
}

/// What an informer yields: object changes, and `synced` once the initial list has been delivered
/// (again after every re-list).
public enum InformerEvent: Sendable {
    case added(Value)
    case modified(Value)
    case deleted(Value)
    case synced
}

public struct LogOptions: Sendable, Hashable {
    public var container: String?
    public var follow: Bool
    public var previous: Bool
    public var tailLines: Int?
    /// RFC 3339.
    public var sinceTime: String?
    public var sinceSeconds: Int?
    /// Prefix each line with its RFC 3339 time (nanoseconds) and a space.
    public var timestamps: Bool
    /// The server stops after this many bytes (possibly mid-line).
    public var limitBytes: Int?

    public init(
        container: String? = nil, follow: Bool = false, previous: Bool = false, tailLines: Int? = nil, sinceTime: String? = nil,
        sinceSeconds: Int? = nil, timestamps: Bool = false, limitBytes: Int? = nil
    ) {
        self.limitBytes = limitBytes
        self.container = container
        self.follow = follow
        self.previous = previous
        self.tailLines = tailLines
        self.sinceTime = sinceTime
        self.sinceSeconds = sinceSeconds
        self.timestamps = timestamps
    }
}

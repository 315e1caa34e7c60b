import Foundation
import NIOCore
import Structured

/// One change in the store, as watches and controllers see it. Copies share one storage object, so
/// queueing an event for 200 watches costs 200 reference-count increments, not 200 copies.
public struct StoreEvent: Sendable {
    public enum Kind: String, Sendable {
        case added = "ADDED", modified = "MODIFIED", deleted = "DELETED"
    }

    private final class Storage: Sendable {
        let type: Kind
        let resource: GroupResource
        let object: Value
        let previous: Value?
        let resourceVersion: Int64
        let namespace: String
        let encodings = EncodingCache()

        init(type: Kind, resource: GroupResource, object: Value, previous: Value?, resourceVersion: Int64) {
            self.type = type
            self.resource = resource
            self.object = object
            self.previous = previous
            self.resourceVersion = resourceVersion
            self.namespace = object.namespace
        }
    }

    private let storage: Storage

    public var type: Kind { storage.type }
    public var resource: GroupResource { storage.resource }
    /// The object after the change (for `deleted`, its last state).
    public var object: Value { storage.object }
    /// The object before the change, for `modified` and `deleted` (lets watches with selectors
    /// turn "stopped matching" into DELETED as the real server does).
    public var previous: Value? { storage.previous }
    public var resourceVersion: Int64 { storage.resourceVersion }
    /// Wire encodings shared by every watch that sends this event unchanged (encode once, not per watcher).
    var encodings: EncodingCache { storage.encodings }

    public init(type: Kind, resource: GroupResource, object: Value, previous: Value?, resourceVersion: Int64) {
        storage = Storage(type: type, resource: resource, object: object, previous: previous, resourceVersion: resourceVersion)
    }

    public var namespace: String { storage.namespace }
}

/// Memoized watch lines of one event: one per event type (a selector can turn a MODIFIED into an
/// ADDED or DELETED) for the apiVersion most watches use, plus any others. Lines are `ByteBuffer`s
/// so 200 watch responses send the same bytes without copying them (copies share the storage).
final class EncodingCache: @unchecked Sendable {
    private let lock = NSLock()
    private var apiVersion: String?
    private var lines: [ByteBuffer?] = [nil, nil, nil, nil]
    private var others: [String: ByteBuffer] = [:]

    /// The line for `type` (slot 0-3) and `apiVersion`, made by `make` on first use.
    func line(_ slot: Int, apiVersion: String, _ make: () -> [UInt8]) -> ByteBuffer {
        lock.lock()
        if self.apiVersion == nil { self.apiVersion = apiVersion }
        let primary = self.apiVersion == apiVersion
        if primary, let cached = lines[slot] { lock.unlock(); return cached }
        if !primary, let cached = others["\(slot) \(apiVersion)"] { lock.unlock(); return cached }
        lock.unlock()
        let made = ByteBuffer(bytes: make())
        lock.lock()
        if primary { lines[slot] = made } else { others["\(slot) \(apiVersion)"] = made }
        lock.unlock()
        return made
    }
}

/// Where an object lives inside one resource: namespace ("" when cluster-scoped) and name.
public struct ObjectKey: Sendable, Hashable, Comparable {
    public var namespace: String
    public var name: String
    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }
    public static func < (a: ObjectKey, b: ObjectKey) -> Bool {
        a.namespace == b.namespace ? a.name < b.name : a.namespace < b.namespace
    }
}

/// A stored object's full address.
public struct ObjectRef: Sendable, Hashable {
    public var resource: GroupResource
    public var key: ObjectKey
}

/// How `delete` treats dependents (metadata.ownerReferences pointing at the deleted object).
public enum PropagationPolicy: String, Sendable {
    case background = "Background", foreground = "Foreground", orphan = "Orphan"
}

public struct DeleteOptions: Sendable {
    public var propagationPolicy: PropagationPolicy?
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    public var gracePeriodSeconds: Int64?
    public var dryRun: Bool
    public init(propagationPolicy: PropagationPolicy? = nil, preconditionUID: String? = nil,
                preconditionResourceVersion: String? = nil, gracePeriodSeconds: Int64? = nil, dryRun: Bool = false) {
        self.propagationPolicy = propagationPolicy
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.gracePeriodSeconds = gracePeriodSeconds
        self.dryRun = dryRun
    }
}

/// What `delete` did: removed the object now, or marked it (deletionTimestamp) pending finalizers.
public enum DeleteOutcome: Sendable {
    case deleted(Value)
    case pending(Value)
    public var object: Value {
        switch self { case .deleted(let v), .pending(let v): return v }
    }
}

/// One page of a list.
public struct ListResult: Sendable {
    public var items: [Value]
    public var resourceVersion: Int64
    /// Set when more items remain (pagination with `limit`).
    public var continueToken: String?
    public var remainingItemCount: Int?
}

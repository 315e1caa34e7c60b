import OrderedCollections
import Structured
import Synchronization

/// A tiny namespaced object store with resourceVersions and label selection: the `ClusterObjects`
/// of tests and of runs without a cluster. It checks concurrency the way the API server does.
public final class InMemoryObjects: ClusterObjects {
    private struct State {
        var objects: [String: Value] = [:]  // "resource/namespace/name"
        var revision = 0
    }

    private let state = Mutex(State())

    public init() {}

    private static func key(_ t: ResourceType, _ ns: String, _ name: String) -> String { "\(t.resource)/\(ns)/\(name)" }

    public func get(_ type: ResourceType, namespace: String, name: String) async throws(ClusterObjectError) -> Value {
        guard let o = state.withLock({ $0.objects[Self.key(type, namespace, name)] }) else { throw .notFound }
        return o
    }

    public func list(_ type: ResourceType, namespace: String?, labelSelector: String) async throws(ClusterObjectError) -> [Value] {
        let selector = LabelSelector.parseSelector(labelSelector)
        let prefix = "\(type.resource)/" + (namespace.map { "\($0)/" } ?? "")
        return state.withLock { s in
            s.objects.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.map(\.value)
        }.filter { o in
            selector.allSatisfy { o[path: "metadata", "labels", $0.key]?.stringValue == $0.value }
        }
    }

    public func create(_ type: ResourceType, namespace: String, _ object: Value) async throws(ClusterObjectError) -> Value {
        guard let name = object[path: "metadata", "name"]?.stringValue else { throw .other("metadata.name is required") }
        let k = Self.key(type, namespace, name)
        return try state.withLock { s throws(ClusterObjectError) -> Value in
            guard s.objects[k] == nil else { throw .alreadyExists }
            s.revision += 1
            var o = object
            o["metadata"]?["namespace"] = .string(namespace)
            o["metadata"]?["resourceVersion"] = .string(String(s.revision))
            s.objects[k] = o
            return o
        }
    }

    public func update(_ type: ResourceType, namespace: String, _ object: Value) async throws(ClusterObjectError) -> Value {
        guard let name = object[path: "metadata", "name"]?.stringValue else { throw .other("metadata.name is required") }
        let k = Self.key(type, namespace, name)
        return try state.withLock { s throws(ClusterObjectError) -> Value in
            guard let old = s.objects[k] else { throw .notFound }
            if let rv = object[path: "metadata", "resourceVersion"]?.stringValue,
               rv != old[path: "metadata", "resourceVersion"]?.stringValue {
                throw .conflict
            }
            s.revision += 1
            var o = object
            o["metadata"]?["namespace"] = .string(namespace)
            o["metadata"]?["resourceVersion"] = .string(String(s.revision))
            s.objects[k] = o
            return o
        }
    }

    public func delete(_ type: ResourceType, namespace: String, name: String) async throws(ClusterObjectError) {
        let removed = state.withLock { $0.objects.removeValue(forKey: Self.key(type, namespace, name)) }
        if removed == nil { throw .notFound }
    }

    /// Overwrite an object as is (tests use it to plant corrupt records).
    public func put(_ type: ResourceType, namespace: String, _ object: Value) {
        let name = object[path: "metadata", "name"]?.stringValue ?? ""
        state.withLock { s in
            s.revision += 1
            var o = object
            o["metadata"]?["resourceVersion"] = .string(String(s.revision))
            s.objects[Self.key(type, namespace, name)] = o
        }
    }
}

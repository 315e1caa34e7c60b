import Structured

/// The slice of the Kubernetes API the release drivers and the lock use: namespaced get, list by
/// label selector, create, update (PUT, honouring `metadata.resourceVersion`), delete.
///
/// The Kube module's client provides it for real clusters (and kubesim); `InMemoryObjects` for
/// render and tests. Objects are plain JSON `Value`s as the API server returns them.
public protocol ClusterObjects: Sendable {
    func get(_ type: ResourceType, namespace: String, name: String) async throws(ClusterObjectError) -> Value
    /// `namespace` nil lists across all namespaces. `labelSelector` is an equality selector `k=v,k2=v2`.
    func list(_ type: ResourceType, namespace: String?, labelSelector: String) async throws(ClusterObjectError) -> [Value]
    func create(_ type: ResourceType, namespace: String, _ object: Value) async throws(ClusterObjectError) -> Value
    /// Replace; a stale `metadata.resourceVersion` fails with `.conflict`, none means unconditional.
    func update(_ type: ResourceType, namespace: String, _ object: Value) async throws(ClusterObjectError) -> Value
    func delete(_ type: ResourceType, namespace: String, name: String) async throws(ClusterObjectError)
}

/// The three kinds Bosun's release storage touches.
public struct ResourceType: Sendable, Hashable, CustomStringConvertible {
    public var apiVersion: String
    public var kind: String
    /// Plural resource name, as in the URL path.
    public var resource: String

    public init(apiVersion: String, kind: String, resource: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.resource = resource
    }

    public static let secret = ResourceType(apiVersion: "v1", kind: "Secret", resource: "secrets")
    public static let configMap = ResourceType(apiVersion: "v1", kind: "ConfigMap", resource: "configmaps")
    public static let lease = ResourceType(apiVersion: "coordination.k8s.io/v1", kind: "Lease", resource: "leases")

    public var description: String { kind }
}

/// How an API call failed, reduced to what storage decisions need.
public enum ClusterObjectError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound
    case alreadyExists
    /// Optimistic concurrency lost: the object changed since it was read.
    case conflict
    case other(String)

    public var description: String {
        switch self {
        case .notFound: return "not found"
        case .alreadyExists: return "already exists"
        case .conflict: return "the object has been modified"
        case .other(let m): return m
        }
    }
}

/// Equality label selectors, the only kind release storage uses.
public enum LabelSelector {
    /// Parse an equality label selector (`a=b,c=d`).
    public static func parseSelector(_ selector: String) -> [String: String] {
        var out: [String: String] = [:]
        for part in selector.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: " =") }
            if kv.count == 2 { out[kv[0]] = kv[1] }
        }
        return out
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}

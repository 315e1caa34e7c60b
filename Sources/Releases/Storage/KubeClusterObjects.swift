import Kube
import Structured

/// `ClusterObjects` over the Kube module's client: what the Secret/ConfigMap drivers and the lock
/// use against a real cluster (or kubesim).
public struct KubeClusterObjects: ClusterObjects {
    public let client: any KubeClient

    public init(client: any KubeClient) {
        self.client = client
    }

    static func map(_ error: KubeError) -> ClusterObjectError {
        if error.isNotFound { return .notFound }
        if error.isAlreadyExists { return .alreadyExists }
        if error.isConflict { return .conflict }
        return .other(error.description)
    }

    private func stamped(_ type: ResourceType, namespace: String, _ object: Value) -> Value {
        var o = object
        o["apiVersion"] = .string(type.apiVersion)
        o["kind"] = .string(type.kind)
        o["metadata"]?["namespace"] = .string(namespace)
        return o
    }

    public func get(_ type: ResourceType, namespace: String, name: String) async throws(ClusterObjectError) -> Value {
        do {
            return try await client.get(ObjectReference(apiVersion: type.apiVersion, kind: type.kind, namespace: namespace, name: name))
        } catch { throw Self.map(error) }
    }

    public func list(_ type: ResourceType, namespace: String?, labelSelector: String) async throws(ClusterObjectError) -> [Value] {
        let selector = ResourceSelector(apiVersion: type.apiVersion, kind: type.kind, namespace: namespace, allNamespaces: namespace == nil)
        do {
            return try await client.list(selector, options: ListOptions(labelSelector: labelSelector.isEmpty ? nil : labelSelector)).items
        } catch { throw Self.map(error) }
    }

    public func create(_ type: ResourceType, namespace: String, _ object: Value) async throws(ClusterObjectError) -> Value {
        do { return try await client.create(stamped(type, namespace: namespace, object), options: WriteOptions()) } catch {
            throw Self.map(error)
        }
    }

    public func update(_ type: ResourceType, namespace: String, _ object: Value) async throws(ClusterObjectError) -> Value {
        do { return try await client.update(stamped(type, namespace: namespace, object), options: WriteOptions()) } catch {
            throw Self.map(error)
        }
    }

    public func delete(_ type: ResourceType, namespace: String, name: String) async throws(ClusterObjectError) {
        do {
            _ = try await client.delete(
                ObjectReference(apiVersion: type.apiVersion, kind: type.kind, namespace: namespace, name: name), options: DeleteOptions())
        } catch { throw Self.map(error) }
    }
}

import Foundation
import OrderedCollections
import Structured

/// Helm's Secret and ConfigMap drivers: one object per revision, named by the release key, labelled
/// name/owner/status/version (+ createdAt or modifiedAt), the record in `data.release`.
public struct ObjectDriver: ReleaseDriver {
    public enum Backend: String, Sendable {
        case secret, configMap

        var type: ResourceType { self == .secret ? .secret : .configMap }
    }

    public let backend: Backend
    public let api: any ClusterObjects
    /// nil lists every namespace (`list -A`); writes need a namespace.
    public let namespace: String?
    /// Seconds since the epoch for createdAt/modifiedAt labels.
    let now: @Sendable () -> Int64

    public init(_ backend: Backend, api: any ClusterObjects, namespace: String?,
                now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.backend = backend
        self.api = api
        self.namespace = namespace
        self.now = now
    }

    public var name: String { backend == .secret ? "Secret" : "ConfigMap" }

    private var ns: String { namespace ?? "default" }

    private func describe(_ key: String, in namespace: String? = nil) -> String {
        "\(name) \(namespace ?? ns)/\(key)"
    }

    private func storageFailure(_ op: String, _ key: String, _ error: ClusterObjectError) -> ReleasesError {
        ReleasesError(.storage, "\(op) \(describe(key)): \(error)")
    }

    public func get(_ key: String) async throws(ReleasesError) -> Release {
        let object: Value
        do {
            object = try await api.get(backend.type, namespace: ns, name: key)
        } catch .notFound {
            throw ReleasesError(.notFound, "release: not found (\(describe(key)))")
        } catch {
            throw storageFailure("get", key, error)
        }
        var release = try decode(object)
        release.labels = SystemLabels.userLabels(release.labels)
        return release
    }

    public func list(selector: [String: String]) async throws(ReleasesError) -> StoredRecords {
        var sel = selector
        sel["owner"] = "helm"
        let text = sel.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let items: [Value]
        do {
            items = try await api.list(backend.type, namespace: namespace, labelSelector: text)
        } catch {
            throw ReleasesError(.storage, "list \(name)s in \(namespace.map { "namespace \"\($0)\"" } ?? "all namespaces") (\(text)): \(error)")
        }
        var records = StoredRecords()
        for item in items {
            do { records.releases.append(try decode(item)) } catch { records.corrupt.append(error) }
        }
        return records
    }

    /// The record held by a Secret/ConfigMap object; errors name the object.
    func decode(_ object: Value) throws(ReleasesError) -> Release {
        let objectName = object[path: "metadata", "name"]?.stringValue ?? "?"
        let objectNamespace = object[path: "metadata", "namespace"]?.stringValue ?? ns
        let where_ = describe(objectName, in: objectNamespace)
        guard let raw = object[path: "data", "release"]?.stringValue else {
            throw ReleasesError(.corrupt, "\(where_): has no data.release")
        }
        var payload = raw
        if backend == .secret {
            // A Secret's data is base64 on the wire; the payload inside is base64 once more.
            guard let bytes = Data(base64Encoded: raw) else {
                throw ReleasesError(.corrupt, "\(where_): data.release is not valid base64")
            }
            payload = String(decoding: bytes, as: UTF8.self)
        }
        var release: Release
        do { release = try ReleaseCodec.decode(payload) } catch {
            throw ReleasesError(.corrupt, "\(where_): \(error)")
        }
        var labels: [String: String] = [:]
        for (k, v) in object[path: "metadata", "labels"]?.objectValue ?? [:] { labels[k] = v.stringValue ?? "" }
        release.labels = labels
        return release
    }

    func object(_ key: String, _ release: Release, created: Bool) -> Value {
        let payload = ReleaseCodec.encode(release)
        let labels = SystemLabels.forRecord(release, created: created, now: now())
        var labelObject = OrderedDictionary<String, Value>()
        for k in labels.keys.sorted() { labelObject[k] = .string(labels[k]!) }
        var o: OrderedDictionary<String, Value> = [
            "apiVersion": "v1", "kind": .string(backend.type.kind),
            "metadata": ["name": .string(key), "namespace": .string(ns), "labels": .object(labelObject)],
        ]
        if backend == .secret {
            o["type"] = "helm.sh/release.v1"
            o["data"] = ["release": .string(Data(payload.utf8).base64EncodedString())]
        } else {
            o["data"] = ["release": .string(payload)]
        }
        return .object(o)
    }

    public func create(_ key: String, _ release: Release) async throws(ReleasesError) {
        do {
            _ = try await api.create(backend.type, namespace: ns, object(key, release, created: true))
        } catch .alreadyExists {
            throw ReleasesError(.alreadyExists, "release: already exists (\(describe(key)))")
        } catch {
            throw storageFailure("create", key, error)
        }
    }

    public func update(_ key: String, _ release: Release) async throws(ReleasesError) {
        do {
            _ = try await api.update(backend.type, namespace: ns, object(key, release, created: false))
        } catch .notFound {
            throw ReleasesError(.notFound, "release: not found (\(describe(key)))")
        } catch {
            throw storageFailure("update", key, error)
        }
    }

    public func delete(_ key: String) async throws(ReleasesError) -> Release {
        let release = try await get(key)
        do {
            try await api.delete(backend.type, namespace: ns, name: key)
        } catch .notFound {
            throw ReleasesError(.notFound, "release: not found (\(describe(key)))")
        } catch {
            throw storageFailure("delete", key, error)
        }
        return release
    }
}

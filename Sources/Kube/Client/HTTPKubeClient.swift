import Foundation
import Structured

/// `KubeClient` over HTTP(S): the real client, used against clusters and against kubesim.
public final class HTTPKubeClient: KubeClient {
    public let connection: ClusterConnection
    public let discovery: Discovery
    let transport: HTTPTransport

    public var defaultNamespace: String { connection.namespace }

    /// - Parameters:
    ///   - discoveryCacheDirectory: kubectl-style on-disk discovery cache root
    ///     (`~/.kube/cache/discovery` by default); nil keeps discovery in memory only.
    public init(
        connection: ClusterConnection, options: TransportOptions = TransportOptions(),
        discoveryCacheDirectory: String? = HTTPKubeClient.defaultDiscoveryCacheDirectory,
        discoveryTTL: Duration = .seconds(6 * 3600)
    ) throws(KubeError) {
        self.connection = connection
        transport = try HTTPTransport(connection: connection, options: options)
        discovery = Discovery(transport: transport, cacheDirectory: discoveryCacheDirectory, ttl: discoveryTTL)
    }

    public static var defaultDiscoveryCacheDirectory: String {
        (NSHomeDirectory() as NSString).appendingPathComponent(".kube/cache/discovery")
    }

    /// Close pooled connections. Call once when done (streams still open end with an error).
    public func shutdown() async { await transport.shutdown() }

    /// The exec plugin behind this client's credentials, when the user has one.
    public var execCredentialProvider: ExecCredentialProvider? { transport.execProvider }

    public func resource(apiVersion: String, kind: String) async throws(KubeError) -> APIResource {
        try await discovery.resource(apiVersion: apiVersion, kind: kind)
    }

    public func serverVersion() async throws(KubeError) -> ServerVersion { try await discovery.serverVersion() }

    public func serverAPIs() async throws(KubeError) -> ServerAPIs { try await discovery.serverAPIs() }

    // MARK: Request building

    struct Target {
        var resource: APIResource
        var namespace: String?
    }

    func target(apiVersion: String, kind: String, namespace: String?, allNamespaces: Bool = false) async throws(KubeError) -> Target {
        let resource = try await discovery.resource(apiVersion: apiVersion, kind: kind)
        guard resource.namespaced else { return Target(resource: resource, namespace: nil) }
        if allNamespaces && namespace == nil { return Target(resource: resource, namespace: nil) }
        return Target(resource: resource, namespace: namespace ?? defaultNamespace)
    }

    func request(
        _ method: String, _ target: Target, name: String? = nil, subresource: String? = nil, query: [(String, String)] = [],
        idempotent: Bool? = nil
    ) -> APIRequest {
        let r = target.resource
        var request = APIRequest(
            method: method,
            path: ResourcePath.path(
                group: r.group, version: r.version, resource: r.name, namespace: target.namespace, name: name,
                subresource: subresource),
            query: query, idempotent: idempotent)
        request.resource = r.name
        request.group = r.group
        request.name = name ?? ""
        request.timeout = transport.options.requestTimeout
        return request
    }

    func decodeObject(_ response: APIResponse) throws(KubeError) -> Value {
        try WireJSON.decode(response.body)
    }

    private func body(_ value: Value) throws(KubeError) -> [UInt8] { try WireJSON.encodeBytes(value) }

    // MARK: Operations

    public func get(_ reference: ObjectReference) async throws(KubeError) -> Value {
        let target = try await target(apiVersion: reference.apiVersion, kind: reference.kind, namespace: reference.namespace)
        return try decodeObject(try await transport.send(request("GET", target, name: reference.name)))
    }

    public func list(_ selector: ResourceSelector, options: ListOptions = ListOptions()) async throws(KubeError) -> ObjectList {
        let target = try await target(
            apiVersion: selector.apiVersion, kind: selector.kind, namespace: selector.namespace,
            allNamespaces: selector.allNamespaces)
        var items: [Value] = []
        var continueToken: String?
        var resourceVersion = ""
        repeat {
            var query: [(String, String)] = []
            if let s = options.labelSelector, !s.isEmpty { query.append(("labelSelector", s)) }
            if let s = options.fieldSelector, !s.isEmpty { query.append(("fieldSelector", s)) }
            if let limit = options.limit, limit > 0 { query.append(("limit", String(limit))) }
            if let token = continueToken {
                query.append(("continue", token))
            } else if let rv = options.resourceVersion {
                query.append(("resourceVersion", rv))
            }
            let page = try decodeObject(try await transport.send(request("GET", target, query: query)))
            // Lists carry apiVersion/kind once; put them back on each item like kubectl does.
            let itemKind = target.resource.kind
            for var item in page["items"]?.arrayValue ?? [] {
                if item["kind"] == nil || item["kind"]?.stringValue == "" { item["kind"] = .string(itemKind) }
                if item["apiVersion"] == nil || item["apiVersion"]?.stringValue == "" {
                    item["apiVersion"] = .string(target.resource.apiVersion)
                }
                items.append(item)
            }
            resourceVersion = page[path: "metadata", "resourceVersion"]?.stringValue ?? resourceVersion
            let next = page[path: "metadata", "continue"]?.stringValue ?? ""
            continueToken = next.isEmpty ? nil : next
        } while continueToken != nil
        return ObjectList(items: items, resourceVersion: resourceVersion)
    }

    private func writeQuery(dryRun: Bool, fieldManager: String?) -> [(String, String)] {
        var query: [(String, String)] = []
        if dryRun { query.append(("dryRun", "All")) }
        if let fieldManager, !fieldManager.isEmpty { query.append(("fieldManager", fieldManager)) }
        return query
    }

    public func create(_ object: Value, options: WriteOptions = WriteOptions()) async throws(KubeError) -> Value {
        let (apiVersion, kind, namespace, name) = try identity(of: object, nameRequired: false)
        let target = try await target(apiVersion: apiVersion, kind: kind, namespace: namespace)
        var request = request("POST", target, query: writeQuery(dryRun: options.dryRun, fieldManager: options.fieldManager))
        request.name = name ?? ""
        request.body = try body(object)
        return try decodeObject(try await transport.send(request))
    }

    public func update(_ object: Value, options: WriteOptions = WriteOptions()) async throws(KubeError) -> Value {
        let reference = try ObjectReference(of: object)
        let target = try await target(apiVersion: reference.apiVersion, kind: reference.kind, namespace: reference.namespace)
        var request = request(
            "PUT", target, name: reference.name, query: writeQuery(dryRun: options.dryRun, fieldManager: options.fieldManager))
        request.body = try body(object)
        return try decodeObject(try await transport.send(request))
    }

    public func apply(_ object: Value, options: ApplyOptions = ApplyOptions()) async throws(KubeError) -> Value {
        let reference = try ObjectReference(of: object)
        let target = try await target(apiVersion: reference.apiVersion, kind: reference.kind, namespace: reference.namespace)
        var query = writeQuery(dryRun: options.dryRun, fieldManager: options.fieldManager)
        if options.force { query.append(("force", "true")) }
        // Applying the same configuration twice gives the same object: safe to replay.
        var request = request("PATCH", target, name: reference.name, query: query, idempotent: true)
        request.contentType = "application/apply-patch+yaml"  // JSON is YAML
        request.body = try body(object)
        return try decodeObject(try await transport.send(request))
    }

    public func patch(_ reference: ObjectReference, _ patch: Patch, options: WriteOptions = WriteOptions()) async throws(KubeError)
        -> Value
    {
        let target = try await target(apiVersion: reference.apiVersion, kind: reference.kind, namespace: reference.namespace)
        var request = request(
            "PATCH", target, name: reference.name, query: writeQuery(dryRun: options.dryRun, fieldManager: options.fieldManager),
            idempotent: patch.isIdempotent)
        request.contentType = patch.contentType
        request.body = try body(patch.body)
        return try decodeObject(try await transport.send(request))
    }

    public func delete(_ reference: ObjectReference, options: DeleteOptions = DeleteOptions()) async throws(KubeError) -> Value? {
        let target = try await target(apiVersion: reference.apiVersion, kind: reference.kind, namespace: reference.namespace)
        var deleteOptions: Value = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let policy = options.propagationPolicy { deleteOptions["propagationPolicy"] = .string(policy.rawValue) }
        if let grace = options.gracePeriodSeconds { deleteOptions["gracePeriodSeconds"] = .int(Int64(grace)) }
        if options.preconditionUID != nil || options.preconditionResourceVersion != nil {
            var preconditions: Value = .emptyObject
            if let uid = options.preconditionUID { preconditions["uid"] = .string(uid) }
            if let rv = options.preconditionResourceVersion { preconditions["resourceVersion"] = .string(rv) }
            deleteOptions["preconditions"] = preconditions
        }
        if options.dryRun { deleteOptions["dryRun"] = ["All"] }
        var request = request("DELETE", target, name: reference.name)
        request.body = try body(deleteOptions)
        let value = try decodeObject(try await transport.send(request))
        if value["kind"]?.stringValue == "Status" { return nil }
        return value
    }

    public func events(for object: Value) async throws(KubeError) -> [Value] {
        let metadata = object["metadata"]
        let namespace = metadata?["namespace"]?.stringValue
        var fields: [String] = []
        if let uid = metadata?["uid"]?.stringValue, !uid.isEmpty {
            fields.append("involvedObject.uid=\(uid)")
        } else {
            if let name = metadata?["name"]?.stringValue { fields.append("involvedObject.name=\(name)") }
            if let namespace, !namespace.isEmpty { fields.append("involvedObject.namespace=\(namespace)") }
            if let kind = object["kind"]?.stringValue { fields.append("involvedObject.kind=\(kind)") }
        }
        let selector = ResourceSelector(
            apiVersion: "v1", kind: "Event", namespace: namespace?.isEmpty == false ? namespace : nil,
            allNamespaces: namespace?.isEmpty ?? true)
        let list = try await list(selector, options: ListOptions(fieldSelector: fields.joined(separator: ",")))
        func time(_ event: Value) -> String {
            event["lastTimestamp"]?.stringValue ?? event["eventTime"]?.stringValue
                ?? event[path: "metadata", "creationTimestamp"]?.stringValue ?? ""
        }
        return list.items.enumerated().sorted { a, b in
            let (ta, tb) = (time(a.element), time(b.element))
            return ta == tb ? a.offset < b.offset : ta < tb
        }.map(\.element)
    }

    func identity(of object: Value, nameRequired: Bool) throws(KubeError) -> (String, String, String?, String?) {
        guard let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty else {
            throw KubeError(.invalidRequest, "object has no apiVersion")
        }
        guard let kind = object["kind"]?.stringValue, !kind.isEmpty else {
            throw KubeError(.invalidRequest, "object has no kind")
        }
        let name = object[path: "metadata", "name"]?.stringValue
        if nameRequired && (name ?? "").isEmpty { throw KubeError(.invalidRequest, "\(kind) object has no metadata.name") }
        let namespace = object[path: "metadata", "namespace"]?.stringValue
        return (apiVersion, kind, namespace?.isEmpty == true ? nil : namespace, name)
    }
}

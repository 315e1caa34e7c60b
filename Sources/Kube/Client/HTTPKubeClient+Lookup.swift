import Structured

extension HTTPKubeClient {
    /// Helm's `lookup` function against this cluster, with its exact behaviour: the object when
    /// `name` is given, else the whole list (`{apiVersion, kind, metadata, items}`, items carrying
    /// their apiVersion and kind) of `namespace`, or of every namespace when it is empty or the kind
    /// is cluster-scoped. Not found gives an empty object. A group version the server does not serve
    /// is an error; a kind it lacks in a served group version gives what Helm's empty resource path
    /// gives (an empty object for a get, the `/api` document with empty items for a list).
    public func lookup(apiVersion: String, kind: String, namespace: String, name: String) async throws(KubeError) -> Value {
        // client-go's ParseGroupVersion: at most one slash; anything else leaves the group version empty.
        let slashes = apiVersion.filter { $0 == "/" }.count
        let (group, version) = slashes > 1 ? ("", "") : splitAPIVersion(apiVersion)
        let gvk = "\(group)/\(version), Kind=\(kind)"
        func failure(_ detail: String) -> KubeError {
            KubeError(.unknownKind, "unable to get apiresource from unstructured: \(gvk): \(detail)")
        }
        guard !version.isEmpty || !group.isEmpty else { throw failure("groupVersion shouldn't be empty") }
        let groupVersion = group.isEmpty ? version : group + "/" + version

        var resource: APIResource?
        do throws(KubeError) {
            for refresh in [false, true] where resource == nil {
                guard let list = try await discovery.resourceList(groupVersion, refresh: refresh) else {
                    throw failure("the server could not find the requested resource")
                }
                resource = list.resources.first { $0.kind == kind }
            }
        } catch {
            if error.message.hasPrefix("unable to get apiresource") { throw error }
            throw failure(error.message)
        }

        var path: String
        if let resource {
            let scoped = resource.namespaced && !namespace.isEmpty ? namespace : nil
            path = ResourcePath.path(group: group, version: version, resource: resource.name, namespace: scoped)
        } else {
            path = "/api"  // client-go with an empty group, version and resource
        }
        if !name.isEmpty { path += "/" + escapeSegment(name) }
        var request = APIRequest(method: "GET", path: path)
        request.resource = resource?.name ?? ""
        request.group = group
        request.name = name
        request.timeout = transport.options.requestTimeout
        let value: Value
        do { value = try WireJSON.decode(try await transport.send(request).body) } catch {
            if error.isNotFound { return .emptyObject }
            throw error
        }
        guard name.isEmpty else { return value }

        // A list as client-go's unstructured decoding leaves it.
        var list = value
        let listKind = value["kind"]?.stringValue ?? ""
        let itemKind = listKind.hasSuffix("List") ? String(listKind.dropLast(4)) : listKind
        let itemAPIVersion = value["apiVersion"]?.stringValue ?? ""
        var items: [Value] = []
        for var item in value["items"]?.arrayValue ?? [] {
            if (item["kind"]?.stringValue ?? "").isEmpty, !itemKind.isEmpty { item["kind"] = .string(itemKind) }
            if (item["apiVersion"]?.stringValue ?? "").isEmpty, !itemAPIVersion.isEmpty { item["apiVersion"] = .string(itemAPIVersion) }
            items.append(item)
        }
        list["items"] = .array(items)
        return list
    }
}

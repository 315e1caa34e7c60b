import Foundation
import Structured

/// Maps kinds to resources, fetched lazily per group version and cached in memory and on disk.
///
/// A kind the cached list does not have (a CRD installed a moment ago) triggers one refetch of
/// its group version from the server before giving up (concurrent misses share the request).
public actor Discovery {
    let transport: HTTPTransport
    private let cache: DiscoveryCache?
    private var lists: [String: ResourceList] = [:]
    private var groups: GroupList?
    private var inFlight: [String: Task<ResourceList?, any Error>] = [:]

    init(transport: HTTPTransport, cacheDirectory: String?, ttl: Duration) {
        self.transport = transport
        cache = cacheDirectory.map { DiscoveryCache(root: $0, server: transport.connection.server, ttl: ttl) }
    }

    /// The resource serving `kind` in `apiVersion`.
    public func resource(apiVersion: String, kind: String) async throws(KubeError) -> APIResource {
        if let list = try await resourceList(apiVersion, refresh: false),
            let found = list.resources.first(where: { $0.kind == kind })
        {
            return found
        }
        if let list = try await resourceList(apiVersion, refresh: true),
            let found = list.resources.first(where: { $0.kind == kind })
        {
            return found
        }
        throw KubeError(
            .unknownKind, "no matches for kind \"\(kind)\" in version \"\(apiVersion)\"; ensure CRDs are installed first")
    }

    /// The resource named `resource` (plural) in `apiVersion`.
    public func resource(apiVersion: String, plural: String) async throws(KubeError) -> APIResource {
        for refresh in [false, true] {
            if let list = try await resourceList(apiVersion, refresh: refresh),
                let found = list.resources.first(where: { $0.name == plural })
            {
                return found
            }
        }
        throw KubeError(.unknownKind, "the server doesn't have a resource type \"\(plural)\" in version \"\(apiVersion)\"")
    }

    /// Every resource of a group version (empty when the server does not serve it).
    public func resources(apiVersion: String) async throws(KubeError) -> [APIResource] {
        try await resourceList(apiVersion, refresh: false)?.resources ?? []
    }

    /// The group's preferred version (`apps` -> `v1`), nil when the group is not served.
    public func preferredVersion(group: String) async throws(KubeError) -> String? {
        if let found = try await groupList(refresh: false).groups.first(where: { $0.name == group }) { return found.preferred }
        return try await groupList(refresh: true).groups.first(where: { $0.name == group })?.preferred
    }

    /// Resolve a kind with no version (`Deployment` in group `apps`) through the preferred version.
    public func resource(group: String, kind: String) async throws(KubeError) -> APIResource {
        guard let version = try await preferredVersion(group: group) else {
            throw KubeError(.unknownKind, "no matches for kind \"\(kind)\" in group \"\(group)\"")
        }
        return try await resource(apiVersion: group.isEmpty ? version : "\(group)/\(version)", kind: kind)
    }

    /// Keep the kinds an aggregated discovery pass returned, so kind lookups need no request.
    func remember(_ apis: ServerAPIs, aggregated documents: [Value]?) {
        guard let documents else { return }
        for document in documents {
            for item in document["items"]?.arrayValue ?? [] {
                let group = item[path: "metadata", "name"]?.stringValue ?? ""
                for version in item["versions"]?.arrayValue ?? [] {
                    guard let v = version["version"]?.stringValue else { continue }
                    var resources: [APIResource] = []
                    for r in version["resources"]?.arrayValue ?? [] {
                        guard let name = r["resource"]?.stringValue, let kind = r[path: "responseKind", "kind"]?.stringValue else { continue }
                        resources.append(APIResource(
                            group: group, version: v, kind: kind, name: name,
                            singularName: r["singularResource"]?.stringValue ?? "",
                            namespaced: r["scope"]?.stringValue == "Namespaced",
                            verbs: (r["verbs"]?.arrayValue ?? []).compactMap(\.stringValue),
                            shortNames: (r["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue)))
                    }
                    let gv = group.isEmpty ? v : group + "/" + v
                    lists[gv] = ResourceList(groupVersion: gv, resources: resources)
                }
            }
        }
    }

    /// Forget everything, in memory and on disk.
    public func invalidate() {
        lists = [:]
        groups = nil
        if let cache { try? FileManager.default.removeItem(atPath: cache.directory) }
    }

    // MARK: Fetching

    func resourceList(_ groupVersion: String, refresh: Bool) async throws(KubeError) -> ResourceList? {
        if !refresh, let list = lists[groupVersion] { return list }
        if !refresh, let cache, let bytes = cache.read(cache.resourcesPath(groupVersion: groupVersion)),
            let value = try? WireJSON.decode(bytes), let list = try? ResourceList(value, groupVersion: groupVersion)
        {
            lists[groupVersion] = list
            return list
        }
        // Concurrent lookups of the same group version share one request.
        let task: Task<ResourceList?, any Error>
        if let running = inFlight[groupVersion] {
            task = running
        } else {
            task = Task { [transport, cache] in try await Self.fetch(groupVersion, transport: transport, cache: cache) }
            inFlight[groupVersion] = task
        }
        let list: ResourceList?
        do { list = try await task.value } catch {
            inFlight[groupVersion] = nil
            throw error as? KubeError ?? KubeError(.transport, "\(error)")
        }
        inFlight[groupVersion] = nil
        lists[groupVersion] = list
        return list
    }

    private static func fetch(_ groupVersion: String, transport: HTTPTransport, cache: DiscoveryCache?) async throws(KubeError)
        -> ResourceList?
    {
        let (group, version) = splitAPIVersion(groupVersion)
        var request = APIRequest(method: "GET", path: ResourcePath.groupVersionPrefix(group: group, version: version))
        request.timeout = transport.options.requestTimeout
        let response: APIResponse
        do { response = try await transport.send(request) } catch {
            if error.isNotFound {
                cache?.remove(cache!.resourcesPath(groupVersion: groupVersion))
                return nil
            }
            throw error
        }
        let value = try WireJSON.decode(response.body)
        let list = try ResourceList(value, groupVersion: groupVersion)
        cache?.write(cache!.resourcesPath(groupVersion: groupVersion), response.body)
        return list
    }

    private func groupList(refresh: Bool) async throws(KubeError) -> GroupList {
        if !refresh, let groups { return groups }
        if !refresh, let cache, let bytes = cache.read(cache.groupsPath()), let value = try? WireJSON.decode(bytes) {
            let list = GroupList(core: nil, groups: value)
            groups = list
            return list
        }
        var coreRequest = APIRequest(method: "GET", path: "/api")
        coreRequest.timeout = transport.options.requestTimeout
        var groupsRequest = APIRequest(method: "GET", path: "/apis")
        groupsRequest.timeout = transport.options.requestTimeout
        let core = try WireJSON.decode(try await transport.send(coreRequest).body)
        let apis = try WireJSON.decode(try await transport.send(groupsRequest).body)
        let list = GroupList(core: core, groups: apis)
        groups = list
        if let cache {
            // One APIGroupList with the core group first (name ""), as kubectl stores it.
            var all: [Value] = []
            for group in list.groups {
                let versions: [Value] = group.versions.map {
                    ["groupVersion": .string(group.name.isEmpty ? $0 : "\(group.name)/\($0)"), "version": .string($0)]
                }
                let preferred = group.name.isEmpty ? group.preferred : "\(group.name)/\(group.preferred)"
                all.append([
                    "name": .string(group.name), "versions": .array(versions),
                    "preferredVersion": ["groupVersion": .string(preferred), "version": .string(group.preferred)],
                ])
            }
            let document: Value = ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(all)]
            if let bytes = try? WireJSON.encodeBytes(document) { cache.write(cache.groupsPath(), bytes) }
        }
        return list
    }
}

import Structured

/// The server's `/version`: what Helm puts in `.Capabilities.KubeVersion` when it talks to a cluster.
public struct ServerVersion: Sendable, Hashable {
    /// `v1.33.4-gke.1245000`, as the server reports it.
    public var gitVersion: String
    /// As reported: may carry a suffix (`33+` on some managed clusters).
    public var major: String
    public var minor: String

    public init(gitVersion: String, major: String, minor: String) {
        self.gitVersion = gitVersion
        self.major = major
        self.minor = minor
    }
}

/// Everything discovery says the server serves, from one pass over `/api` and `/apis`.
public struct ServerAPIs: Sendable {
    /// One per served group version, with every resource and subresource (`deployments/scale`).
    public struct GroupVersion: Sendable {
        public var groupVersion: String
        /// `(resource name, kind)`; subresources carry their response kind (`Scale`, `Eviction`).
        public var kinds: [(name: String, kind: String)]
    }

    public var groupVersions: [GroupVersion]

    /// Helm's `.Capabilities.APIVersions` against a cluster: every group/version, and every
    /// `group/version/Kind` of the resources and subresources listed under it (`apps/v1/Scale`,
    /// `v1/Eviction`), each once. Helm's order is Go map order (random); this one is sorted.
    public var versionSet: [String] {
        var set = Set<String>()
        for gv in groupVersions {
            set.insert(gv.groupVersion)
            for entry in gv.kinds where !entry.kind.isEmpty { set.insert(gv.groupVersion + "/" + entry.kind) }
        }
        return set.sorted()
    }

    /// From the aggregated `apidiscovery.k8s.io/v2` lists of `/api` and `/apis`, as client-go converts
    /// them: resources without a response kind are left out, subresources take their own response kind.
    public init(aggregated documents: [Value]) {
        var result: [GroupVersion] = []
        for document in documents {
            for item in document["items"]?.arrayValue ?? [] {
                let group = item[path: "metadata", "name"]?.stringValue ?? ""
                for version in item["versions"]?.arrayValue ?? [] {
                    guard let v = version["version"]?.stringValue else { continue }
                    var kinds: [(String, String)] = []
                    for resource in version["resources"]?.arrayValue ?? [] {
                        guard let name = resource["resource"]?.stringValue,
                              let kind = resource[path: "responseKind", "kind"]?.stringValue else { continue }
                        kinds.append((name, kind))
                        for sub in resource["subresources"]?.arrayValue ?? [] {
                            guard let subName = sub["subresource"]?.stringValue,
                                  let subKind = sub[path: "responseKind", "kind"]?.stringValue else { continue }
                            kinds.append((name + "/" + subName, subKind))
                        }
                    }
                    result.append(GroupVersion(groupVersion: group.isEmpty ? v : group + "/" + v, kinds: kinds))
                }
            }
        }
        groupVersions = result
    }

    /// From legacy `APIResourceList`s (servers without aggregated discovery).
    init(resourceLists: [(groupVersion: String, document: Value?)]) {
        groupVersions = resourceLists.map { entry in
            let kinds = (entry.document?["resources"]?.arrayValue ?? []).compactMap { r -> (String, String)? in
                guard let name = r["name"]?.stringValue, let kind = r["kind"]?.stringValue else { return nil }
                return (name, kind)
            }
            return GroupVersion(groupVersion: entry.groupVersion, kinds: kinds)
        }
    }
}

extension Discovery {
    static let aggregatedAccept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"

    /// `GET /version`.
    public func serverVersion() async throws(KubeError) -> ServerVersion {
        var request = APIRequest(method: "GET", path: "/version")
        request.timeout = transport.options.requestTimeout
        let value = try WireJSON.decode(try await transport.send(request).body)
        guard let gitVersion = value["gitVersion"]?.stringValue else {
            throw KubeError(.decoding, "the server's /version has no gitVersion (\(transport.serverDescription))")
        }
        return ServerVersion(
            gitVersion: gitVersion, major: value["major"]?.stringValue ?? "", minor: value["minor"]?.stringValue ?? "")
    }

    /// Every served group version and its kinds, read fresh from the server (as Helm invalidates its
    /// discovery cache before building capabilities). Aggregated discovery takes two requests; the
    /// answers also refresh the kind cache, so later kind lookups need none.
    public func serverAPIs() async throws(KubeError) -> ServerAPIs { try await serverAPIs(aggregated: true) }

    /// `aggregated: false` asks for the legacy documents only (tests compare both paths).
    func serverAPIs(aggregated ask: Bool) async throws(KubeError) -> ServerAPIs {
        var documents: [Value] = []
        var aggregated = true
        for path in ["/api", "/apis"] {
            var request = APIRequest(method: "GET", path: path)
            if ask { request.accept = Self.aggregatedAccept }
            request.timeout = transport.options.requestTimeout
            let value = try WireJSON.decode(try await transport.send(request).body)
            if value["kind"]?.stringValue != "APIGroupDiscoveryList" { aggregated = false }
            documents.append(value)
        }
        let apis: ServerAPIs
        if aggregated {
            apis = ServerAPIs(aggregated: documents)
        } else {
            apis = try await legacyAPIs(core: documents[0], groups: documents[1])
        }
        remember(apis, aggregated: aggregated ? documents : nil)
        return apis
    }

    /// Older servers: the group list, then one resource list per group version (in parallel).
    private func legacyAPIs(core: Value, groups: Value) async throws(KubeError) -> ServerAPIs {
        let list = GroupList(core: core, groups: groups)
        var groupVersions: [String] = []
        for group in list.groups {
            for version in group.versions { groupVersions.append(group.name.isEmpty ? version : group.name + "/" + version) }
        }
        let transport = self.transport
        do {
            let documents = try await withThrowingTaskGroup(of: (Int, Value?).self) { tasks in
                for (index, gv) in groupVersions.enumerated() {
                    tasks.addTask {
                        let (group, version) = splitAPIVersion(gv)
                        var request = APIRequest(method: "GET", path: ResourcePath.groupVersionPrefix(group: group, version: version))
                        request.timeout = transport.options.requestTimeout
                        do throws(KubeError) { return (index, try WireJSON.decode(try await transport.send(request).body)) } catch {
                            if error.isNotFound { return (index, nil) }
                            throw error
                        }
                    }
                }
                var results = [Value?](repeating: nil, count: groupVersions.count)
                for try await (index, value) in tasks { results[index] = value }
                return results
            }
            return ServerAPIs(resourceLists: zip(groupVersions, documents).map { ($0, $1) })
        } catch let error as KubeError {
            throw error
        } catch {
            throw KubeError(.transport, "\(error)")
        }
    }
}

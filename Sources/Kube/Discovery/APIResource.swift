import Structured

/// One resource the server serves: how a kind maps to its URL (plural name) and scope.
public struct APIResource: Sendable, Hashable {
    public var group: String
    public var version: String
    public var kind: String
    /// The plural URL name: `deployments`.
    public var name: String
    public var singularName: String
    public var namespaced: Bool
    public var verbs: [String]
    public var shortNames: [String]

    public init(
        group: String, version: String, kind: String, name: String, singularName: String = "", namespaced: Bool,
        verbs: [String] = [], shortNames: [String] = []
    ) {
        self.group = group
        self.version = version
        self.kind = kind
        self.name = name
        self.singularName = singularName
        self.namespaced = namespaced
        self.verbs = verbs
        self.shortNames = shortNames
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `deployments.apps`, `configmaps`: how kubectl names the resource in messages.
    public var qualifiedName: String { group.isEmpty ? name : "\(name).\(group)" }
    /// `Deployment.apps`, `ConfigMap`: how the API server names the kind in messages.
    public var qualifiedKind: String { group.isEmpty ? kind : "\(kind).\(group)" }
}

/// `apps/v1` -> ("apps", "v1"); `v1` -> ("", "v1").
public func splitAPIVersion(_ apiVersion: String) -> (group: String, version: String) {
    if let slash = apiVersion.lastIndex(of: "/") {
        return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
    }
    return ("", apiVersion)
}

/// The resources of one group version, parsed from an `APIResourceList`.
struct ResourceList: Sendable {
    var groupVersion: String
    var resources: [APIResource]

    init(groupVersion: String, resources: [APIResource]) {
        self.groupVersion = groupVersion
        self.resources = resources
    }

    init(_ value: Value, groupVersion expected: String) throws(KubeError) {
        groupVersion = value["groupVersion"]?.stringValue ?? expected
        let (group, version) = splitAPIVersion(groupVersion)
        var resources: [APIResource] = []
        for entry in value["resources"]?.arrayValue ?? [] {
            guard let name = entry["name"]?.stringValue, let kind = entry["kind"]?.stringValue else {
                throw KubeError(.decoding, "discovery document for \(groupVersion) has a resource without name or kind")
            }
            if name.contains("/") { continue }  // subresources (deployments/scale) are not kinds of their own
            resources.append(
                APIResource(
                    group: entry["group"]?.stringValue ?? group, version: entry["version"]?.stringValue ?? version, kind: kind,
                    name: name, singularName: entry["singularName"]?.stringValue ?? "",
                    namespaced: entry["namespaced"]?.boolValue ?? false,
                    verbs: (entry["verbs"]?.arrayValue ?? []).compactMap(\.stringValue),
                    shortNames: (entry["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue)))
        }
        self.resources = resources
    }
}

/// The server's groups with their versions, preferred first (an `APIGroupList` plus the core group).
struct GroupList: Sendable {
    struct Group: Sendable {
        var name: String
        var versions: [String]
        var preferred: String
    }

    var groups: [Group]

    init(groups: [Group]) { self.groups = groups }

    init(core: Value?, groups value: Value) {
        var groups: [Group] = []
        if let versions = core?["versions"]?.arrayValue?.compactMap(\.stringValue), !versions.isEmpty {
            groups.append(Group(name: "", versions: versions, preferred: versions[0]))
        }
        for entry in value["groups"]?.arrayValue ?? [] {
            guard let name = entry["name"]?.stringValue else { continue }
            let versions = (entry["versions"]?.arrayValue ?? []).compactMap { $0["version"]?.stringValue }
            let preferred = entry["preferredVersion"]?["version"]?.stringValue ?? versions.first ?? ""
            groups.append(Group(name: name, versions: versions, preferred: preferred))
        }
        self.groups = groups
    }
}

import Structured

/// Discovery documents shaped exactly as a 1.35 API server serves them: the legacy forms (APIVersions,
/// APIGroupList, APIResourceList) and the aggregated `apidiscovery.k8s.io/v2` lists kubectl asks for.
enum Discovery {
    static let aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    static func version() -> Value {
        [
            "major": "1", "minor": "35", "emulationMajor": "1", "emulationMinor": "35",
            "minCompatibilityMajor": "1", "minCompatibilityMinor": "34",
            "gitVersion": "v1.35.0", "gitCommit": "66452049f3d692768c39c797b21b793dce80314e", "gitTreeState": "clean",
            "buildDate": "2025-12-17T12:32:06Z", "goVersion": "go1.25.5", "compiler": "gc", "platform": "linux/amd64",
        ]
    }

    static func apiVersions(serverAddress: String) -> Value {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
    }

    static func groupList(_ registry: ResourceRegistry) -> Value {
        let groups: [Value] = registry.groups.filter { !$0.name.isEmpty }.map { group in
            let versions: [Value] = group.versions.map { ["groupVersion": .string("\(group.name)/\($0)"), "version": .string($0)] }
            return ["name": .string(group.name), "versions": .array(versions), "preferredVersion": versions[0]]
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
    }

    static func group(_ registry: ResourceRegistry, name: String) -> Value? {
        guard let group = registry.groups.first(where: { $0.name == name && !name.isEmpty }) else { return nil }
        let versions: [Value] = group.versions.map { ["groupVersion": .string("\(name)/\($0)"), "version": .string($0)] }
        return ["kind": "APIGroup", "apiVersion": "v1", "name": .string(name), "versions": .array(versions), "preferredVersion": versions[0]]
    }

    static func resourceList(_ registry: ResourceRegistry, group: String, version: String) -> Value? {
        let types = registry.resources(group: group, version: version)
        guard !types.isEmpty else { return nil }
        var resources: [Value] = []
        for t in types {
            var r: Value = ["name": .string(t.plural), "singularName": .string(t.singular), "namespaced": .bool(t.namespaced),
                            "kind": .string(t.kind), "verbs": .array(t.verbs.map { .string($0) })]
            if !t.shortNames.isEmpty { r["shortNames"] = .array(t.shortNames.map { .string($0) }) }
            if !t.categories.isEmpty { r["categories"] = .array(t.categories.map { .string($0) }) }
            resources.append(r)
            for sub in t.subresources {
                let (kind, subGroup, subVersion, verbs) = subresourceShape(t, sub)
                var s: Value = ["name": .string("\(t.plural)/\(sub)"), "singularName": "", "namespaced": .bool(t.namespaced),
                                "kind": .string(kind), "verbs": .array(verbs.map { .string($0) })]
                if let subGroup { s["group"] = .string(subGroup); s["version"] = .string(subVersion ?? "v1") }
                resources.append(s)
            }
        }
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(t0(group, version)), "resources": .array(resources)]
    }

    private static func t0(_ group: String, _ version: String) -> String { group.isEmpty ? version : "\(group)/\(version)" }

    static func subresourceShape(_ t: ResourceType, _ sub: String) -> (kind: String, group: String?, version: String?, verbs: [String]) {
        switch sub {
        case "status": return (t.kind, nil, nil, ["get", "patch", "update"])
        case "scale": return ("Scale", "autoscaling", "v1", ["get", "patch", "update"])
        case "log": return ("Pod", nil, nil, ["get"])
        case "exec", "attach", "portforward": return ("PodExecOptions", nil, nil, ["create", "get"])
        case "proxy": return (t.kind == "Pod" ? "PodProxyOptions" : t.kind == "Node" ? "NodeProxyOptions" : "ServiceProxyOptions", nil, nil,
                              ["create", "delete", "get", "patch", "update"])
        case "eviction": return ("Eviction", "policy", "v1", ["create"])
        case "binding": return ("Binding", nil, nil, ["create"])
        case "token": return ("TokenRequest", "authentication.k8s.io", "v1", ["create"])
        case "finalize": return ("Namespace", nil, nil, ["update"])
        case "ephemeralcontainers", "resize": return ("Pod", nil, nil, ["get", "patch", "update"])
        default: return (t.kind, nil, nil, ["get"])
        }
    }

    /// `apidiscovery.k8s.io/v2` APIGroupDiscoveryList for /api (core) or /apis (all named groups).
    static func aggregated(_ registry: ResourceRegistry, core: Bool) -> Value {
        var items: [Value] = []
        for group in registry.groups where group.name.isEmpty == core {
            var versions: [Value] = []
            for version in group.versions {
                var resources: [Value] = []
                for t in registry.resources(group: group.name, version: version) {
                    var r: Value = [
                        "resource": .string(t.plural),
                        "responseKind": ["group": .string(t.group), "version": .string(t.version), "kind": .string(t.kind)],
                        "scope": .string(t.namespaced ? "Namespaced" : "Cluster"),
                        "singularResource": .string(t.singular),
                        "verbs": .array(t.verbs.map { .string($0) }),
                    ]
                    if !t.shortNames.isEmpty { r["shortNames"] = .array(t.shortNames.map { .string($0) }) }
                    if !t.categories.isEmpty { r["categories"] = .array(t.categories.map { .string($0) }) }
                    if !t.subresources.isEmpty {
                        r["subresources"] = .array(t.subresources.map { sub in
                            let shape = subresourceShape(t, sub)
                            return ["subresource": .string(sub),
                                    "responseKind": ["group": .string(shape.group ?? t.group), "version": .string(shape.version ?? t.version), "kind": .string(shape.kind)],
                                    "verbs": .array(shape.verbs.map { .string($0) })]
                        })
                    }
                    resources.append(r)
                }
                versions.append(["version": .string(version), "resources": .array(resources), "freshness": "Current"])
            }
            var metadata: Value = ["creationTimestamp": .null]
            if !group.name.isEmpty { metadata = ["name": .string(group.name), "creationTimestamp": .null] }
            items.append(["metadata": metadata, "versions": .array(versions)])
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": .object([:]), "items": .array(items)]
    }
}

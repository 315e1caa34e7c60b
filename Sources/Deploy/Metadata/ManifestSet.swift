import Structured

/// The validated resources of one deploy, split the way the planner uses them.
public struct ManifestSet: Sendable, Hashable {
    /// CRDs from `crds/` directories (never stored in the release, never deleted).
    public var crds: [ResourceMetadata]
    public var hooks: [ResourceMetadata]
    /// Everything else rendered from templates.
    public var resources: [ResourceMetadata]
    /// Why documents were dropped (unknown hook events), for the reporter.
    public var dropped: [String]

    public init(crds: [ResourceMetadata] = [], hooks: [ResourceMetadata] = [], resources: [ResourceMetadata] = [],
                dropped: [String] = []) {
        self.crds = crds
        self.hooks = hooks
        self.resources = resources
        self.dropped = dropped
    }

    /// Parses and validates every manifest; throws one error listing every problem, including
    /// duplicate resources (the same identity twice among CRDs, or twice among templates).
    public static func parse(crds: [(manifest: Value, source: String?)], templates: [(manifest: Value, source: String?)],
                             releaseNamespace: String, scopes: ResourceScopes = ResourceScopes()) throws(DeployError) -> ManifestSet {
        var problems: [String] = []
        var set = ManifestSet()
        for (manifest, source) in crds {
            switch ResourceMetadata.parse(manifest, source: source, releaseNamespace: releaseNamespace, scopes: scopes, problems: &problems) {
            case .resource(var crd)?:
                crd.hook = nil
                crd.ownership = .anyone
                set.crds.append(crd)
            case .dropped(let reason)?: set.dropped.append(reason)
            case nil: break
            }
        }
        for (manifest, source) in templates {
            switch ResourceMetadata.parse(manifest, source: source, releaseNamespace: releaseNamespace, scopes: scopes, problems: &problems) {
            case .resource(let resource)?:
                if resource.isHook { set.hooks.append(resource) } else { set.resources.append(resource) }
            case .dropped(let reason)?: set.dropped.append(reason)
            case nil: break
            }
        }
        problems += duplicates(set.crds) + duplicates(set.resources + set.hooks)
        if !problems.isEmpty { throw .invalidManifests(ManifestValidationError(problems: problems)) }
        return set
    }

    static func duplicates(_ resources: [ResourceMetadata]) -> [String] {
        var seen: [ResourceID: ResourceMetadata] = [:]
        var problems: [String] = []
        for resource in resources {
            if let first = seen[resource.id] {
                let sources = [first.source, resource.source].compactMap { $0 }
                let whereText = sources.isEmpty ? "" : " (in \(sources.joined(separator: " and ")))"
                problems.append("\(resource.id.shortDescription): defined twice\(whereText)")
            } else {
                seen[resource.id] = resource
            }
        }
        return problems
    }
}

import Foundation

/// `werf.io/deploy-dependency-<id>: state=ready,kind=Deployment,name=web[,namespace=..,group=..,version=..]`:
/// the annotated resource waits until the matching release resource is present (applied) or ready.
public struct DeployDependency: Sendable, Hashable {
    public enum State: String, Sendable, Hashable { case present, ready }

    public var id: String
    public var state: State
    public var name: String?
    public var namespace: String?
    public var kind: String?
    public var group: String?
    public var version: String?

    static let keys: Set<String> = ["state", "name", "namespace", "kind", "group", "version"]

    /// Parses the `key=value,...` list; returns the problem text on failure.
    static func parse(id: String, value: String) -> Result<DeployDependency, DependencyParseError> {
        var fields: [String: String] = [:]
        for part in value.split(separator: ",", omittingEmptySubsequences: true) {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[1].isEmpty else {
                return .failure(.init("expected key=value pairs, got \(String(part).debugDescription)"))
            }
            guard keys.contains(pair[0]) else {
                return .failure(.init("unknown key \(pair[0].debugDescription) (expected state, name, namespace, kind, group, version)"))
            }
            guard fields[pair[0]] == nil else { return .failure(.init("key \(pair[0]) given twice")) }
            fields[pair[0]] = pair[1]
        }
        guard let stateText = fields["state"] else { return .failure(.init("state=present|ready is required")) }
        guard let state = State(rawValue: stateText) else {
            return .failure(.init("state \(stateText.debugDescription) is not present or ready"))
        }
        guard fields["name"] != nil || fields["kind"] != nil else {
            return .failure(.init("name or kind is required to find the target"))
        }
        return .success(DeployDependency(id: id, state: state, name: fields["name"], namespace: fields["namespace"],
                                         kind: fields["kind"], group: fields["group"], version: fields["version"]))
    }

    /// Whether `resource` is a target; a missing namespace matches the dependent's namespace.
    func matches(_ resource: ResourceMetadata, dependentNamespace: String?) -> Bool {
        if let name, name != resource.id.name { return false }
        if let kind, kind != resource.id.kind { return false }
        if let group, group != resource.id.group { return false }
        if let version, version != resource.version { return false }
        let wantedNamespace = namespace ?? dependentNamespace
        if resource.id.namespace != nil, wantedNamespace != resource.id.namespace { return false }
        return true
    }
}

struct DependencyParseError: Error { var message: String; init(_ m: String) { message = m } }

/// `<id>.external-dependency.werf.io/resource: type[.version.group]/name` (+ `/namespace`): a non-release
/// object that must exist and be ready before the annotated resource is applied.
public struct ExternalDependency: Sendable, Hashable, CustomStringConvertible {
    public var id: String
    /// Resource type as written (`secret`, `deployments`, `statefulset`), resolved by discovery at execution.
    public var type: String
    public var version: String?
    public var group: String?
    public var name: String
    /// Explicit namespace; nil means the release namespace (ignored for cluster-scoped types).
    public var namespace: String?

    static func parse(id: String, value: String, namespace: String?) -> Result<ExternalDependency, DependencyParseError> {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            return .failure(.init("\(value.debugDescription) is not type[.version.group]/name"))
        }
        let typeParts = parts[0].split(separator: ".", maxSplits: 1).map(String.init)
        var version: String?
        var group: String?
        if typeParts.count == 2 {
            let rest = typeParts[1]
            let pieces = rest.split(separator: ".", maxSplits: 1).map(String.init)
            if isVersion(pieces[0]) {
                version = pieces[0]
                group = pieces.count == 2 ? pieces[1] : ""
            } else {
                group = rest
            }
        }
        return .success(ExternalDependency(id: id, type: typeParts[0], version: version, group: group,
                                           name: parts[1], namespace: namespace))
    }

    /// `v1`, `v1beta1`, `v2alpha3`.
    static func isVersion(_ s: String) -> Bool {
        guard s.first == "v", s.count > 1 else { return false }
        return s.dropFirst().first?.isNumber == true
    }

    public var description: String {
        let typePart = [type, version, group].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ".")
        if let namespace { return "\(typePart)/\(namespace)/\(name)" }
        return "\(typePart)/\(name)"
    }
}

import Structured

/// How built-in kinds merge lists and maps: the `patchStrategy`/`patchMergeKey` struct tags that
/// strategic merge patch reads, and the `x-kubernetes-list-type`/`list-map-keys`/`map-type`
/// annotations server-side apply reads. Keyed by field name and the parent field, which is enough to
/// tell the few ambiguous cases apart (container ports vs service ports).
public enum ListStrategy: Sendable, Equatable {
    /// Replace as a whole.
    case atomic
    /// Merge items by these keys (SMP uses the first; SSA all).
    case map(keys: [String])
    /// A set of scalars (merged by value).
    case set
}

public struct PatchSchema: Sendable {
    /// Custom resources have no schema here: every list is atomic and SMP is refused.
    public var isCustom: Bool

    public init(isCustom: Bool) { self.isCustom = isCustom }

    /// Strategy of the list at `path` (field names only, list positions skipped).
    public func list(at path: [String]) -> ListStrategy {
        if isCustom { return .atomic }
        guard let field = path.last else { return .atomic }
        let parent = path.count >= 2 ? path[path.count - 2] : ""
        switch field {
        case "containers", "initContainers", "ephemeralContainers", "imagePullSecrets", "env", "resourceClaims",
             "schedulingGates":
            return .map(keys: ["name"])
        case "volumes": return parent == "spec" ? .map(keys: ["name"]) : .atomic
        case "ports":
            if parent == "containers" || parent == "initContainers" || parent == "ephemeralContainers" {
                return .map(keys: ["containerPort", "protocol"])
            }
            if parent == "spec" { return .map(keys: ["port", "protocol"]) }
            return .atomic
        case "volumeMounts": return .map(keys: ["mountPath"])
        case "volumeDevices": return .map(keys: ["devicePath"])
        case "hostAliases": return .map(keys: ["ip"])
        case "topologySpreadConstraints": return .map(keys: ["topologyKey", "whenUnsatisfiable"])
        case "conditions": return parent == "status" ? .map(keys: ["type"]) : .atomic
        case "ownerReferences": return parent == "metadata" ? .map(keys: ["uid"]) : .atomic
        case "finalizers": return parent == "metadata" ? .set : .atomic
        default: return .atomic
        }
    }

    /// Maps replaced as a whole by SSA (label selectors, object references).
    public func isAtomicMap(at path: [String]) -> Bool {
        if isCustom { return false }
        guard let field = path.last else { return false }
        switch field {
        case "selector", "secretKeyRef", "configMapKeyRef", "fieldRef", "resourceFieldRef", "roleRef", "scaleTargetRef",
             "labelSelector", "namespaceSelector", "podSelector":
            return true
        default: return false
        }
    }
}

extension PatchSchema {
    /// Service `spec.selector` is a plain map, every other `selector` a LabelSelector.
    public func isAtomicMap(at path: [String], kind: String) -> Bool {
        if kind == "Service" || kind == "ReplicationController", path == ["spec", "selector"] { return false }
        return isAtomicMap(at: path)
    }
}

import Structured

/// A `metav1.LabelSelector` (matchLabels + matchExpressions) evaluated client-side.
struct LabelSelector: Sendable {
    var selector: Value

    /// Whether `labels` satisfy the selector. An absent selector matches nothing, an empty one everything,
    /// as in Kubernetes' `LabelSelectorAsSelector`.
    func matches(_ object: Value) -> Bool {
        guard selector.objectValue != nil else { return false }
        let labels = object[path: "metadata", "labels"]?.objectValue ?? [:]
        for (key, want) in selector["matchLabels"]?.objectValue ?? [:] where labels[key]?.stringValue != want.stringValue {
            return false
        }
        for expression in selector["matchExpressions"]?.arrayValue ?? [] {
            let key = expression["key"]?.stringValue ?? ""
            let values = Set((expression["values"]?.arrayValue ?? []).compactMap(\.stringValue))
            let have = labels[key]?.stringValue
            switch expression["operator"]?.stringValue {
            case "In": if let have, values.contains(have) { continue } else { return false }
            case "NotIn": if let have, values.contains(have) { return false }
            case "Exists": if have == nil { return false }
            case "DoesNotExist": if have != nil { return false }
            default: return false
            }
        }
        return true
    }
}

/// Helpers over object metadata.
enum Meta {
    static func uid(_ object: Value) -> String? { object[path: "metadata", "uid"]?.stringValue }
    static func name(_ object: Value) -> String { object[path: "metadata", "name"]?.stringValue ?? "" }
    static func generation(_ object: Value) -> Int64? { object[path: "metadata", "generation"]?.intValue }
    static func observedGeneration(_ object: Value) -> Int64? { object[path: "status", "observedGeneration"]?.intValue }

    /// Whether `child` names `owner` in its ownerReferences (by uid, or by kind+name when uids are absent).
    static func isOwned(_ child: Value, by owner: Value) -> Bool {
        let references = child[path: "metadata", "ownerReferences"]?.arrayValue ?? []
        return references.contains { ref in
            if let uid = uid(owner), let refUID = ref["uid"]?.stringValue { return uid == refUID }
            return ref["kind"]?.stringValue == owner["kind"]?.stringValue && ref["name"]?.stringValue == name(owner)
        }
    }

    static func hasOwnerReferences(_ child: Value) -> Bool {
        !(child[path: "metadata", "ownerReferences"]?.arrayValue ?? []).isEmpty
    }

    static func condition(_ object: Value, _ type: String) -> Value? {
        (object[path: "status", "conditions"]?.arrayValue ?? []).first { $0["type"]?.stringValue == type }
    }

    static func int(_ object: Value, _ path: String...) -> Int? {
        var current: Value? = object
        for key in path { current = current?[key] }
        return current?.intValue.map { Int($0) }
    }
}

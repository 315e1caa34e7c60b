import Foundation
import OrderedCollections
import Structured

/// Accessors for the `metadata` of an object held as a `Value`.
extension Value {
    var name: String { self[path: "metadata", "name"]?.stringValue ?? "" }
    var namespace: String { self[path: "metadata", "namespace"]?.stringValue ?? "" }
    var uid: String { self[path: "metadata", "uid"]?.stringValue ?? "" }
    var resourceVersion: String { self[path: "metadata", "resourceVersion"]?.stringValue ?? "" }
    var labels: [String: String] { stringMap(self[path: "metadata", "labels"]) }
    var annotations: [String: String] { stringMap(self[path: "metadata", "annotations"]) }
    var finalizers: [String] { self[path: "metadata", "finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    var isDeleting: Bool { self[path: "metadata", "deletionTimestamp"].map { !$0.isNull } ?? false }
    var ownerReferences: [Value] { self[path: "metadata", "ownerReferences"]?.arrayValue ?? [] }

    /// Set `metadata.<key>` (creating `metadata` when missing); `nil` removes the key.
    mutating func setMetadata(_ key: String, _ value: Value?) {
        if self["metadata"]?.objectValue == nil { self["metadata"] = .object([:]) }
        var meta = self["metadata"]!
        self["metadata"] = .null
        meta[key] = value
        self["metadata"] = meta
    }

    /// Several `setMetadata` edits in one: `metadata` is taken out once (created, as an object, where
    /// `setMetadata` would create it), edited in place and put back. `self` must be an object.
    mutating func editMetadata(_ edit: (inout OrderedDictionary<String, Value>) -> Void) {
        guard case .object(var fields) = self else { preconditionFailure("metadata of a non-object") }
        self = .null  // release the payload so the dictionaries stay uniquely referenced
        var meta: OrderedDictionary<String, Value> = [:]
        if case .object(let stored)? = fields.updateValue(.null, forKey: "metadata") { meta = stored }
        edit(&meta)
        fields["metadata"] = .object(meta)
        self = .object(fields)
    }

    /// Set a value at a path of object keys, creating intermediate objects.
    mutating func set(path: [String], to value: Value?) {
        guard let first = path.first else { if let value { self = value }; return }
        if objectValue == nil { self = .object([:]) }
        if path.count == 1 { self[first] = value; return }
        var child = self[first] ?? .object([:])
        self[first] = .null
        child.set(path: Array(path.dropFirst()), to: value)
        self[first] = child
    }

    /// Equality of JSON content: object key order does not matter (OrderedDictionary's == does).
    public func sameContent(as other: Value) -> Bool {
        switch (self, other) {
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (k, v) in a {
                guard let w = b[k], v.sameContent(as: w) else { return false }
            }
            return true
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameContent(as: $1) }
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)):
            return Double(a) == b
        default:
            return self == other
        }
    }

    func value(at path: [String]) -> Value? {
        var current: Value? = self
        for key in path { current = current?[key] }
        return current
    }
}

private func stringMap(_ value: Value?) -> [String: String] {
    guard let object = value?.objectValue else { return [:] }
    var result: [String: String] = [:]
    for (k, v) in object { result[k] = v.stringValue ?? "" }
    return result
}

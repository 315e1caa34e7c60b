import Foundation
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

/// Timestamps as the API server writes them (RFC 3339, seconds, UTC).
public enum Timestamp {
    public static func now() -> String { format(Date()) }

    public static func format(_ date: Date) -> String {
        let t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        var copy = t
        gmtime_r(&copy, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    public static func parse(_ text: String) -> Date? {
        let digits = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard digits.count >= 6 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(digits[0] - 1900)
        parts.tm_mon = Int32(digits[1] - 1)
        parts.tm_mday = Int32(digits[2])
        parts.tm_hour = Int32(digits[3])
        parts.tm_min = Int32(digits[4])
        parts.tm_sec = Int32(digits[5])
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}

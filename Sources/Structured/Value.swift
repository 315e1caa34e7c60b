import OrderedCollections

/// A structured document value: what YAML and JSON decode to and what every module passes around.
///
/// `object` keeps key order as written (Kubernetes objects print in a stable order); Helm-style
/// encoders sort keys themselves. Copies are cheap: arrays and dictionaries are copy-on-write.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([Value])
    case object(OrderedDictionary<String, Value>)
}

extension Value {
    public static var emptyObject: Value { .object([:]) }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var arrayValue: [Value]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: OrderedDictionary<String, Value>? {
        if case .object(let o) = self { return o } else { return nil }
    }

    /// Integer view of a number; doubles convert only when integral.
    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// Member of an object, `nil` when absent or when this is not an object.
    public subscript(key: String) -> Value? {
        get { objectValue?[key] }
        set {
            guard case .object(var o) = self else { return }
            self = .null  // release the payload so the dictionary stays uniquely referenced
            o[key] = newValue
            self = .object(o)
        }
    }

    /// Follow a path of object keys: `v[path: "metadata", "name"]`.
    public subscript(path keys: String...) -> Value? {
        var current: Value? = self
        for key in keys { current = current?[key] }
        return current
    }
}

extension Value: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .object(OrderedDictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

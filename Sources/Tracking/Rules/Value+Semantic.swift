import Structured

extension Value {
    /// Equality that ignores object key order (API objects reorder keys freely).
    func semanticallyEquals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let counterpart = b[key], value.semanticallyEquals(counterpart) else { return false }
            }
            return true
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.semanticallyEquals($1) }
        case (.int, .double), (.double, .int):
            return doubleValue == other.doubleValue
        default:
            return self == other
        }
    }
}

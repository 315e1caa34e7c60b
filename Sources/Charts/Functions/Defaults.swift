import GoTemplate

/// Sprig's defaults and flow helpers: default, empty, coalesce, all, any, ternary, compact.
enum DefaultFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("default", .atLeast(1)) { a in
            guard a.count > 1, !isEmpty(a[1]) else { return a[0] }
            return a[1]
        }
        r.add("empty", .exactly(1)) { a in .bool(isEmpty(a[0])) }
        r.add("coalesce", .atLeast(0)) { a in a.values.first { !isEmpty($0) } ?? .null }
        r.add("all", .atLeast(0)) { a in .bool(a.values.allSatisfy { !isEmpty($0) }) }
        r.add("any", .atLeast(0)) { a in .bool(a.values.contains { !isEmpty($0) }) }
        r.add("ternary", .exactly(3)) { a in try a.bool(2) ? a[0] : a[1] }
        r.add("compact", .exactly(1)) { a in try ListFunctions.compact(a[0]) }
        r.add("mustCompact", .exactly(1)) { a in try ListFunctions.compact(a[0]) }
    }

    /// Sprig's `empty`; host objects that are Go maps or slices (`.Chart.Annotations`, `.Files`)
    /// are empty like them.
    static func isEmpty(_ v: TemplateValue) -> Bool {
        if case .object(let o) = v {
            switch o.representation {
            case .map, .list: return GoType.isEmpty(o.representation)
            default: break
            }
        }
        return GoType.isEmpty(v)
    }
}

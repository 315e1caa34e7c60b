import GoTemplate

/// Sprig's defaults and flow helpers: default, empty, coalesce, all, any, ternary, compact.
enum DefaultFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("default", .atLeast(1)) { a in
            guard a.count > 1, !GoType.isEmpty(a[1]) else { return a[0] }
            return a[1]
        }
        r.add("empty", .exactly(1)) { a in .bool(GoType.isEmpty(a[0])) }
        r.add("coalesce", .atLeast(0)) { a in a.values.first { !GoType.isEmpty($0) } ?? .null }
        r.add("all", .atLeast(0)) { a in .bool(a.values.allSatisfy { !GoType.isEmpty($0) }) }
        r.add("any", .atLeast(0)) { a in .bool(a.values.contains { !GoType.isEmpty($0) }) }
        r.add("ternary", .exactly(3)) { a in try a.bool(2) ? a[0] : a[1] }
        r.add("compact", .exactly(1)) { a in try ListFunctions.compact(a[0]) }
        r.add("mustCompact", .exactly(1)) { a in try ListFunctions.compact(a[0]) }
    }
}

import GoTemplate

/// Sprig's reflection functions, printing Go's type and kind names.
enum ReflectionFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("typeOf", .exactly(1)) { a in .string(GoType.name(of: a[0])) }
        r.add("typeIs", .exactly(2)) { a in .bool(try a.string(0) == GoType.name(of: a[1])) }
        r.add("typeIsLike", .exactly(2)) { a in
            let target = try a.string(0), t = GoType.name(of: a[1])
            return .bool(target == t || "*" + target == t)
        }
        r.add("kindOf", .exactly(1)) { a in .string(GoType.kind(of: a[0])) }
        r.add("kindIs", .exactly(2)) { a in .bool(try a.string(0) == GoType.kind(of: a[1])) }
        r.add("deepEqual", .exactly(2)) { a in .bool(GoType.deepEqual(a[0], a[1])) }
    }
}

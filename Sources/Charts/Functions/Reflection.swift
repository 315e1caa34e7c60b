import GoTemplate

/// Sprig's reflection functions, printing Go's type and kind names. They see typed containers
/// (`[]string` from `splitList`, ...) as such; `deepCopy` keeps their type, as copystructure does.
enum ReflectionFunctions {
    static func register(into r: inout FunctionRegistry) {
        typed(&r, "typeOf", .exactly(1)) { a in .string(GoType.name(of: a[0])) }
        typed(&r, "typeIs", .exactly(2)) { a in .bool(try a.string(0) == GoType.name(of: a[1])) }
        typed(&r, "typeIsLike", .exactly(2)) { a in
            let target = try a.string(0), t = GoType.name(of: a[1])
            return .bool(target == t || "*" + target == t)
        }
        typed(&r, "kindOf", .exactly(1)) { a in .string(GoType.kind(of: a[0])) }
        typed(&r, "kindIs", .exactly(2)) { a in .bool(try a.string(0) == GoType.kind(of: a[1])) }
        typed(&r, "deepEqual", .exactly(2)) { a in .bool(GoType.deepEqual(a[0], a[1])) }
        for name in ["deepCopy", "mustDeepCopy"] {
            typed(&r, name, .exactly(1)) { a in
                if case .object(let o as TypedContainer) = a[0] {
                    return .object(TypedContainer(goTypeName: o.goTypeName, value: GoType.deepCopy(o.value), zero: o.zero))
                }
                return GoType.deepCopy(a[0])
            }
        }
    }

    private static func typed(_ r: inout FunctionRegistry, _ name: String, _ arity: Arguments.Arity, _ body: @escaping ArgumentsBody) {
        r.register(name, receivesGoTypes: true) { raw, _ in try body(Arguments(name, raw, arity, keepGoTypes: true)) }
    }
}

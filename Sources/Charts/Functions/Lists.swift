import GoTemplate

/// Sprig's list functions. Each non-`must` form panics in Go, which text/template turns into
/// the same call error as the `must` form returns, so both share one implementation.
enum ListFunctions {
    static func register(into r: inout FunctionRegistry) {
        for name in ["list", "tuple"] { r.add(name, .atLeast(0), keepingGoTypes: { a, _ in .list(a.values) }) }
        for name in ["append", "push", "mustAppend", "mustPush"] {
            r.add(name, .exactly(2)) { a in .list(try elements(a[0], "Cannot push on type") + [a[1]]) }
        }
        for name in ["prepend", "mustPrepend"] {
            r.add(name, .exactly(2)) { a in .list([a[1]] + (try elements(a[0], "Cannot prepend on type"))) }
        }
        for name in ["first", "mustFirst"] {
            r.add(name, .exactly(1)) { a in try elements(a[0], "Cannot find first on type").first ?? .null }
        }
        for name in ["last", "mustLast"] {
            r.add(name, .exactly(1)) { a in try elements(a[0], "Cannot find last on type").last ?? .null }
        }
        for name in ["rest", "mustRest"] {
            r.add(name, .exactly(1)) { a in
                let l = try elements(a[0], "Cannot find rest on type")
                return l.isEmpty ? .list([]) : .list(Array(l.dropFirst()))
            }
        }
        for name in ["initial", "mustInitial"] {
            r.add(name, .exactly(1)) { a in
                let l = try elements(a[0], "Cannot find initial on type")
                return l.isEmpty ? .list([]) : .list(Array(l.dropLast()))
            }
        }
        for name in ["reverse", "mustReverse"] {
            r.add(name, .exactly(1)) { a in .list(try elements(a[0], "Cannot find reverse on type").reversed()) }
        }
        for name in ["uniq", "mustUniq"] {
            r.add(name, .exactly(1)) { a in
                var out: [TemplateValue] = []
                for item in try elements(a[0], "Cannot find uniq on type") where !out.contains(where: { GoType.deepEqual(item, $0) }) {
                    out.append(item)
                }
                return .list(out)
            }
        }
        for name in ["without", "mustWithout"] {
            r.add(name, .atLeast(1)) { a in
                let omit = a.rest(from: 1)
                return .list(try elements(a[0], "Cannot find without on type").filter { item in
                    !omit.contains { GoType.deepEqual(item, $0) }
                })
            }
        }
        for name in ["has", "mustHas"] {
            r.add(name, .exactly(2)) { a in
                if a[1].isNil { return .bool(false) }
                return .bool(try elements(a[1], "Cannot find has on type").contains { GoType.deepEqual(a[0], $0) })
            }
        }
        for name in ["slice", "mustSlice"] {
            r.add(name, .atLeast(1)) { a in
                guard let l = GoType.sliceElements(a[0]) else {
                    if a[0].isNil { throw nilType }
                    throw TemplateFunctionError("list should be type of slice or array but \(GoType.kind(of: a[0]))")
                }
                if l.isEmpty { return .null }
                let start = a.count > 1 ? Cast.toInt(a[1]) : 0
                let end = a.count > 2 ? Cast.toInt(a[2]) : l.count
                guard start >= 0, start <= end, end <= l.count else {
                    throw TemplateFunctionError("reflect.Value.Slice: slice index out of bounds")
                }
                if case .bytes(let b) = a[0] { return .bytes(Array(b[start..<end])) }
                return .list(Array(l[start..<end]))
            }
        }
        r.add("concat", .atLeast(0)) { a in
            var out: [TemplateValue] = []
            for v in a.values {
                guard let l = GoType.sliceElements(v) else {
                    if v.isNil { throw nilType }
                    throw TemplateFunctionError("Cannot concat type \(GoType.kind(of: v)) as list")
                }
                out += l
            }
            return .list(out)
        }
        for name in ["chunk", "mustChunk"] {
            r.add(name, .exactly(2)) { a in
                let size = try a.int(0)
                let l = try elements(a[1], "Cannot chunk type")
                guard size > 0 else { throw TemplateFunctionError("runtime error: makeslice: len out of range") }
                var chunks: [TemplateValue] = []
                var i = 0
                while i < l.count {
                    chunks.append(.list(Array(l[i..<min(i + size, l.count)])))
                    i += size
                }
                return .object(TypedContainer(goTypeName: "[][]interface {}", value: .list(chunks)))
            }
        }
    }

    static let nilType = TemplateFunctionError("runtime error: invalid memory address or nil pointer dereference")

    /// The elements of a Go slice or array, or the error Sprig gives for other kinds.
    static func elements(_ v: TemplateValue, _ message: String) throws -> [TemplateValue] {
        if let l = GoType.sliceElements(v) { return l }
        if v.isNil { throw nilType }
        throw TemplateFunctionError("\(message) \(GoType.kind(of: v))")
    }

    static func compact(_ v: TemplateValue) throws -> TemplateValue {
        .list(try elements(v, "Cannot compact on type").filter { !GoType.isEmpty($0) })
    }
}

import GoTemplate

/// Sprig's dictionary functions. Maps are shared references (`TemplateMap`), as in Go: `set`,
/// `unset` and `merge` change their first argument in place and return it.
enum DictFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("dict", .atLeast(0), keepingGoTypes: { a, _ in
            var m: [String: TemplateValue] = [:]
            var i = 0
            while i < a.count {
                let key = GoText.strval(a.plain(i))
                m[key] = i + 1 < a.count ? a[i + 1] : .string("")
                i += 2
            }
            return .map(m)
        })
        r.add("get", .exactly(2)) { a in try a.map(0)[try a.string(1)] ?? .string("") }
        r.add("set", .exactly(3), keepingGoTypes: { a, _ in
            if a[0].isNil { throw TemplateFunctionError("assignment to entry in nil map") }
            let m = try a.map(0)
            m[try a.string(1)] = a[2]
            return GoType.asPlainMap(m)
        })
        r.add("unset", .exactly(2), keepingGoTypes: { a, _ in
            let m = try a.map(0)
            m[try a.string(1)] = nil
            return GoType.asPlainMap(m)
        })
        r.add("hasKey", .exactly(2)) { a in .bool(try a.map(0)[try a.string(1)] != nil) }
        r.add("pluck", .atLeast(1)) { a in
            let key = try a.string(0)
            return .list(try (1..<a.count).compactMap { try a.map($0)[key] })
        }
        r.add("keys", .atLeast(0)) { a in
            // Go's map order is random; we list each map's keys sorted.
            .strings(try (0..<a.count).flatMap { try a.map($0).keys.sorted() })
        }
        r.add("values", .exactly(1)) { a in
            let m = try a.map(0)
            return .list(m.keys.sorted().map { m[$0]! })
        }
        r.add("pick", .atLeast(1)) { a in
            let m = try a.map(0)
            let out = TemplateMap()
            for k in try a.strings(from: 1) { if let v = m[k] { out[k] = v } }
            return .map(out)
        }
        r.add("omit", .atLeast(1)) { a in
            let m = try a.map(0).copy()
            for k in try a.strings(from: 1) { m[k] = nil }
            return .map(m)
        }
        for (name, overwrite) in [("merge", false), ("mustMerge", false), ("mergeOverwrite", true), ("mustMergeOverwrite", true)] {
            // Typed arguments: a subchart's `.Values` (`common.Values`) comes back as the unnamed type.
            r.add(name, .atLeast(1), keepingGoTypes: { a, _ in
                let dst = try a.map(0)
                for i in 1..<a.count { merge(into: dst, try a.map(i), overwrite: overwrite) }
                return GoType.asPlainMap(dst)
            })
        }
        // Typed arguments: Sprig asserts `map[string]interface {}`, which a `common.Values` is not.
        r.add("dig", .atLeast(0), keepingGoTypes: { a, _ in
            guard a.count >= 3 else { throw TemplateFunctionError("dig needs at least three arguments") }
            guard var current = GoType.plainMapValue(a[a.count - 1]) else {
                throw interfaceConversion(a[a.count - 1], to: "map[string]interface {}")
            }
            let fallback = a[a.count - 2]
            var keys: [String] = []
            for i in 0..<(a.count - 2) {
                guard case .string(let k) = a[i] else { throw interfaceConversion(a[i], to: "string") }
                keys.append(k)
            }
            for (i, key) in keys.enumerated() {
                guard let step = current[key] else { return fallback }
                if i == keys.count - 1 { return step }
                guard let next = GoType.plainMapValue(step) else { throw interfaceConversion(step, to: "map[string]interface {}") }
                current = next
            }
            return fallback
        })
    }

    static func interfaceConversion(_ v: TemplateValue, to type: String) -> TemplateFunctionError {
        let actual = v.isNil ? "nil" : GoType.name(of: v)
        return TemplateFunctionError("interface conversion: interface {} is \(actual), not \(type)")
    }

    /// dario.cat/mergo Merge / MergeWithOverwrite on map[string]interface{}: `dst` and its nested
    /// maps change in place; values taken from `src` (maps included) are shared, not copied.
    static func merge(into dst: TemplateMap, _ src: TemplateMap, overwrite: Bool) {
        for (key, s) in src.entries {
            let d = dst[key]
            if s.isNil {
                if overwrite { dst[key] = .null }
                continue
            }
            if case .map(let sm) = s, case .map(let dm)? = d {
                merge(into: dm, sm, overwrite: overwrite)
                // mergo then keeps a non-empty destination map, and stores the source's otherwise.
                if dm.isEmpty { dst[key] = s }
                continue
            }
            let dstEmpty = d.map(isEmptyValue) ?? true
            if case .list(let sl) = s {
                if overwrite || (dstEmpty && !sl.isEmpty) {
                    dst[key] = s
                } else if d == nil || d!.isNil {
                    dst[key] = .list([])
                }
                continue
            }
            if overwrite || dstEmpty { dst[key] = s }
        }
    }

    /// mergo's isEmptyValue on an interface element.
    static func isEmptyValue(_ v: TemplateValue) -> Bool {
        switch v {
        case .object: return false
        default: return GoType.isEmpty(v)
        }
    }
}

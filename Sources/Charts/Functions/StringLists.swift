import GoTemplate

/// Sprig's functions between strings and lists: split, join, sortAlpha, toStrings.
enum StringListFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("split", .exactly(2)) { a in
            let parts = split(try a.string(1), by: try a.string(0), limit: -1)
            return indexedMap(parts)
        }
        r.add("splitn", .exactly(3)) { a in
            let parts = split(try a.string(2), by: try a.string(0), limit: try a.int(1))
            return indexedMap(parts)
        }
        r.add("splitList", .exactly(2)) { a in .strings(split(try a.string(1), by: try a.string(0), limit: -1)) }
        r.add("toStrings", .exactly(1)) { a in .strings(strslice(a[0])) }
        r.add("join", .exactly(2)) { a in .string(strslice(a[1]).joined(separator: try a.string(0))) }
        r.add("sortAlpha", .exactly(1)) { a in
            switch a[0] {
            case .list, .bytes:
                return .strings(strslice(a[0]).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            default:
                return .strings([GoText.strval(a[0])])
            }
        }
    }

    /// `{"_0": ..., "_1": ...}` (Go map[string]string).
    static func indexedMap(_ parts: [String]) -> TemplateValue {
        var m: [String: TemplateValue] = [:]
        for (i, p) in parts.enumerated() { m["_\(i)"] = .string(p) }
        return .object(TypedContainer(goTypeName: "map[string]string", value: .map(m), zero: .string("")))
    }

    /// strings.SplitN (limit < 0: all; 0: none; an empty separator splits into runes).
    static func split(_ s: String, by sep: String, limit: Int) -> [String] {
        if limit == 0 { return [] }
        if sep.isEmpty {
            var runes = s.unicodeScalars.map { String($0) }
            if limit > 0 && runes.count > limit {
                let tail = runes[(limit - 1)...].joined()
                runes = Array(runes[..<(limit - 1)]) + [tail]
            }
            return runes
        }
        let src = Array(s.utf8), pat = Array(sep.utf8)
        var parts: [String] = []
        var start = 0, i = 0
        while i + pat.count <= src.count {
            if limit > 0 && parts.count == limit - 1 { break }
            if src[i] == pat[0] && Array(src[i..<(i + pat.count)]) == pat {
                parts.append(String(decoding: src[start..<i], as: UTF8.self))
                i += pat.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(String(decoding: src[start...], as: UTF8.self))
        return parts
    }

    /// Sprig's strslice: lists drop nil elements and stringify the rest; nil gives []; a scalar gives [it].
    static func strslice(_ v: TemplateValue) -> [String] {
        switch v {
        case .list(let items): return items.filter { !$0.isNil }.map(GoText.strval)
        case .bytes(let b): return b.map { String($0) }
        case .null, .missing: return []
        default: return [GoText.strval(v)]
        }
    }
}

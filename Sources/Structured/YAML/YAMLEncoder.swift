import OrderedCollections

/// Helm's `toYaml` (sigs.k8s.io/yaml: Go value -> JSON -> go-yaml v2 -> yaml.v2 emitter) and
/// `toYamlPretty` (yaml.v3 with indent 2) as one walk over `Value`.
struct YAMLEncoder {
    enum Style { case goYAMLv2, goYAMLv3 }
    let style: Style

    func encode(_ value: Value) throws(StructuredError) -> String {
        let profile: YAMLEmitter.Profile =
            style == .goYAMLv2
            ? .init(bestWidth: 80, indentlessSequences: true, tabsInBlockScalars: false)
            : .init(bestWidth: Int.max / 2, indentlessSequences: false, tabsInBlockScalars: true)
        var emitter = YAMLEmitter(profile: profile)
        try node(value, in: &emitter, mappingContext: false)
        // Document end: break the last line.
        emitter.writeIndent()
        return String(decoding: emitter.out, as: UTF8.self)
    }

    private func node(_ value: Value, in e: inout YAMLEmitter, mappingContext: Bool) throws(StructuredError) {
        switch value {
        case .object(let o) where !o.isEmpty:
            e.increaseIndent(flow: false, indentless: false)
            for (key, keyBytes) in sortedKeys(o) {
                let child = o[key]!
                e.writeIndent()
                let text = try scalarText(key)
                let analysis = e.analyze(text.bytes)
                if e.isSimpleKey(text.bytes, analysis) {
                    e.simpleKeyContext = true
                    e.scalar(text.bytes, requested: text.style, analysis: analysis)
                    e.simpleKeyContext = false
                    e.writeIndicator(":", needWhitespace: false, isWhitespace: false, isIndention: false)
                } else {
                    e.writeIndicator("?", needWhitespace: true, isWhitespace: false, isIndention: true)
                    e.scalar(text.bytes, requested: text.style, analysis: analysis)
                    e.writeIndent()
                    e.writeIndicator(":", needWhitespace: true, isWhitespace: false, isIndention: true)
                }
                _ = keyBytes
                try node(child, in: &e, mappingContext: true)
            }
            e.popIndent()
        case .array(let items) where !items.isEmpty:
            let indentless = e.profile.indentlessSequences && mappingContext && !e.indention
            e.increaseIndent(flow: false, indentless: indentless)
            for item in items {
                e.writeIndent()
                e.writeIndicator("-", needWhitespace: true, isWhitespace: false, isIndention: true)
                try node(item, in: &e, mappingContext: false)
            }
            e.popIndent()
        case .object:
            e.writeIndicator("{", needWhitespace: true, isWhitespace: true, isIndention: false)
            e.writeIndicator("}", needWhitespace: false, isWhitespace: false, isIndention: false)
        case .array:
            e.writeIndicator("[", needWhitespace: true, isWhitespace: true, isIndention: false)
            e.writeIndicator("]", needWhitespace: false, isWhitespace: false, isIndention: false)
        case .string(let s):
            let text = try scalarText(s)
            e.scalar(text.bytes, requested: text.style, analysis: e.analyze(text.bytes))
        case .null:
            e.scalar(Array("null".utf8), requested: .plain, analysis: e.analyze(Array("null".utf8)))
        case .bool(let b):
            let bytes = Array((b ? "true" : "false").utf8)
            e.scalar(bytes, requested: .plain, analysis: e.analyze(bytes))
        case .int(let i):
            let bytes = Array(String(i).utf8)
            e.scalar(bytes, requested: .plain, analysis: e.analyze(bytes))
        case .double(let d):
            let bytes = Array(try numberText(d).utf8)
            e.scalar(bytes, requested: .plain, analysis: e.analyze(bytes))
        }
    }

    /// How a float64 prints. v2 sees it after a JSON round trip: integral values up to uint64 come
    /// back as integers, the rest as floats printed with `%g`. v3 prints `%g` directly.
    func numberText(_ d: Double) throws(StructuredError) -> String {
        switch style {
        case .goYAMLv3:
            if d.isNaN { return ".nan" }
            if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
            return GoFloatFormat.g(d)
        case .goYAMLv2:
            if d.rounded(.towardZero) == d && abs(d) < 9.007199254740992e15 { return String(Int64(d)) }
            guard let json = GoFloatFormat.json(d) else {
                throw StructuredError("json: unsupported value: \(GoFloatFormat.g(d))")
            }
            let bytes = Array(json.utf8)
            if !bytes.contains(UInt8(ascii: ".")) && !bytes.contains(UInt8(ascii: "e")) {
                if let i = YAMLScalarResolver.parseGoInt(bytes[...]) { return String(i) }
                if let u = YAMLScalarResolver.parseGoUint(bytes[...]) { return String(u) }
            }
            return GoFloatFormat.g(d)
        }
    }

    struct ScalarText {
        var bytes: [UInt8]
        var style: YAMLEmitter.ScalarStyle
    }

    /// The text and requested style of a string, as go-yaml's encoder picks it: literal for
    /// multi-line text, plain when it would read back as the same string, double quotes otherwise.
    func scalarText(_ s: String) throws(StructuredError) -> ScalarText {
        var s = s
        if style == .goYAMLv2 { s = try YAMLEncoder.jsonRoundTrip(s) }
        let bytes = Array(s.utf8)
        if bytes.contains(0x0A) { return ScalarText(bytes: bytes, style: .literal) }
        let plain = YAMLScalarResolver.resolvePlain(s)
        if case .string = plain, !YAMLScalarResolver.isBase60Float(s) {
            return ScalarText(bytes: bytes, style: .plain)
        }
        return ScalarText(bytes: bytes, style: .doubleQuoted)
    }

    /// sigs.k8s.io/yaml re-reads Go's JSON with go-yaml: characters YAML forbids in a stream fail,
    /// and a raw NEL (which JSON does not escape) is a line break inside the quoted scalar, so it folds.
    static func jsonRoundTrip(_ s: String) throws(StructuredError) -> String {
        // Only U+007F..U+009F and U+FFFE/U+FFFF matter: bytes 0x7F, 0xC2 0x80-0x9F, 0xEF 0xBF 0xBE/0xBF.
        guard s.utf8.contains(where: { $0 == 0x7F || $0 == 0xC2 || $0 == 0xEF }) else { return s }
        var needsWork = false
        for u in s.unicodeScalars where u.value >= 0x7F && (u.value < 0xA0 || u.value >= 0xFFFE) {
            needsWork = true
            break
        }
        guard needsWork else { return s }
        var scalars = Array(s.unicodeScalars)
        for u in scalars {
            let v = u.value
            if v == 0x7F || (v >= 0x80 && v < 0xA0 && v != 0x85) || v == 0xFFFE || v == 0xFFFF {
                throw StructuredError("error converting JSON to YAML: yaml: control characters are not allowed")
            }
        }
        guard scalars.contains("\u{85}") else { return s }
        var result = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            // A run of spaces and NELs containing at least one NEL folds like a flow line break.
            if scalars[i] == " " || scalars[i] == "\u{85}" {
                var j = i, breaks = 0
                while j < scalars.count && (scalars[j] == " " || scalars[j] == "\u{85}") {
                    if scalars[j] == "\u{85}" { breaks += 1 }
                    j += 1
                }
                if breaks == 0 {
                    result.append(contentsOf: scalars[i..<j])
                } else if breaks == 1 {
                    result.append(" ")
                } else {
                    for _ in 1..<breaks { result.append("\n") }
                }
                i = j
            } else {
                result.append(scalars[i])
                i += 1
            }
        }
        scalars = []
        return String(result)
    }

    /// go-yaml's key order: numbers in keys compare by value, letters before other characters.
    func sortedKeys(_ o: OrderedDictionary<String, Value>) -> [(String, [UInt32])] {
        if o.count == 1 { return [(o.keys[0], [])] }
        let keyed = o.keys.map { key in
            var scalars: [UInt32] = []
            scalars.reserveCapacity(key.utf8.count)
            for u in key.unicodeScalars { scalars.append(u.value) }
            return (key, scalars)
        }
        let v3 = style == .goYAMLv3
        return keyed.sorted { YAMLEncoder.keyLess($0.1, $1.1, digitAware: v3) }
    }

    static func isLetter(_ c: UInt32) -> Bool {
        if c < 0x80 { return (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
        guard let u = Unicode.Scalar(c) else { return false }
        switch u.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    static func isDigit(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x30 && c <= 0x39 }
        guard let u = Unicode.Scalar(c) else { return false }
        return u.properties.generalCategory == .decimalNumber
    }

    /// yaml.v2's order is not transitive for some key sets (`1a`, `2a`, `10a`), so Go's output
    /// then depends on map iteration order and is itself random; yaml.v3 fixed that by letting a
    /// letter sort after a digit run (`digitAware`).
    static func keyLess(_ a: [UInt32], _ b: [UInt32], digitAware: Bool) -> Bool {
        var i = 0
        var digits = false
        while i < a.count && i < b.count {
            if a[i] == b[i] {
                digits = isDigit(a[i])
                i += 1
                continue
            }
            let al = isLetter(a[i]), bl = isLetter(b[i])
            if al && bl { return a[i] < b[i] }
            if al || bl { return digitAware && digits ? al : bl }
            var an: Int64 = 0, bn: Int64 = 0
            if a[i] == 0x30 || b[i] == 0x30 {
                var j = i - 1
                while j >= 0 && isDigit(a[j]) {
                    if a[j] != 0x30 {
                        an = 1
                        bn = 1
                        break
                    }
                    j -= 1
                }
            }
            var ai = i, bi = i
            while ai < a.count && isDigit(a[ai]) {
                an = an &* 10 &+ Int64(Int32(bitPattern: a[ai] &- 0x30))
                ai += 1
            }
            while bi < b.count && isDigit(b[bi]) {
                bn = bn &* 10 &+ Int64(Int32(bitPattern: b[bi] &- 0x30))
                bi += 1
            }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return a[i] < b[i]
        }
        return a.count < b.count
    }
}

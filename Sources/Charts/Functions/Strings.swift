import GoTemplate

/// Sprig's string functions (strings.go plus the goutils/xstrings helpers it wraps).
enum StringFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("hello", .exactly(0)) { _ in .string("Hello!") }
        r.add("abbrev", .exactly(2)) { a in
            let width = try a.int(0), s = try a.string(1)
            return .string(width < 4 ? s : abbreviate(s, offset: 0, width: width))
        }
        r.add("abbrevboth", .exactly(3)) { a in
            let left = try a.int(0), right = try a.int(1), s = try a.string(2)
            if right < 4 || left > 0 && right < 7 { return .string(s) }
            return .string(abbreviate(s, offset: left, width: right))
        }
        r.add("trunc", .exactly(2)) { a in
            let c = try a.int(0), s = Array(try a.string(1).utf8)
            if c < 0 && s.count + c > 0 { return .string(String(decoding: s[(s.count + c)...], as: UTF8.self)) }
            if c >= 0 && s.count > c { return .string(String(decoding: s[..<c], as: UTF8.self)) }
            return .string(String(decoding: s, as: UTF8.self))
        }
        r.add("trim", .exactly(1)) { a in .string(trimSpace(try a.string(0))) }
        // Go maps rune by rune (no "ß" -> "SS" expansions).
        r.add("upper", .exactly(1)) { a in .string(String(String.UnicodeScalarView(try a.string(0).unicodeScalars.flatMap(upperScalar)))) }
        r.add("lower", .exactly(1)) { a in .string(String(String.UnicodeScalarView(try a.string(0).unicodeScalars.flatMap(lowerScalar)))) }
        r.add("title", .exactly(1)) { a in .string(title(try a.string(0))) }
        r.add("untitle", .exactly(1)) { a in .string(untitle(try a.string(0))) }
        r.add("substr", .exactly(3)) { a in
            .string(try substring(try a.int(0), try a.int(1), try a.string(2)))
        }
        r.add("repeat", .exactly(2)) { a in
            let n = try a.int(0), s = try a.string(1)
            guard n >= 0 else { throw TemplateFunctionError("strings: negative Repeat count") }
            return .string(String(repeating: s, count: n))
        }
        for name in ["trimall", "trimAll"] {
            r.add(name, .exactly(2)) { a in .string(trim(try a.string(1), cutset: try a.string(0))) }
        }
        r.add("trimSuffix", .exactly(2)) { a in
            let suffix = try a.string(0), s = try a.string(1)
            return .string(!suffix.isEmpty && endsWith(s, suffix) ? String(decoding: s.utf8.dropLast(suffix.utf8.count), as: UTF8.self) : s)
        }
        r.add("trimPrefix", .exactly(2)) { a in
            let prefix = try a.string(0), s = try a.string(1)
            return .string(s.utf8.starts(with: prefix.utf8) ? String(decoding: s.utf8.dropFirst(prefix.utf8.count), as: UTF8.self) : s)
        }
        r.add("nospace", .exactly(1)) { a in .string(deleteWhiteSpace(try a.string(0))) }
        r.add("initials", .exactly(1)) { a in .string(initials(try a.string(0))) }
        r.add("randAlphaNum", .exactly(1)) { a in .string(Random.string(count: try a.int(0), alphabet: Random.alphaNumeric)) }
        r.add("randAlpha", .exactly(1)) { a in .string(Random.string(count: try a.int(0), alphabet: Random.alpha)) }
        r.add("randAscii", .exactly(1)) { a in .string(Random.string(count: try a.int(0), alphabet: Random.ascii)) }
        r.add("randNumeric", .exactly(1)) { a in .string(Random.string(count: try a.int(0), alphabet: Random.numeric)) }
        r.add("swapcase", .exactly(1)) { a in .string(swapCase(try a.string(0))) }
        r.add("shuffle", .exactly(1)) { a in .string(String(String.UnicodeScalarView(try a.string(0).unicodeScalars.shuffled()))) }
        r.add("snakecase", .exactly(1)) { a in .string(CaseWords.lowerCase(try a.string(0), connector: "_")) }
        r.add("kebabcase", .exactly(1)) { a in .string(CaseWords.lowerCase(try a.string(0), connector: "-")) }
        r.add("camelcase", .exactly(1)) { a in .string(CaseWords.pascalCase(try a.string(0))) }
        r.add("wrap", .exactly(2)) { a in .string(wrap(try a.string(1), width: try a.int(0), newline: "", longWords: false)) }
        r.add("wrapWith", .exactly(3)) { a in
            .string(wrap(try a.string(2), width: try a.int(0), newline: try a.string(1), longWords: true))
        }
        r.add("contains", .exactly(2)) { a in
            let sub = try a.string(0), s = try a.string(1)
            return .bool(sub.isEmpty || s.utf8.firstRange(of: sub.utf8) != nil)
        }
        r.add("hasPrefix", .exactly(2)) { a in .bool(try a.string(1).utf8.starts(with: try a.string(0).utf8)) }
        r.add("hasSuffix", .exactly(2)) { a in .bool(endsWith(try a.string(1), try a.string(0))) }
        r.add("quote", .atLeast(0)) { a in
            .string(a.values.filter { !$0.isNil }.map { GoText.quote(GoText.strval($0)) }.joined(separator: " "))
        }
        r.add("squote", .atLeast(0)) { a in
            .string(a.values.filter { !$0.isNil }.map { "'" + GoText.value($0) + "'" }.joined(separator: " "))
        }
        r.add("cat", .atLeast(0)) { a in
            .string(a.values.filter { !$0.isNil }.map { GoText.value($0) }.joined(separator: " "))
        }
        r.add("indent", .exactly(2)) { a in .string(try indent(try a.int(0), try a.string(1))) }
        r.add("nindent", .exactly(2)) { a in .string("\n" + (try indent(try a.int(0), try a.string(1)))) }
        r.add("replace", .exactly(3)) { a in
            .string(replace(try a.string(2), try a.string(0), with: try a.string(1)))
        }
        r.add("plural", .exactly(3)) { a in
            let one = try a.string(0), many = try a.string(1)
            return .string(try a.int(2) == 1 ? one : many)
        }
        r.add("toString", .exactly(1)) { a in .string(GoText.strval(a[0])) }
    }

    // MARK: Go strings package

    /// Byte-wise suffix test (Swift's hasSuffix compares characters, Go compares bytes).
    static func endsWith(_ s: String, _ suffix: String) -> Bool {
        let a = Array(s.utf8), b = Array(suffix.utf8)
        return b.count <= a.count && Array(a[(a.count - b.count)...]) == b
    }

    static func isGoSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
        default: return c.properties.isWhitespace && c.value > 0xFF
        }
    }

    static func trimSpace(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isGoSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isGoSpace($0) })!
        return String(scalars[first...last])
    }

    /// strings.Trim(s, cutset).
    static func trim(_ s: String, cutset: String) -> String {
        let set = Set(cutset.unicodeScalars)
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !set.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !set.contains($0) })!
        return String(scalars[first...last])
    }

    /// strings.Replace(s, old, new, -1): an empty `old` inserts `new` around every rune.
    static func replace(_ s: String, _ old: String, with new: String) -> String {
        if old.isEmpty {
            var out = new
            for c in s.unicodeScalars { out.unicodeScalars.append(c); out += new }
            return out
        }
        let src = Array(s.utf8), pat = Array(old.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(src.count)
        var i = 0
        while i < src.count {
            if i + pat.count <= src.count && src[i] == pat[0] && Array(src[i..<(i + pat.count)]) == pat {
                out += new.utf8
                i += pat.count
            } else {
                out.append(src[i]); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go strings.Title: the first letter of every word to title case.
    static func title(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var prev: Unicode.Scalar = " "
        for c in s.unicodeScalars {
            if isSeparator(prev) {
                out.append(contentsOf: titleScalar(c))
            } else {
                out.append(c)
            }
            prev = c
        }
        return String(out)
    }

    private static func isSeparator(_ c: Unicode.Scalar) -> Bool {
        if c.value <= 0x7F {
            switch c {
            case "0"..."9", "a"..."z", "A"..."Z", "_": return false
            default: return true
            }
        }
        if c.properties.isAlphabetic || c.properties.numericType != nil { return false }
        return isGoSpace(c)
    }

    /// goutils.Uncapitalize: lower-cases the first letter of every whitespace-separated word.
    static func untitle(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var next = true
        for c in s.unicodeScalars {
            if isGoSpace(c) { next = true; out.append(c) }
            else if next { out.append(contentsOf: lowerScalar(c)); next = false }
            else { out.append(c) }
        }
        return String(out)
    }

    static func lowerScalar(_ c: Unicode.Scalar) -> [Unicode.Scalar] {
        let m = c.properties.lowercaseMapping.unicodeScalars
        return m.count == 1 ? Array(m) : [c]
    }

    static func upperScalar(_ c: Unicode.Scalar) -> [Unicode.Scalar] {
        let m = c.properties.uppercaseMapping.unicodeScalars
        return m.count == 1 ? Array(m) : [c]
    }

    static func titleScalar(_ c: Unicode.Scalar) -> [Unicode.Scalar] {
        let m = c.properties.titlecaseMapping.unicodeScalars
        return m.count == 1 ? Array(m) : [c]
    }

    /// goutils.SwapCase.
    static func swapCase(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var whitespace = true
        for c in s.unicodeScalars {
            let p = c.properties
            if p.isUppercase || p.generalCategory == .titlecaseLetter {
                out.append(contentsOf: lowerScalar(c)); whitespace = false
            } else if p.isLowercase {
                out.append(contentsOf: whitespace ? titleScalar(c) : upperScalar(c)); whitespace = false
            } else {
                out.append(c); whitespace = isGoSpace(c)
            }
        }
        return String(out)
    }

    /// goutils.DeleteWhiteSpace works on bytes, each written back as a Latin-1 rune.
    static func deleteWhiteSpace(_ s: String) -> String {
        let bytes = Array(s.utf8)
        var out = String.UnicodeScalarView()
        var kept = 0
        for b in bytes where !isGoSpace(Unicode.Scalar(b)) {
            out.append(Unicode.Scalar(b)); kept += 1
        }
        return kept == bytes.count ? s : String(out)
    }

    /// goutils.Initials, byte-wise like the original.
    static func initials(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var gap = true
        for b in s.utf8 {
            let c = Unicode.Scalar(b)
            if isGoSpace(c) { gap = true } else if gap { out.append(c); gap = false }
        }
        return String(out)
    }

    /// goutils.AbbreviateFull (byte offsets, "..." marker).
    static func abbreviate(_ str: String, offset start: Int, width: Int) -> String {
        let s = Array(str.utf8)
        func text(_ b: ArraySlice<UInt8>) -> String { String(decoding: b, as: UTF8.self) }
        if s.isEmpty || width < 4 { return "" }
        if s.count <= width { return str }
        var offset = min(start, s.count)
        if s.count - offset < width - 3 { offset = s.count - (width - 3) }
        if offset <= 4 { return text(s[0..<(width - 3)]) + "..." }
        if width < 7 { return "" }
        if offset + width - 3 < s.count {
            return "..." + abbreviate(text(s[offset...]), offset: 0, width: width - 3)
        }
        return "..." + text(s[(s.count - (width - 3))...])
    }

    static func substring(_ start: Int, _ end: Int, _ str: String) throws -> String {
        let s = Array(str.utf8)
        func text(_ b: ArraySlice<UInt8>) -> String { String(decoding: b, as: UTF8.self) }
        if start < 0 {
            guard end >= 0 else { throw TemplateFunctionError("runtime error: slice bounds out of range [:\(end)]") }
            guard end <= s.count else { throw TemplateFunctionError("runtime error: slice bounds out of range [:\(end)] with length \(s.count)") }
            return text(s[..<end])
        }
        if end < 0 || end > s.count {
            guard start <= s.count else { throw TemplateFunctionError("runtime error: slice bounds out of range [\(start):\(s.count)]") }
            return text(s[start...])
        }
        guard start <= end else { throw TemplateFunctionError("runtime error: slice bounds out of range [\(start):\(end)]") }
        return text(s[start..<end])
    }

    static func indent(_ spaces: Int, _ s: String) throws -> String {
        guard spaces >= 0 else { throw TemplateFunctionError("strings: negative Repeat count") }
        let pad = String(repeating: " ", count: spaces)
        return pad + replace(s, "\n", with: "\n" + pad)
    }

    /// goutils.WrapCustom (byte-based, breaks at spaces).
    static func wrap(_ str: String, width: Int, newline: String, longWords: Bool) -> String {
        if str.isEmpty { return "" }
        let nl = newline.isEmpty ? "\n" : newline
        let s = Array(str.utf8)
        let w = max(width, 1)
        func text(_ b: ArraySlice<UInt8>) -> String { String(decoding: b, as: UTF8.self) }
        var out = ""
        var offset = 0
        while s.count - offset > w {
            if s[offset] == UInt8(ascii: " ") { offset += 1; continue }
            let end = min(w + offset + 1, s.count)
            let window = s[offset..<end]
            if let space = window.lastIndex(of: UInt8(ascii: " ")), space >= offset {
                out += text(s[offset..<space]) + nl
                offset = space + 1
            } else if longWords {
                out += text(s[offset..<(w + offset)]) + nl
                offset += w
            } else {
                let e = w + offset
                if let space = s[e...].firstIndex(of: UInt8(ascii: " ")) {
                    out += text(s[offset..<space]) + nl
                    offset = space + 1
                } else {
                    out += text(s[offset...])
                    offset = s.count
                }
            }
        }
        out += text(s[offset...])
        return out
    }
}

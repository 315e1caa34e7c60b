import GoTemplate

/// Helm's `toToml` (BurntSushi/toml v1.6 encoder) and `fromToml` (decoder into a map).
enum TOMLFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("toToml", .exactly(1)) { a in
            do { return .string(try TOMLEncoder.encode(a[0])) } catch let e as TemplateFunctionError { return .string(e.message) }
        }
        r.add("fromToml", .exactly(1)) { a in
            let text = try a.string(0)
            var parser = TOMLParser(text)
            do { return .map(try parser.parse()) } catch let e as TemplateFunctionError {
                return .map(["Error": .string(e.message)])
            }
        }
    }
}

enum TOMLEncoder {
    static func encode(_ v: TemplateValue) throws -> String {
        switch v {
        case .map(let m):
            var out = ""
            try table(m.entries, path: [], indent: "", into: &out)
            return out
        case .object(let o):
            if let t = o as? GoTime { return try encode(.string(GoTimeLayout.format(t, "2006-01-02T15:04:05.999999999Z07:00"))) }
            return try encode(o.representation)
        case .null, .missing:
            throw TemplateFunctionError("toml: cannot encode a nil value")
        default:
            return try value(v)
        }
    }

    static func key(_ k: String) -> String {
        if !k.isEmpty && k.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }) {
            return k
        }
        return quote(k)
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\u{0C}": out += "\\f"
            case "\r": out += "\\r"
            default:
                if c.value < 0x20 || c.value == 0x7F { out += "\\u" + GoText.hex(c.value, width: 4).uppercased() }
                else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }

    static func isTable(_ v: TemplateValue) -> Bool {
        if case .map = v { return true }
        if case .object(let o) = v, case .map = o.representation { return true }
        return false
    }

    static func isTableArray(_ v: TemplateValue) -> Bool {
        guard case .list(let l) = v, !l.isEmpty else { return false }
        return l.allSatisfy(isTable)
    }

    static func asMap(_ v: TemplateValue) -> [String: TemplateValue] {
        if case .map(let m) = v { return m.entries }
        if case .object(let o) = v, case .map(let m) = o.representation { return m.entries }
        return [:]
    }

    static func value(_ v: TemplateValue) throws -> String {
        switch v {
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .int64(let i): return String(i)
        case .float(let d):
            if d.isNaN { return "nan" }
            if d.isInfinite { return d < 0 ? "-inf" : "inf" }
            var s = GoText.float(d)
            if !s.contains(".") && !s.contains("e") { s += ".0" }
            return s
        case .string(let s): return quote(s)
        case .bytes(let b): return quote(BaseN.encode64(b))
        case .list(let l):
            return "[" + (try l.filter { !$0.isNil }.map(value)).joined(separator: ", ") + "]"
        case .map(let m):
            let parts = try m.keys.sorted().compactMap { k -> String? in
                guard let x = m[k], !x.isNil else { return nil }
                return key(k) + " = " + (try value(x))
            }
            return "{" + parts.joined(separator: ", ") + "}"
        case .object(let o):
            if let t = o as? GoTime { return GoTimeLayout.format(t, "2006-01-02T15:04:05.999999999Z07:00") }
            return try value(o.representation)
        case .null, .missing: throw TemplateFunctionError("toml: cannot encode a nil value")
        }
    }

    /// BurntSushi's layout: a table's keys are indented by its depth, its header by one less;
    /// a blank line goes before top-level headers only (and not at the very start).
    static func table(_ m: [String: TemplateValue], path: [String], indent: String, into out: inout String) throws {
        let keys = m.keys.sorted()
        let valueIndent = String(repeating: "  ", count: max(path.count, 0))
        for k in keys {
            let v = m[k]!
            if v.isNil || isTable(v) || isTableArray(v) { continue }
            out += valueIndent + key(k) + " = " + (try value(v)) + "\n"
        }
        for k in keys {
            let v = m[k]!
            let sub = path + [k]
            let header = sub.map(key).joined(separator: ".")
            let headerIndent = String(repeating: "  ", count: path.count)
            if isTable(v) {
                if sub.count == 1 && !out.isEmpty { out += "\n" }
                out += headerIndent + "[" + header + "]\n"
                try table(asMap(v), path: sub, indent: "", into: &out)
            } else if isTableArray(v), case .list(let l) = v {
                for item in l {
                    if sub.count == 1 && !out.isEmpty { out += "\n" }
                    out += headerIndent + "[[" + header + "]]\n"
                    try table(asMap(item), path: sub, indent: "", into: &out)
                }
            }
        }
    }
}

/// A TOML 1.0 parser producing Go-typed values (int64, float64, strings, maps, lists).
struct TOMLParser {
    let s: [Unicode.Scalar]
    var i = 0
    var line = 1
    var root: [String: TemplateValue] = [:]
    var current: [String] = []
    var currentIsArray = false

    init(_ text: String) { s = Array(text.unicodeScalars) }

    /// The key whose value is being read (BurntSushi/toml names it in errors: `(last key "c.d")`).
    var lastKey: String?
    /// Tables opened by a `[header]`: a second header for one is an error.
    var definedTables: Set<[String]> = []
    /// Keys above this parser's root in messages (an inline table's outer key).
    var namePrefix: [String] = []

    func fail(_ message: String) -> TemplateFunctionError {
        if let lastKey { return TemplateFunctionError("toml: line \(line) (last key \(GoText.quote(lastKey))): \(message)") }
        return TemplateFunctionError("toml: line \(line): \(message)")
    }

    var peek: Unicode.Scalar? { i < s.count ? s[i] : nil }

    mutating func skipSpace() { while let c = peek, c == " " || c == "\t" { i += 1 } }

    mutating func skipComment() {
        if peek == "#" { while let c = peek, c != "\n" { i += 1 } }
    }

    mutating func endOfLine() throws {
        skipSpace(); skipComment()
        guard let c = peek else { return }
        if c == "\r" { i += 1 }
        guard peek == "\n" else { throw fail("expected a top-level item to end with a newline, comment, or EOF, but got \(JSONSchemaFormat.goChar(Character(peek ?? " "))) instead") }
        i += 1; line += 1
    }

    mutating func parse() throws -> [String: TemplateValue] {
        while i < s.count {
            skipSpace()
            guard let c = peek else { break }
            if c == "\n" { i += 1; line += 1; continue }
            if c == "\r" || c == "#" { skipComment(); if peek == "\r" { i += 1 }; continue }
            if c == "[" {
                i += 1
                let array = peek == "["
                if array { i += 1 }
                skipSpace()
                let path = try keyPath()
                skipSpace()
                guard peek == "]" else { throw fail("expected ']'") }
                i += 1
                if array { guard peek == "]" else { throw fail("expected ']]'") }; i += 1 }
                if !array {
                    if definedTables.contains(path) { throw fail("Key '\(path.joined(separator: "."))' has already been defined.") }
                    definedTables.insert(path)
                }
                try openTable(path, array: array)
                try endOfLine()
                continue
            }
            if c == "=" { throw fail("unexpected '=': key name appears blank") }
            let path = try keyPath()
            skipSpace()
            guard peek == "=" else { throw fail("expected '=' after key") }
            i += 1; skipSpace()
            lastKey = (current + path).joined(separator: ".")
            let v = try value()
            try assign(current, path, v)
            lastKey = nil
            try endOfLine()
        }
        return root
    }

    mutating func keyPath() throws -> [String] {
        var parts: [String] = []
        while true {
            skipSpace()
            guard let c = peek else { throw fail("unexpected EOF in key") }
            if c == "\"" { parts.append(try basicString()) }
            else if c == "'" { parts.append(try literalString()) }
            else {
                var k = ""
                while let d = peek, d.isASCII, d.properties.isAlphabetic || ("0"..."9").contains(d) || d == "_" || d == "-" {
                    k.unicodeScalars.append(d); i += 1
                }
                guard !k.isEmpty else { throw fail("invalid key") }
                parts.append(k)
            }
            skipSpace()
            if peek == "." { i += 1; continue }
            return parts
        }
    }

    mutating func openTable(_ path: [String], array: Bool) throws {
        let line = self.line
        func fail(_ message: String) -> TemplateFunctionError { TemplateFunctionError("toml: line \(line): \(message)") }
        func walk(_ m: inout [String: TemplateValue], _ rest: ArraySlice<String>) throws {
            let k = rest.first!
            if rest.count == 1 {
                if array {
                    var l: [TemplateValue] = []
                    if let existing = m[k] {
                        guard case .list(let e) = existing else { throw fail("key \(GoText.quote(k)) is not an array of tables") }
                        l = e
                    }
                    l.append(.map([:]))
                    m[k] = .list(l)
                } else if m[k] == nil {
                    m[k] = .map([:])
                } else if case .map = m[k]! {} else {
                    throw fail("Key '\(path.joined(separator: "."))' has already been defined.")
                }
                return
            }
            var child: [String: TemplateValue]
            switch m[k] {
            case nil: child = [:]
            case .map(let c)?: child = c.entries
            case .list(var l)? where !l.isEmpty:
                guard case .map(let lastMap) = l[l.count - 1] else { throw fail("key \(GoText.quote(k)) is not a table") }
                var last = lastMap.entries
                try walk(&last, rest.dropFirst())
                l[l.count - 1] = .map(last)
                m[k] = .list(l)
                return
            default: throw fail("key \(GoText.quote(k)) is not a table")
            }
            try walk(&child, rest.dropFirst())
            m[k] = .map(child)
        }
        var table = root
        try walk(&table, path[...])
        root = table
        current = path
    }

    /// Sets `path` (relative to the current table `base`) to `v`.
    mutating func assign(_ base: [String], _ path: [String], _ v: TemplateValue) throws {
        let full = base + path
        let keyText = (namePrefix + full).joined(separator: ".")
        let prefix = namePrefix
        let line = self.line, lastKey = self.lastKey
        func fail(_ message: String) -> TemplateFunctionError {
            if let lastKey { return TemplateFunctionError("toml: line \(line) (last key \(GoText.quote(lastKey))): \(message)") }
            return TemplateFunctionError("toml: line \(line): \(message)")
        }
        func walk(_ m: inout [String: TemplateValue], _ rest: ArraySlice<String>) throws {
            let k = rest.first!
            if rest.count == 1 {
                guard m[k] == nil else { throw fail("Key '\(keyText)' has already been defined.") }
                m[k] = v
                return
            }
            switch m[k] {
            case nil:
                var child: [String: TemplateValue] = [:]
                try walk(&child, rest.dropFirst()); m[k] = .map(child)
            case .map(let childMap)?:
                var child = childMap.entries
                try walk(&child, rest.dropFirst()); m[k] = .map(child)
            case .list(var l)? where !l.isEmpty:
                guard case .map(let lastMap) = l[l.count - 1] else { throw fail("key \(GoText.quote(keyText)) is not a table") }
                var last = lastMap.entries
                try walk(&last, rest.dropFirst())
                l[l.count - 1] = .map(last); m[k] = .list(l)
            default:
                // A dotted key through a value that is not a table names that value's key.
                let upTo = full[..<(full.count - rest.count + 1)]
                throw fail("Key '\((prefix + upTo).joined(separator: "."))' has already been defined.")
            }
        }
        var table = root
        try walk(&table, full[...])
        root = table
    }

    mutating func skipWhitespaceAndNewlines() {
        while let c = peek {
            if c == " " || c == "\t" || c == "\r" { i += 1 }
            else if c == "\n" { i += 1; line += 1 }
            else if c == "#" { skipComment() }
            else { break }
        }
    }

    mutating func value() throws -> TemplateValue {
        guard let c = peek else { throw fail("unexpected EOF; expected value") }
        switch c {
        case "\"":
            if i + 2 < s.count && s[i + 1] == "\"" && s[i + 2] == "\"" { return .string(try multilineString(literal: false)) }
            return .string(try basicString())
        case "'":
            if i + 2 < s.count && s[i + 1] == "'" && s[i + 2] == "'" { return .string(try multilineString(literal: true)) }
            return .string(try literalString())
        case "[":
            i += 1
            var items: [TemplateValue] = []
            while true {
                skipWhitespaceAndNewlines()
                if peek == "]" { i += 1; return .list(items) }
                items.append(try value())
                skipWhitespaceAndNewlines()
                if peek == "," { i += 1; continue }
                guard peek == "]" else { throw fail("expected a comma (',') or array terminator (']')") }
                i += 1
                return .list(items)
            }
        case "{":
            i += 1
            var table: [String: TemplateValue] = [:]
            skipSpace()
            if peek == "}" { i += 1; return .map(table) }
            while true {
                let path = try keyPath()
                skipSpace()
                guard peek == "=" else { throw fail("expected '=' in inline table") }
                i += 1; skipSpace()
                // Keys inside an inline table are named from the outer key (`a.b`).
                let outer = lastKey
                let prefix = outer.map { $0.split(separator: ".").map(String.init) } ?? []
                lastKey = (prefix + path).joined(separator: ".")
                let v = try value()
                var sub = TOMLParser("")
                sub.root = table
                sub.line = line
                sub.lastKey = lastKey
                sub.namePrefix = prefix
                try sub.assign([], path, v)
                table = sub.root
                lastKey = outer
                skipSpace()
                if peek == "," { i += 1; skipSpace(); continue }
                guard peek == "}" else { throw fail("expected a comma or an inline table terminator '}'") }
                i += 1
                return .map(table)
            }
        default:
            var word = ""
            while let d = peek, !(d == "," || d == "]" || d == "}" || d == "\n" || d == "\r" || d == "#") {
                if d == " " || d == "\t" {
                    // Date-times may contain one space between date and time.
                    if word.count == 10 && word.contains("-"), i + 1 < s.count, ("0"..."9").contains(s[i + 1]) { word.unicodeScalars.append("T") ; i += 1; continue }
                    break
                }
                word.unicodeScalars.append(d); i += 1
            }
            return try scalar(word)
        }
    }

    func scalar(_ w: String) throws -> TemplateValue {
        switch w {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        if w.isEmpty { throw fail("expected value but found nothing") }
        let body = w.hasPrefix("+") || w.hasPrefix("-") ? String(w.dropFirst()) : w
        if body.hasPrefix("0x") || body.hasPrefix("0o") || body.hasPrefix("0b") {
            guard !w.hasPrefix("+") && !w.hasPrefix("-"), let v = Cast.parseInt(w) else { throw fail("invalid integer \(GoText.quote(w))") }
            return .int64(v)
        }
        if body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }) {
            guard !(body.count > 1 && body.hasPrefix("0")), let v = Int64(w.replacingOccurrences(of: "_", with: "")) else {
                throw fail("invalid integer \(GoText.quote(w))")
            }
            return .int64(v)
        }
        if w.contains(":") || (w.count >= 10 && w.dropFirst(4).first == "-") {
            return .string(w)  // date/time values are kept as their text
        }
        guard let d = Cast.parseFloat(w), !w.hasPrefix("."), !w.hasSuffix("."), !w.contains("._"), !w.contains("_.") else {
            throw fail("expected value but found \(GoText.quote(w)) instead")
        }
        return .float(d)
    }

    mutating func basicString() throws -> String {
        i += 1
        var out = String.UnicodeScalarView()
        while let c = peek {
            i += 1
            if c == "\"" { return String(out) }
            if c == "\n" { throw fail("strings cannot contain newlines") }
            if c == "\\" { out.append(contentsOf: try escape().unicodeScalars) } else { out.append(c) }
        }
        throw fail("unexpected EOF; expected '\"'")
    }

    mutating func escape() throws -> String {
        guard let e = peek else { throw fail("unexpected EOF in escape") }
        i += 1
        switch e {
        case "b": return "\u{08}"
        case "t": return "\t"
        case "n": return "\n"
        case "f": return "\u{0C}"
        case "r": return "\r"
        case "e": return "\u{1B}"
        case "\"": return "\""
        case "\\": return "\\"
        case "u", "U":
            let n = e == "u" ? 4 : 8
            guard i + n <= s.count, let v = UInt32(String(String.UnicodeScalarView(s[i..<(i + n)])), radix: 16),
                  let scalar = Unicode.Scalar(v) else { throw fail("invalid unicode escape") }
            i += n
            return String(scalar)
        default: throw fail("invalid escape character \(GoText.quote(String(e)))")
        }
    }

    mutating func literalString() throws -> String {
        i += 1
        var out = String.UnicodeScalarView()
        while let c = peek {
            i += 1
            if c == "'" { return String(out) }
            if c == "\n" { throw fail("strings cannot contain newlines") }
            out.append(c)
        }
        throw fail("unexpected EOF; expected \"'\"")
    }

    mutating func multilineString(literal: Bool) throws -> String {
        let quote: Unicode.Scalar = literal ? "'" : "\""
        i += 3
        if peek == "\n" { i += 1; line += 1 } else if peek == "\r" && i + 1 < s.count && s[i + 1] == "\n" { i += 2; line += 1 }
        var out = String.UnicodeScalarView()
        while let c = peek {
            if c == quote && i + 2 < s.count && s[i + 1] == quote && s[i + 2] == quote {
                i += 3
                // Up to two extra quotes belong to the content.
                var extra = 0
                while peek == quote && extra < 2 { out.append(quote); i += 1; extra += 1 }
                return String(out)
            }
            i += 1
            if c == "\n" { line += 1 }
            if !literal && c == "\\" {
                if let n = peek, n == "\n" || n == " " || n == "\t" || n == "\r" {
                    while let w = peek, w == "\n" || w == " " || w == "\t" || w == "\r" { if w == "\n" { line += 1 }; i += 1 }
                    continue
                }
                out.append(contentsOf: try escape().unicodeScalars)
                continue
            }
            out.append(c)
        }
        throw fail("unexpected EOF in multi-line string")
    }
}

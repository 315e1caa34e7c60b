/// How go-yaml v2 (the parser under sigs.k8s.io/yaml, hence under Helm) types a scalar.
///
/// YAML 1.1 flavoured: `yes/no/on/off/y/n` are booleans, `0x10`, `010`, `0o10`, `0b10` integers,
/// `1_000` is 1000, timestamps are recognised (but decoded as their text), base-60 is not.
enum YAMLScalarResolver {
    enum Resolved: Equatable {
        case null
        case bool(Bool)
        case int(Int64)
        case uint(UInt64)
        case float(Double)
        case string(String)
        /// A timestamp: kept as its text, as go-yaml v2 does when decoding into interface{}.
        case timestamp(String)
        case merge
    }

    static let strTag = "tag:yaml.org,2002:str"
    static let boolTag = "tag:yaml.org,2002:bool"
    static let intTag = "tag:yaml.org,2002:int"
    static let floatTag = "tag:yaml.org,2002:float"
    static let nullTag = "tag:yaml.org,2002:null"
    static let timestampTag = "tag:yaml.org,2002:timestamp"
    static let binaryTag = "tag:yaml.org,2002:binary"
    static let mergeTag = "tag:yaml.org,2002:merge"

    private static let table: [String: Resolved] = {
        var t: [String: Resolved] = [:]
        for s in ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"] { t[s] = .bool(true) }
        for s in ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"] { t[s] = .bool(false) }
        for s in ["", "~", "null", "Null", "NULL"] { t[s] = .null }
        for s in [".nan", ".NaN", ".NAN"] { t[s] = .float(.nan) }
        for s in [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"] { t[s] = .float(.infinity) }
        for s in ["-.inf", "-.Inf", "-.INF"] { t[s] = .float(-.infinity) }
        t["<<"] = .merge
        return t
    }()

    /// The tag go-yaml reports for a resolved value (used in its error messages).
    static func shortTag(_ r: Resolved) -> String {
        switch r {
        case .null: return "!!null"
        case .bool: return "!!bool"
        case .int, .uint: return "!!int"
        case .float: return "!!float"
        case .string: return "!!str"
        case .timestamp: return "!!timestamp"
        case .merge: return "!!merge"
        }
    }

    static func shortTag(_ tag: String) -> String {
        let prefix = "tag:yaml.org,2002:"
        return tag.hasPrefix(prefix) ? "!!" + tag.dropFirst(prefix.count) : tag
    }

    /// Resolve a plain (untagged) scalar: what `resolve("", s)` gives in go-yaml v2.
    static func resolvePlain(_ s: String) -> Resolved { resolve(s, tag: nil) }

    /// Resolve with an explicit tag. Returns nil when the tag is not one go-yaml resolves
    /// (then the text stays a string), throws go-yaml's message on a mismatch.
    static func resolve(_ s: String, explicitTag tag: String) throws(StructuredError) -> Resolved {
        switch tag {
        case strTag: return .string(s)
        case boolTag, intTag, floatTag, nullTag, timestampTag:
            let r = resolve(s, tag: tag)
            switch (tag, r) {
            case (boolTag, .bool), (intTag, .int), (intTag, .uint), (floatTag, .float), (nullTag, .null),
                (timestampTag, .timestamp):
                return r
            case (floatTag, .int(let i)): return .float(Double(i))
            default:
                throw StructuredError("yaml: cannot decode \(shortTag(r)) `\(s)` as a \(shortTag(tag))")
            }
        default: return .string(s)
        }
    }

    private static func resolve(_ s: String, tag: String?) -> Resolved {
        let utf8 = s.utf8
        guard let first = utf8.first else { return .null }
        // go-yaml consults its table only when the first byte hints at a non-string.
        switch first {
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
            UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "~"):
            if let known = table[s] { return known }
        default:
            return .string(s)
        }
        switch first {
        case UInt8(ascii: "."):
            if let f = parseGoFloat(Array(utf8)[...], allowLeadingDot: true) { return .float(f) }
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if tag == nil || tag == timestampTag, utf8.count >= 8, isTimestamp(utf8) { return .timestamp(s) }
            let plain = Array(utf8.lazy.filter { $0 != UInt8(ascii: "_") })
            if let i = parseGoInt(plain[...]) { return .int(i) }
            if let u = parseGoUint(plain[...]) { return .uint(u) }
            if isYAMLStyleFloat(plain), let f = parseGoFloat(plain[...], allowLeadingDot: true) { return .float(f) }
        default: break
        }
        return .string(s)
    }

    // MARK: Go strconv

    /// `strconv.ParseInt(s, 0, 64)` on text without underscores.
    static func parseGoInt(_ s: ArraySlice<UInt8>) -> Int64? {
        var s = s
        var negative = false
        if let c = s.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            negative = c == UInt8(ascii: "-")
            s = s.dropFirst()
        }
        guard let magnitude = parseGoUint(s) else { return nil }
        if negative {
            if magnitude > UInt64(Int64.max) + 1 { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        return magnitude > UInt64(Int64.max) ? nil : Int64(magnitude)
    }

    /// `strconv.ParseUint(s, 0, 64)`: base from the prefix (0x, 0o, 0b, leading 0 = octal).
    static func parseGoUint(_ s: ArraySlice<UInt8>) -> UInt64? {
        var s = s
        guard !s.isEmpty else { return nil }
        var base: UInt64 = 10
        if s.first == UInt8(ascii: "0") && s.count > 1 {
            let p = s[s.index(after: s.startIndex)] | 0x20
            switch p {
            case UInt8(ascii: "x"): base = 16; s = s.dropFirst(2)
            case UInt8(ascii: "o"): base = 8; s = s.dropFirst(2)
            case UInt8(ascii: "b"): base = 2; s = s.dropFirst(2)
            default: base = 8; s = s.dropFirst()
            }
            if s.isEmpty { return nil }
        }
        var value: UInt64 = 0
        for c in s {
            let digit: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            if digit >= base { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = a
        }
        return value
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
    static func isYAMLStyleFloat(_ s: [UInt8]) -> Bool {
        var i = 0
        let n = s.count
        func isDigit(_ i: Int) -> Bool { i < n && s[i] >= 48 && s[i] <= 57 }
        if i < n && (s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-")) { i += 1 }
        if i < n && s[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        } else {
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
            if i < n && s[i] == UInt8(ascii: ".") {
                i += 1
                while isDigit(i) { i += 1 }
            }
        }
        if i < n && (s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E")) {
            i += 1
            if i < n && (s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-")) { i += 1 }
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        }
        return i == n
    }

    /// `strconv.ParseFloat(s, 64)` for plain decimal text; nil on syntax error or overflow (Go's ErrRange).
    static func parseGoFloat(_ s: ArraySlice<UInt8>, allowLeadingDot: Bool) -> Double? {
        guard isYAMLStyleFloat(Array(s)) else { return nil }
        guard let d = Double(String(decoding: s, as: UTF8.self)), d.isFinite else { return nil }
        return d
    }

    // MARK: Timestamps

    /// go-yaml v2's timestamp check: `2006-1-2`, `2006-1-2T15:4:5.999999999Z07:00` (also `t`),
    /// `2006-1-2 15:4:5.999999999`, with Go's range checks on each field.
    static func isTimestamp(_ s: String.UTF8View) -> Bool {
        let b = Array(s)
        var i = 0
        func number(maxDigits: Int) -> Int? {
            var value = 0, count = 0
            while i < b.count, count < maxDigits, b[i] >= 48, b[i] <= 57 {
                value = value * 10 + Int(b[i] - 48); i += 1; count += 1
            }
            return count == 0 ? nil : value
        }
        func expect(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        guard b.count >= 5, b[0...3].allSatisfy({ $0 >= 48 && $0 <= 57 }), b[4] == UInt8(ascii: "-") else { return false }
        let year = Int(String(decoding: b[0...3], as: UTF8.self))!
        i = 5
        guard let month = number(maxDigits: 2), (1...12).contains(month), expect("-"),
            let day = number(maxDigits: 2)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard day >= 1 && day <= days else { return false }
        if i == b.count { return true }
        let separator = b[i]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else { return false }
        i += 1
        guard let hour = number(maxDigits: 2), hour < 24, expect(":"), let minute = number(maxDigits: 2), minute < 60,
            expect(":"), let second = number(maxDigits: 2), second < 60
        else { return false }
        if i < b.count && b[i] == UInt8(ascii: ".") && i + 1 < b.count && b[i + 1] >= 48 && b[i + 1] <= 57 {
            i += 1
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
        }
        if separator == UInt8(ascii: " ") { return i == b.count }
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: "Z") { return i + 1 == b.count }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return false }
        i += 1
        guard i + 5 == b.count, let zh = number(maxDigits: 2), zh < 24, expect(":"), let zm = number(maxDigits: 2), zm < 60 else {
            return false
        }
        return i == b.count
    }

    /// go-yaml quotes base-60 looking strings (`1:20`) on output though it no longer parses them.
    static func isBase60Float(_ s: String) -> Bool {
        // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
        let b = Array(s.utf8)
        var i = 0
        func digit(_ i: Int) -> Bool { i < b.count && b[i] >= 48 && b[i] <= 57 }
        if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
        guard digit(i) else { return false }
        i += 1
        while digit(i) || (i < b.count && b[i] == UInt8(ascii: "_")) { i += 1 }
        var groups = 0
        while i < b.count && b[i] == UInt8(ascii: ":") {
            i += 1
            if digit(i) && digit(i + 1) {
                guard b[i] <= UInt8(ascii: "5") else { return false }
                i += 2
            } else if digit(i) {
                i += 1
            } else {
                return false
            }
            groups += 1
        }
        guard groups > 0 else { return false }
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            while digit(i) || (i < b.count && b[i] == UInt8(ascii: "_")) { i += 1 }
        }
        return i == b.count
    }
}

import GoTemplate

/// spf13/cast v1.7.0 conversions as Sprig calls them: lenient, errors become zero.
enum Cast {
    static func toInt64(_ v: TemplateValue) -> Int64 {
        switch v {
        case .int(let i): return Int64(i)
        case .int64(let i): return i
        case .float(let d): return truncating(d)
        case .bool(let b): return b ? 1 : 0
        case .string(let s): return parseInt(trimZeroDecimal(s)) ?? 0
        default: return 0
        }
    }

    static func toInt(_ v: TemplateValue) -> Int { Int(toInt64(v)) }

    static func toFloat64(_ v: TemplateValue) -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .int64(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .string(let s): return parseFloat(s) ?? 0
        default: return 0
        }
    }

    /// Go's float64 -> int64 conversion (truncates; out of range is implementation-defined, amd64 gives MinInt64).
    static func truncating(_ d: Double) -> Int64 {
        guard d.isFinite, d > -9.223372036854775808e18, d < 9.223372036854775808e18 else { return Int64.min }
        return Int64(d.rounded(.towardZero))
    }

    /// cast's trimZeroDecimal: "1.0" -> "1", "1.50" stays.
    static func trimZeroDecimal(_ s: String) -> String {
        var foundZero = false
        let bytes = Array(s.utf8)
        var i = bytes.count
        while i > 0 {
            switch bytes[i - 1] {
            case UInt8(ascii: "."):
                if foundZero { return String(decoding: bytes[..<(i - 1)], as: UTF8.self) }
                return s
            case UInt8(ascii: "0"): foundZero = true
            default: return s
            }
            i -= 1
        }
        return s
    }

    /// strconv.ParseInt(s, 0, 64): sign, 0x/0o/0b prefixes, leading-0 octal, underscores after a prefix.
    static func parseInt(_ s: String, base fixedBase: Int = 0) -> Int64? {
        var chars = Array(s.utf8)
        guard !chars.isEmpty else { return nil }
        var negative = false
        if chars[0] == UInt8(ascii: "+") || chars[0] == UInt8(ascii: "-") {
            negative = chars[0] == UInt8(ascii: "-")
            chars.removeFirst()
        }
        guard let magnitude = parseUInt(chars, base: fixedBase) else { return nil }
        if negative {
            if magnitude > UInt64(Int64.max) + 1 { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        if magnitude > UInt64(Int64.max) { return nil }
        return Int64(magnitude)
    }

    private static func parseUInt(_ input: [UInt8], base fixedBase: Int) -> UInt64? {
        guard !input.isEmpty else { return nil }
        var chars = input[...]
        var base = fixedBase
        if base == 0 {
            base = 10
            if input[0] == UInt8(ascii: "0") {
                let p = input.count >= 3 ? input[1] | 0x20 : 0
                switch p {
                case UInt8(ascii: "b"): base = 2; chars = input[2...]
                case UInt8(ascii: "o"): base = 8; chars = input[2...]
                case UInt8(ascii: "x"): base = 16; chars = input[2...]
                default: base = 8; chars = input[1...]
                }
            }
        }
        var value: UInt64 = 0
        var underscores = false
        for c in chars {
            if c == UInt8(ascii: "_") && fixedBase == 0 { underscores = true; continue }
            let digit: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = UInt64(c - 97 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt64(c - 65 + 10)
            default: return nil
            }
            guard digit < UInt64(base) else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: UInt64(base))
            let (a, o2) = m.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = a
        }
        if underscores && !underscoreOK(input) { return nil }
        return value
    }

    /// Go's underscoreOK: underscores only between digits or after a base prefix.
    private static func underscoreOK(_ s: [UInt8]) -> Bool {
        var saw: UInt8 = UInt8(ascii: "^")
        var i = 0
        var hex = false
        if s.count >= 2 && s[0] == UInt8(ascii: "0") {
            let p = s[1] | 0x20
            if p == UInt8(ascii: "x") || p == UInt8(ascii: "o") || p == UInt8(ascii: "b") {
                hex = p == UInt8(ascii: "x")
                i = 2
                saw = UInt8(ascii: "0")
            }
        }
        while i < s.count {
            let c = s[i]
            let isDigit = (c >= 48 && c <= 57) || (hex && ((c | 0x20) >= 97 && (c | 0x20) <= 102))
            if isDigit { saw = UInt8(ascii: "0") }
            else if c == UInt8(ascii: "_") {
                if saw != UInt8(ascii: "0") { return false }
                saw = UInt8(ascii: "_")
            } else {
                if saw == UInt8(ascii: "_") { return false }
                saw = UInt8(ascii: "!")
            }
            i += 1
        }
        return saw != UInt8(ascii: "_")
    }

    /// strconv.ParseFloat(s, 64): decimal and hex floats, inf/infinity/nan, underscores between digits.
    static func parseFloat(_ s: String) -> Double? {
        let lower = s.lowercased()
        switch lower {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        var text = s
        if text.contains("_") {
            guard underscoreOK(Array(text.utf8.drop(while: { $0 == 43 || $0 == 45 }))) else { return nil }
            text.removeAll { $0 == "_" }
        }
        let body = text.drop(while: { $0 == "+" || $0 == "-" })
        if body.hasPrefix("0x") || body.hasPrefix("0X") {
            // Hex floats need a 'p' exponent in Go.
            guard body.lowercased().contains("p") else { return nil }
            return Double(text)
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "+" || $0 == "-") }) else { return nil }
        guard let d = Double(text) else { return nil }
        // Go rejects out-of-range values (ParseFloat returns ±Inf with ErrRange; cast then gives 0).
        if d.isInfinite { return nil }
        return d
    }
}

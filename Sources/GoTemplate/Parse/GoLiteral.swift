/// Go literal syntax as the template parser needs it: quoted strings (strconv.Unquote),
/// character constants and integer/float constants (with Go's base prefixes and underscores).
enum GoLiteral {
    struct NumberError: Error { let message: String }
    struct Number { let value: TemplateValue; let overflows: Bool; let isInteger: Bool }

    /// strconv.Unquote for "...", `...` and '...'.
    static func unquote(_ bytes: ArraySlice<UInt8>) -> String? {
        guard bytes.count >= 2, let q = bytes.first, bytes.last == q else { return nil }
        let body = bytes.dropFirst().dropLast()
        if q == UInt8(ascii: "`") {
            if body.contains(UInt8(ascii: "`")) { return nil }
            return String(decoding: body.filter { $0 != 13 }, as: UTF8.self)
        }
        guard q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") else { return nil }
        // The usual string: no escapes, nothing to translate (the loop below would copy it as is).
        if q == UInt8(ascii: "\""), !body.contains(where: { $0 == UInt8(ascii: "\\") || $0 == q }) {
            return String(decoding: body, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var i = body.startIndex
        var runes = 0
        while i < body.endIndex {
            guard let (bytes, next) = unquoteChar(body, at: i, quote: q) else { return nil }
            out += bytes
            i = next
            runes += 1
        }
        if q == UInt8(ascii: "'") && runes != 1 { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// One (possibly escaped) character starting at `i`: its UTF-8 bytes and the next index.
    static func unquoteChar(_ s: ArraySlice<UInt8>, at i: Int, quote: UInt8) -> ([UInt8], Int)? {
        let c = s[i]
        if c == quote && (quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"")) { return nil }
        if c != UInt8(ascii: "\\") {
            if c < 0x80 { return ([c], i + 1) }
            var j = i + 1
            while j < s.endIndex && s[j] & 0xC0 == 0x80 { j += 1 }
            return (Array(s[i..<j]), j)
        }
        guard i + 1 < s.endIndex else { return nil }
        let e = s[i + 1]
        var j = i + 2
        func hex(_ n: Int) -> UInt32? {
            guard j + n <= s.endIndex else { return nil }
            var v: UInt32 = 0
            for k in 0..<n {
                guard let d = hexDigit(s[j + k]) else { return nil }
                v = v * 16 + UInt32(d)
            }
            j += n
            return v
        }
        switch e {
        case UInt8(ascii: "a"): return ([7], j)
        case UInt8(ascii: "b"): return ([8], j)
        case UInt8(ascii: "f"): return ([12], j)
        case UInt8(ascii: "n"): return ([10], j)
        case UInt8(ascii: "r"): return ([13], j)
        case UInt8(ascii: "t"): return ([9], j)
        case UInt8(ascii: "v"): return ([11], j)
        case UInt8(ascii: "\\"): return ([92], j)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            if e != quote { return nil }
            return ([e], j)
        case UInt8(ascii: "x"):
            guard let v = hex(2) else { return nil }
            return ([UInt8(v)], j)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            guard let v = hex(e == UInt8(ascii: "u") ? 4 : 8), let scalar = Unicode.Scalar(v) else { return nil }
            return (Array(String(Character(scalar)).utf8), j)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            j = i + 1
            guard j + 3 <= s.endIndex else { return nil }
            var v: UInt32 = 0
            for k in 0..<3 {
                let d = s[j + k]
                guard d >= 48 && d <= 55 else { return nil }
                v = v * 8 + UInt32(d - 48)
            }
            guard v <= 255 else { return nil }
            return ([UInt8(v)], j + 3)
        default:
            return nil
        }
    }

    static func hexDigit(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: return b - 48
        case 97...102: return b - 87
        case 65...70: return b - 55
        default: return nil
        }
    }

    /// Go's `underscoreOK`: underscores only between digits (a base prefix counts as a digit).
    static func underscoreOK(_ text: Substring) -> Bool {
        var s = text.utf8[...]
        if let f = s.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { s = s.dropFirst() }
        var saw: Character = "^"
        var hex = false
        let arr = Array(s)
        var i = 0
        if arr.count >= 2 && arr[0] == 48 {
            let l = arr[1] | 0x20
            if l == UInt8(ascii: "b") || l == UInt8(ascii: "o") || l == UInt8(ascii: "x") {
                i = 2; saw = "0"; hex = l == UInt8(ascii: "x")
            }
        }
        while i < arr.count {
            let c = arr[i]
            let l = c | 0x20
            if (c >= 48 && c <= 57) || (hex && l >= 97 && l <= 102) { saw = "0"; i += 1; continue }
            if c == UInt8(ascii: "_") {
                if saw != "0" { return false }
                saw = "_"; i += 1; continue
            }
            if saw == "_" { return false }
            saw = "!"
            i += 1
        }
        return saw != "_"
    }

    /// strconv.ParseUint/ParseInt with base 0.
    static func parseInteger(_ text: Substring) -> (magnitude: UInt64, negative: Bool, overflow: Bool)? {
        var s = Substring(text)
        var negative = false
        if s.hasPrefix("+") || s.hasPrefix("-") { negative = s.first == "-"; s = s.dropFirst() }
        guard !s.isEmpty else { return nil }
        var base: UInt64 = 10
        let underscores = true
        if s.hasPrefix("0") && s.count > 1 {
            let second = s[s.index(after: s.startIndex)].lowercased()
            switch second {
            case "x": base = 16; s = s.dropFirst(2)
            case "o": base = 8; s = s.dropFirst(2)
            case "b": base = 2; s = s.dropFirst(2)
            default: base = 8; s = s.dropFirst(1)
            }
        }
        var value: UInt64 = 0
        var sawDigit = false
        for c in s.utf8 {
            if c == UInt8(ascii: "_") { if !underscores { return nil }; continue }
            guard let d = hexDigit(c), UInt64(d) < base else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return (0, negative, true) }
            value = a
            sawDigit = true
        }
        if !sawDigit && base != 8 { return nil }
        if text.contains("_") && !underscoreOK(text) { return nil }
        return (value, negative, false)
    }

    static func parseFloat(_ text: String) -> Double? {
        let lower = text.lowercased()
        if lower.contains("inf") || lower.contains("nan") { return nil }
        if text.contains("_") && !underscoreOK(Substring(text)) { return nil }
        let cleaned = String(text.filter { $0 != "_" })
        var body = Substring(cleaned)
        if body.hasPrefix("+") || body.hasPrefix("-") { body = body.dropFirst() }
        if body.lowercased().hasPrefix("0x") {
            if !body.lowercased().contains("p") { return nil }
        } else if body.lowercased().contains("p") {
            return nil
        }
        guard !body.isEmpty, body != "." else { return nil }
        return Double(cleaned)
    }

    /// Go's NumberNode rules, then `idealConstant`: what an untyped number literal evaluates to.
    static func number(_ text: String, isChar: Bool, isComplex: Bool) -> Result<Number, NumberError> {
        if isChar {
            let bytes = Array(text.utf8)
            guard bytes.count >= 3, let (char, next) = unquoteChar(bytes[1...], at: 1, quote: UInt8(ascii: "'")) else {
                return .failure(NumberError(message: "invalid syntax"))
            }
            if next != bytes.count - 1 { return .failure(NumberError(message: "malformed character constant: \(text)")) }
            let scalar = String(decoding: char, as: UTF8.self).unicodeScalars.first.map { Int($0.value) } ?? 0xFFFD
            let value = char.count == 1 ? Int(char[0]) : scalar
            return .success(Number(value: .int(value), overflows: false, isInteger: true))
        }
        if isComplex || text.hasSuffix("i") {
            return .failure(NumberError(message: "complex constants are not supported: \(GoQuote.quote(text))"))
        }
        var isInt = false, isUint = false
        var intValue: Int64 = 0
        if let (mag, negative, overflow) = parseInteger(Substring(text)), !overflow {
            if !negative { isUint = true }
            if negative {
                if mag <= UInt64(Int64.max) + 1 { isInt = true; intValue = mag == UInt64(Int64.max) + 1 ? Int64.min : -Int64(mag) }
                if mag == 0 { isUint = true }
            } else if mag <= UInt64(Int64.max) {
                isInt = true; intValue = Int64(mag)
            }
        }
        let looksFloat = text.contains { ".eEpP".contains($0) }
        let isHexInt = text.count > 2 && (text.hasPrefix("0x") || text.hasPrefix("0X")) && !text.contains { "pP".contains($0) }
        if isInt || isUint {
            if looksFloat && !isHexInt, let f = parseFloat(text) {
                return .success(Number(value: .float(f), overflows: false, isInteger: false))
            }
            if isInt { return .success(Number(value: .int(Int(intValue)), overflows: false, isInteger: true)) }
            return .success(Number(value: .int(0), overflows: true, isInteger: true))
        }
        guard let f = parseFloat(text) else {
            return .failure(NumberError(message: "illegal number syntax: \(GoQuote.quote(text))"))
        }
        if !looksFloat { return .failure(NumberError(message: "integer overflow: \(GoQuote.quote(text))")) }
        return .success(Number(value: .float(f), overflows: false, isInteger: false))
    }
}

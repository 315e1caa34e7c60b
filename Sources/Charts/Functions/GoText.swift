import GoTemplate

/// A host object that prints through a Go `String()` method (`fmt` prefers it to the fields).
protocol GoStringer {
    var goString: String { get }
}


/// Go's `fmt` and `strconv` printing of template values, as Sprig's string functions see them.
enum GoText {
    /// `fmt.Sprintf("%v", v)`.
    static func value(_ v: TemplateValue) -> String {
        var out = ""
        write(v, into: &out, top: true)
        return out
    }

    /// Sprig's `strval`: strings and bytes as they are, Stringers through `String()`, else `%v`.
    static func strval(_ v: TemplateValue) -> String {
        switch v {
        case .string(let s): return s
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        default: return value(v)
        }
    }

    private static func write(_ v: TemplateValue, into out: inout String, top: Bool) {
        switch v {
        case .missing: out += top ? "<no value>" : "<nil>"
        case .null: out += "<nil>"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .int64(let i): out += String(i)
        case .float(let d): out += float(d)
        case .string(let s): out += s
        case .bytes(let b):
            out += "[" + b.map { String($0) }.joined(separator: " ") + "]"
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += " " }
                write(item, into: &out, top: false)
            }
            out += "]"
        case .map(let m):
            out += "map["
            for (i, key) in m.keys.sorted().enumerated() {
                if i > 0 { out += " " }
                out += key + ":"
                write(m[key]!, into: &out, top: false)
            }
            out += "]"
        case .object(let o):
            if let text = o.printedByValue {
                out += text
            } else if let s = o as? GoStringer {
                out += s.goString
            } else {
                write(o.representation, into: &out, top: false)
            }
        }
    }

    // MARK: floats

    /// Shortest decimal digits of `d` (no sign) and the decimal point position: value = 0.DIGITS × 10^point.
    static func shortestDigits(_ d: Double) -> (digits: [UInt8], point: Int) {
        let text = abs(d).description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var intPart = mantissa
        var fracPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = mantissa[..<dot]
            fracPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = Array((intPart + fracPart).utf8).map { $0 - 48 }
        var point = intPart.count + exponent
        while let first = digits.first, first == 0 { digits.removeFirst(); point -= 1 }
        while let last = digits.last, last == 0 { digits.removeLast() }
        if digits.isEmpty { point = 0 }
        return (digits, point)
    }

    /// `%v` of a float64: strconv 'g' with the shortest digits.
    static func float(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        let (digits, point) = shortestDigits(d)
        let sign = d.sign == .minus ? "-" : ""
        if digits.isEmpty { return sign + "0" }
        let exp = point - 1
        // %g with the shortest digits: strconv switches to %e when exp < -4 or exp >= 6 (eprec).
        if exp < -4 || exp >= 6 { return sign + eFormat(digits, exp) }
        return sign + fFormat(digits, point)
    }

    /// strconv.FormatFloat(d, 'f', -1, 64): no exponent, shortest digits (cast.ToString of floats).
    static func floatPlain(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        let (digits, point) = shortestDigits(d)
        let sign = d.sign == .minus ? "-" : ""
        if digits.isEmpty { return sign + "0" }
        return sign + fFormat(digits, point)
    }

    private static func eFormat(_ digits: [UInt8], _ exp: Int) -> String {
        var s = String(Character(Unicode.Scalar(digits[0] + 48)))
        if digits.count > 1 {
            s += "." + String(decoding: digits.dropFirst().map { $0 + 48 }, as: UTF8.self)
        }
        let e = abs(exp)
        s += exp < 0 ? "e-" : "e+"
        s += e < 10 ? "0\(e)" : "\(e)"
        return s
    }

    private static func fFormat(_ digits: [UInt8], _ point: Int) -> String {
        let chars = digits.map { Character(Unicode.Scalar($0 + 48)) }
        if point <= 0 {
            return "0." + String(repeating: "0", count: -point) + String(chars)
        }
        if point >= chars.count {
            return String(chars) + String(repeating: "0", count: point - chars.count)
        }
        return String(chars[..<point]) + "." + String(chars[point...])
    }

    // MARK: quoting

    /// strconv.Quote of bytes that may not be valid UTF-8 (invalid bytes print as `\xNN`).
    static func quoteBytes(_ bytes: [UInt8]) -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return quote(s) }
        var out = "\""
        var i = 0
        while i < bytes.count {
            var length = 1
            let b = bytes[i]
            if b >= 0xC0 { length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2 }
            if length > 1, i + length <= bytes.count, let s = String(validating: bytes[i..<(i + length)], as: UTF8.self) {
                out += quote(s).dropFirst().dropLast()
                i += length
            } else if b < 0x80 {
                out += quote(String(UnicodeScalar(b))).dropFirst().dropLast()
                i += 1
            } else {
                out += "\\x" + hex(UInt32(b), width: 2)
                i += 1
            }
        }
        return out + "\""
    }

    /// strconv.Quote (`%q` of a string).
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x80 {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value < 0x10000 {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return out + "\""
    }

    static func hex(_ v: UInt32, width: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    static func isPrintable(_ c: Unicode.Scalar) -> Bool {
        if c == " " { return true }
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}

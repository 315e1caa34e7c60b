/// strconv.Quote and friends: Go's double-quoted string and rune literals.
enum GoQuote {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func quote(_ s: String, asciiOnly: Bool = false) -> String {
        var out: [UInt8] = []
        appendQuoted(Array(s.utf8), quote: UInt8(ascii: "\""), asciiOnly: asciiOnly, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and ASCII space.
    static func isPrint(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 { return s.value >= 0x20 && s.value < 0x7f }
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
             .spaceSeparator, .lineSeparator, .paragraphSeparator: return false
        default: return true
        }
    }

    static func appendQuoted<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, quote q: UInt8, asciiOnly: Bool,
                                                                  into out: inout [UInt8]) where Bytes.Index == Int {
        out.append(q)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b >= 0x20 && b < 0x7f && b != q && b != 92 { out.append(b); i += 1; continue }
            if b < 0x80 {
                appendEscaped(Unicode.Scalar(b), quote: q, asciiOnly: asciiOnly, into: &out)
                i += 1
                continue
            }
            var it = bytes[i...].makeIterator()
            var decoder = UTF8()
            if case .scalarValue(let s) = decoder.decode(&it) {
                appendEscaped(s, quote: q, asciiOnly: asciiOnly, into: &out)
                i += UTF8.width(s)
            } else {
                out += [92, UInt8(ascii: "x"), hexDigits[Int(b >> 4)], hexDigits[Int(b & 15)]]
                i += 1
            }
        }
        out.append(q)
    }

    static func appendEscaped(_ s: Unicode.Scalar, quote q: UInt8, asciiOnly: Bool, into out: inout [UInt8]) {
        let v = s.value
        if v == UInt32(q) || v == 92 {
            out.append(92); out.append(UInt8(v)); return
        }
        if v >= 0x20 && v < 0x7f { out.append(UInt8(v)); return }
        if asciiOnly ? (v < 0x80 && isPrint(s)) : isPrint(s) {
            appendUTF8(s, into: &out)
            return
        }
        switch v {
        case 7: out += [92, UInt8(ascii: "a")]
        case 8: out += [92, UInt8(ascii: "b")]
        case 12: out += [92, UInt8(ascii: "f")]
        case 10: out += [92, UInt8(ascii: "n")]
        case 13: out += [92, UInt8(ascii: "r")]
        case 9: out += [92, UInt8(ascii: "t")]
        case 11: out += [92, UInt8(ascii: "v")]
        default:
            if v < 0x20 || v == 0x7f {
                out += [92, UInt8(ascii: "x"), hexDigits[Int(v >> 4)], hexDigits[Int(v & 15)]]
            } else if v < 0x10000 {
                out += [92, UInt8(ascii: "u")]
                for shift in stride(from: 12, through: 0, by: -4) { out.append(hexDigits[Int((v >> UInt32(shift)) & 15)]) }
            } else {
                out += [92, UInt8(ascii: "U")]
                for shift in stride(from: 28, through: 0, by: -4) { out.append(hexDigits[Int((v >> UInt32(shift)) & 15)]) }
            }
        }
    }

    static func appendUTF8(_ s: Unicode.Scalar, into out: inout [UInt8]) {
        let v = s.value
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800: out += [UInt8(0xC0 | v >> 6), UInt8(0x80 | v & 0x3F)]
        case 0x800..<0x10000: out += [UInt8(0xE0 | v >> 12), UInt8(0x80 | v >> 6 & 0x3F), UInt8(0x80 | v & 0x3F)]
        default: out += [UInt8(0xF0 | v >> 18), UInt8(0x80 | v >> 12 & 0x3F), UInt8(0x80 | v >> 6 & 0x3F), UInt8(0x80 | v & 0x3F)]
        }
    }

    /// strconv.QuoteRune.
    static func quoteRune(_ r: Int, asciiOnly: Bool) -> [UInt8] {
        let scalar = (r >= 0 && r <= 0x10FFFF) ? (Unicode.Scalar(UInt32(r)) ?? "\u{FFFD}") : "\u{FFFD}"
        var out: [UInt8] = [39]
        appendEscaped(scalar, quote: 39, asciiOnly: asciiOnly, into: &out)
        out.append(39)
        return out
    }

    /// strconv.CanBackquote.
    static func canBackquote(_ s: String) -> Bool {
        for u in s.unicodeScalars {
            if u == "`" || u == "\u{FEFF}" { return false }
            if u.value < 0x20 && u != "\t" { return false }
            if u.value == 0x7f { return false }
        }
        return true
    }
}

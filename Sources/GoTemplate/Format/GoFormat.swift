#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Go's fmt package over template values: Sprint, Sprintln, Sprintf with Go's verbs, flags,
/// widths, precisions and its error forms (`%!d(string=x)`, `%!v(MISSING)`, `%!(EXTRA ...)`).
public enum GoFormat {
    public static func sprint(_ args: [TemplateValue]) -> String {
        var p = Printer()
        p.doPrint(args)
        return String(decoding: p.buf, as: UTF8.self)
    }

    public static func sprintln(_ args: [TemplateValue]) -> String {
        var p = Printer()
        for (i, a) in args.enumerated() {
            if i > 0 { p.buf.append(32) }
            p.printArg(a, verb: "v")
        }
        p.buf.append(10)
        return String(decoding: p.buf, as: UTF8.self)
    }

    public static func sprintf(_ format: String, _ args: [TemplateValue]) -> String {
        var p = Printer()
        p.buf.reserveCapacity(format.utf8.count + 16 * args.count)
        var format = format
        format.withUTF8 { p.doPrintf($0, args) }
        return String(decoding: p.buf, as: UTF8.self)
    }

    /// Append `value` as `fmt.Fprint` would (the `%v` form) to `out`.
    static func appendValue(_ value: TemplateValue, to out: inout [UInt8]) {
        switch value {
        case .string(let s): out.append(contentsOf: s.utf8)
        case .int(let i): appendInt(Int64(i), to: &out)
        case .int64(let i): appendInt(i, to: &out)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        // The engine takes a printed value's address when that gives it a String method, so a
        // host object prints as its representation here, not `printedByValue`.
        case .object(let o): appendValue(o.representation, to: &out)
        default:
            var p = Printer()
            swap(&p.buf, &out)
            p.printArg(value, verb: "v")
            swap(&p.buf, &out)
        }
    }

    static func appendInt(_ value: Int64, to out: inout [UInt8]) {
        if value >= 0 && value < 10 { out.append(UInt8(48 + value)); return }
        var magnitude = value.magnitude
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { raw in
            while magnitude > 0 {
                raw[19 - n] = UInt8(48 + magnitude % 10)
                magnitude /= 10
                n += 1
            }
            if value < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: raw[(20 - n)...])
        }
    }

    /// Go's type name of a value as `%T` prints it.
    public static func typeName(_ value: TemplateValue) -> String {
        switch value {
        case .missing, .null: return "<nil>"
        case .bool: return "bool"
        case .int: return "int"
        case .int64: return "int64"
        case .float: return "float64"
        case .string: return "string"
        case .bytes: return "[]uint8"
        case .list: return "[]interface {}"
        case .map(let m): return m.goTypeName ?? "map[string]interface {}"
        case .object(let o): return o.goTypeName
        }
    }

    /// `%#U` of a scalar: `U+0023 '#'`.
    static func unicodeForm(_ s: Unicode.Scalar) -> String {
        var hex = String(s.value, radix: 16, uppercase: true)
        while hex.count < 4 { hex = "0" + hex }
        if GoQuote.isPrint(s) { return "U+\(hex) '\(Character(s))'" }
        return "U+\(hex)"
    }

    /// Shortest decimal digits that round-trip `d` (> 0, finite) and the decimal point position.
    static func shortestDigits(_ d: Double) -> (digits: [UInt8], dp: Int) {
        let text = Array(d.magnitude.description.utf8)
        var mantissa = text[...]
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            mantissa = text[..<e]
            exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self)) ?? 0
        }
        var digits: [UInt8] = []
        var dp = 0
        var seenPoint = false
        for c in mantissa {
            if c == UInt8(ascii: ".") { seenPoint = true; continue }
            digits.append(c)
            if !seenPoint { dp += 1 }
        }
        while let f = digits.first, f == 48, digits.count > 1 { digits.removeFirst(); dp -= 1 }
        while let l = digits.last, l == 48, digits.count > 1 { digits.removeLast() }
        return (digits, dp + exponent)
    }

    /// strconv.FormatFloat(d, 'g' or 'G', -1, 64) for finite values.
    static func shortestG(_ d: Double, upper: Bool) -> [UInt8] {
        var out: [UInt8] = []
        if d.sign == .minus { out.append(UInt8(ascii: "-")) }
        if d == 0 { out.append(48); return out }
        let (digits, dp) = shortestDigits(d)
        let exp = dp - 1
        if exp < -4 || exp >= 6 {
            // %e with as many digits as needed.
            out.append(digits[0])
            if digits.count > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[1...])
            }
            out.append(upper ? UInt8(ascii: "E") : UInt8(ascii: "e"))
            out.append(exp < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let e = abs(exp)
            if e < 10 { out.append(48) }
            out.append(contentsOf: String(e).utf8)
            return out
        }
        if dp <= 0 {
            out += [48, UInt8(ascii: ".")]
            out.append(contentsOf: repeatElement(48, count: -dp))
            out.append(contentsOf: digits)
        } else if dp >= digits.count {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(48, count: dp - digits.count))
        } else {
            out.append(contentsOf: digits[..<dp])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[dp...])
        }
        return out
    }

    /// C's printf for one double with an explicit precision (same rounding and forms as Go's
    /// strconv for %e, %f and %g with a precision).
    static func cFormat(_ d: Double, verb: UInt8, precision: Int) -> [UInt8] {
        let format = "%.\(precision)" + String(UnicodeScalar(verb))
        var buffer = [CChar](repeating: 0, count: 512 + max(0, precision) + 330)
        let count = withVaList([d]) { vsnprintf(&buffer, buffer.count, format, $0) }
        return buffer[0..<Int(max(0, min(Int32(buffer.count - 1), count)))].map { UInt8(bitPattern: $0) }
    }
}

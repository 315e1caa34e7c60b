/// Go's `strconv.FormatFloat` (shortest, `'g'`, `'e'`, `'f'`) and `encoding/json` float formatting.
///
/// Swift's `description` already yields the shortest digits that round-trip (as Go does); these
/// helpers only lay those digits out the way Go prints them.
enum GoFloatFormat {
    /// Shortest decimal digits of `|value|` and the decimal point position: value = 0.d1d2... x 10^point.
    struct Decimal {
        var digits: [UInt8]
        var point: Int
        var negative: Bool
    }

    static func decimal(_ value: Double) -> Decimal { decimal(description: value.description, negative: value.sign == .minus) }
    static func decimal(_ value: Float) -> Decimal { decimal(description: value.description, negative: value.sign == .minus) }

    private static func decimal(description: String, negative: Bool) -> Decimal {
        var mantissa = Substring(description)
        if mantissa.hasPrefix("-") { mantissa = mantissa.dropFirst() }
        var exponent = 0
        if let e = mantissa.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(mantissa[mantissa.index(after: e)...]) ?? 0
            mantissa = mantissa[..<e]
        }
        var digits: [UInt8] = []
        var point = 0
        var seenPoint = false
        for c in mantissa.utf8 {
            if c == UInt8(ascii: ".") { seenPoint = true; continue }
            if digits.isEmpty && c == UInt8(ascii: "0") {
                if seenPoint { point -= 1 }
                continue
            }
            digits.append(c)
            if !seenPoint { point += 1 }
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { point = 0 } else { point += exponent }
        return Decimal(digits: digits, point: point, negative: negative)
    }

    /// `strconv.FormatFloat(v, 'g', -1, 64)` (or 32 with `float32`).
    static func g(_ value: Double, float32: Bool = false) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let d = float32 ? decimal(Float(value)) : decimal(value)
        let exp = d.point - 1
        if !d.digits.isEmpty && (exp < -4 || exp >= 6) { return e(d) }
        return f(d)
    }

    /// Go's `%e` layout of shortest digits: `1.5e+06`, `1e-07`.
    static func e(_ d: Decimal) -> String {
        var out = d.negative ? "-" : ""
        let digits = d.digits.isEmpty ? [UInt8(ascii: "0")] : d.digits
        out.append(Character(Unicode.Scalar(digits[0])))
        if digits.count > 1 {
            out.append(".")
            out.append(String(decoding: digits[1...], as: UTF8.self))
        }
        let exp = d.digits.isEmpty ? 0 : d.point - 1
        out.append(exp < 0 ? "e-" : "e+")
        let magnitude = abs(exp)
        if magnitude < 10 { out.append("0") }
        out.append(String(magnitude))
        return out
    }

    /// Go's `%f` layout of shortest digits (no trailing zeros, no point for integers).
    static func f(_ d: Decimal) -> String {
        var out = d.negative ? "-" : ""
        if d.digits.isEmpty { return out + "0" }
        if d.point <= 0 {
            out += "0." + String(repeating: "0", count: -d.point) + String(decoding: d.digits, as: UTF8.self)
        } else if d.point >= d.digits.count {
            out += String(decoding: d.digits, as: UTF8.self) + String(repeating: "0", count: d.point - d.digits.count)
        } else {
            out += String(decoding: d.digits[..<d.point], as: UTF8.self) + "."
                + String(decoding: d.digits[d.point...], as: UTF8.self)
        }
        return out
    }

    /// `encoding/json` for float64: `'f'` unless |v| < 1e-6 or >= 1e21, then `'e'` with `e-07` cleaned to `e-7`.
    /// Returns nil for NaN and infinities, which Go refuses to encode.
    static func json(_ value: Double) -> String? {
        if !value.isFinite { return nil }
        // Integral values below 2^53 print as plain integers (no exponent, no rounding).
        if value.rounded(.towardZero) == value && abs(value) < 9.007199254740992e15 && !(value == 0 && value.sign == .minus) {
            return String(Int64(value))
        }
        let d = decimal(value)
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) {
            var s = e(d)
            let bytes = Array(s.utf8)
            let n = bytes.count
            if n >= 4 && bytes[n - 4] == UInt8(ascii: "e") && bytes[n - 3] == UInt8(ascii: "-") && bytes[n - 2] == UInt8(ascii: "0") {
                s = String(decoding: bytes[..<(n - 2)] + [bytes[n - 1]], as: UTF8.self)
            }
            return s
        }
        return f(d)
    }
}

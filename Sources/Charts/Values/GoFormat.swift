import Structured

/// Go's `%v` of decoded values, for error messages that quote values as Helm does.
enum GoValueText {
    /// strconv.FormatFloat(d, 'g', -1, 64), as `%v` prints a float64 (exponent when exp < -4 or ≥ 6).
    static func float(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        let (digits, pointPosition) = shortestDigits(abs(d))
        let sign = d < 0 ? "-" : ""
        let exp = pointPosition - 1
        if exp < -4 || exp >= 6 {
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let e = abs(exp) < 10 ? "0\(abs(exp))" : "\(abs(exp))"
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + e
        }
        if pointPosition <= 0 { return sign + "0." + String(repeating: "0", count: -pointPosition) + digits }
        if pointPosition >= digits.count { return sign + digits + String(repeating: "0", count: pointPosition - digits.count) }
        let i = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<i] + "." + digits[i...]
    }

    /// Shortest round-trip decimal digits and the decimal point position (Swift's description is
    /// shortest round-trip, like Go's).
    static func shortestDigits(_ d: Double) -> (String, Int) {
        let text = "\(d)"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...].replacingPlus()) ?? 0
        }
        var intPart = mantissa
        var fracPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = mantissa[..<dot]
            fracPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(intPart) + fracPart
        var point = intPart.count + exponent
        while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); point -= 1 }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, point)
    }

    static func value(_ v: Value) -> String {
        switch v {
        case .null: return "<nil>"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return float(d)
        case .string(let s): return s
        case .array(let a): return "[" + a.map(value).joined(separator: " ") + "]"
        case .object(let o): return "map[" + o.keys.sorted().map { "\($0):\(value(o[$0]!))" }.joined(separator: " ") + "]"
        }
    }
}

private extension Substring {
    func replacingPlus() -> Substring { hasPrefix("+") ? dropFirst() : self }
}

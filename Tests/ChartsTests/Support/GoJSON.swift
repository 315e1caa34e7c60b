import Foundation
import Structured

/// Go's encoding/json output for `Value` (sorted keys, HTML escaping), so tests can compare our
/// values with helm's `{{ toJson .Values }}` without depending on the Structured codecs.
enum GoJSON {
    static func encode(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return float(d)
        case .string(let s): return string(s)
        case .array(let a): return "[" + a.map(encode).joined(separator: ",") + "]"
        case .object(let o):
            return "{" + o.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { string($0) + ":" + encode(o[$0]!) }.joined(separator: ",") + "}"
        }
    }

    static func float(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e21 { return String(format: "%.0f", d) }
        let a = abs(d)
        if a < 1e-6 || a >= 1e21 {
            // Go: shortest mantissa, exponent without zero padding.
            let s = "\(d)".replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e+")
            return s
        }
        return "\(d)"
    }

    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(format: "%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Values equal as Go maps (key order ignored).
func sameValue(_ a: Value?, _ b: Value?) -> Bool {
    a.map(GoJSON.encode) == b.map(GoJSON.encode)
}

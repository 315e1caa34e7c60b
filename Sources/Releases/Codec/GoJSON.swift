import OrderedCollections
import Structured

/// JSON text <-> `Value` with the conventions of Go's encoding/json, which is what Helm reads and writes.
///
/// Objects keep the order they were read in (Go writes struct fields in declaration order and map keys
/// sorted, so re-encoding what Go wrote reproduces it). Integers that fit stay `.int`; other numbers are
/// `.double` and print as Go prints a float64.
enum GoJSON {
    struct SyntaxError: Error, CustomStringConvertible {
        var offset: Int
        var message: String
        var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    static func decode(_ bytes: [UInt8]) throws(SyntaxError) -> Value {
        var parser = Parser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.parseValue(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.error("unexpected data after the top-level value") }
        return value
    }

    /// Encode; `sortKeys` sorts every object's keys (a Go map), otherwise objects keep their order.
    static func encode(_ value: Value, sortKeys: Bool = false) -> String {
        var out = ""
        write(value, sortKeys: sortKeys, to: &out)
        return out
    }

    static func write(_ value: Value, sortKeys: Bool, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += formatFloat(d)
        case .string(let s): writeString(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                write(item, sortKeys: sortKeys, to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            let keys = sortKeys ? members.keys.sorted() : Array(members.keys)
            for (i, key) in keys.enumerated() {
                if i > 0 { out += "," }
                writeString(key, to: &out)
                out += ":"
                write(members[key]!, sortKeys: sortKeys, to: &out)
            }
            out += "}"
        }
    }

    /// Go's string escaping (HTML-safe, as json.Marshal does by default).
    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + hex4(scalar.value)
            default:
                if scalar.value < 0x20 { out += "\\u" + hex4(scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        out += "\""
    }

    private static func hex4(_ v: UInt32) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }

    /// Go's float64 formatting in encoding/json: shortest digits, plain notation for
    /// 1e-6 <= |x| < 1e21, exponent notation ("1e+21", "1e-7") otherwise.
    static func formatFloat(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        // Swift's description is the shortest round-tripping representation; take its digits apart.
        var text = "\(abs(d))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        var intPart = text, fracPart = ""
        if let dot = text.firstIndex(of: ".") {
            intPart = String(text[..<dot])
            fracPart = String(text[text.index(after: dot)...])
        }
        var digits = intPart + fracPart
        var pointPos = intPart.count + exponent  // decimal point position within digits
        while digits.count > 1, digits.first == "0" { digits.removeFirst(); pointPos -= 1 }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        let sign = d < 0 ? "-" : ""
        let magnitude = abs(d)
        if magnitude < 1e21 && magnitude >= 1e-6 {
            if pointPos <= 0 { return sign + "0." + String(repeating: "0", count: -pointPos) + digits }
            if pointPos >= digits.count { return sign + digits + String(repeating: "0", count: pointPos - digits.count) }
            let i = digits.index(digits.startIndex, offsetBy: pointPos)
            return sign + digits[..<i] + "." + digits[i...]
        }
        let exp = pointPos - 1
        var mantissa = String(digits.first!)
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + String(abs(exp))
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        func error(_ message: String) -> SyntaxError { SyntaxError(offset: index, message: message) }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        mutating func parseValue(depth: Int) throws(SyntaxError) -> Value {
            guard depth < 10_000 else { throw error("nesting too deep") }
            guard index < bytes.count else { throw error("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members = OrderedDictionary<String, Value>()
                skipSpace()
                if peek(UInt8(ascii: "}")) { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard peek(UInt8(ascii: "\"")) else { throw error("expected a string key") }
                    let key = try parseString()
                    skipSpace()
                    guard peek(UInt8(ascii: ":")) else { throw error("expected ':'") }
                    index += 1
                    skipSpace()
                    members[key] = try parseValue(depth: depth + 1)
                    skipSpace()
                    if peek(UInt8(ascii: ",")) { index += 1; continue }
                    if peek(UInt8(ascii: "}")) { index += 1; return .object(members) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [Value] = []
                skipSpace()
                if peek(UInt8(ascii: "]")) { index += 1; return .array(items) }
                while true {
                    skipSpace()
                    items.append(try parseValue(depth: depth + 1))
                    skipSpace()
                    if peek(UInt8(ascii: ",")) { index += 1; continue }
                    if peek(UInt8(ascii: "]")) { index += 1; return .array(items) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return .string(try parseString())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default:
                return try parseNumber()
            }
        }

        func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

        mutating func literal(_ word: String) throws(SyntaxError) {
            let w = Array(word.utf8)
            guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else {
                throw error("invalid literal")
            }
            index += w.count
        }

        mutating func parseNumber() throws(SyntaxError) -> Value {
            let start = index
            var isInteger = true
            if peek(UInt8(ascii: "-")) { index += 1 }
            let digitsStart = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            guard index > digitsStart else { throw error("invalid character") }
            if peek(UInt8(ascii: ".")) {
                isInteger = false
                index += 1
                let f = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                guard index > f else { throw error("invalid number") }
            }
            if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
                isInteger = false
                index += 1
                if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
                let e = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                guard index > e else { throw error("invalid number") }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if isInteger, let i = Int64(text) { return .int(i) }
            guard let d = Double(text) else { throw error("invalid number \(text)") }
            return .double(d)
        }

        mutating func parseString() throws(SyntaxError) -> String {
            index += 1  // opening quote
            var scalars = String.UnicodeScalarView()
            var runStart = index
            func flush(_ p: inout Parser, to end: Int) {
                if end > runStart { scalars.append(contentsOf: String(decoding: p.bytes[runStart..<end], as: UTF8.self).unicodeScalars) }
            }
            while true {
                guard index < bytes.count else { throw error("unterminated string") }
                let b = bytes[index]
                if b == UInt8(ascii: "\"") {
                    flush(&self, to: index)
                    index += 1
                    return String(scalars)
                }
                if b < 0x20 { throw error("control character in string") }
                if b != UInt8(ascii: "\\") { index += 1; continue }
                flush(&self, to: index)
                index += 1
                guard index < bytes.count else { throw error("unterminated string") }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        // A surrogate pair; Go replaces a lone surrogate with U+FFFD.
                        if index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                            let save = index
                            index += 2
                            let low = try hex4()
                            if (0xDC00..<0xE000).contains(low) {
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                index = save
                                code = 0xFFFD
                            }
                        } else {
                            code = 0xFFFD
                        }
                    } else if (0xDC00..<0xE000).contains(code) {
                        code = 0xFFFD
                    }
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: throw error("invalid escape")
                }
                runStart = index
            }
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            guard index + 4 <= bytes.count,
                let v = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
            else { throw error("invalid \\u escape") }
            index += 4
            return v
        }
    }
}

import OrderedCollections

/// A strict JSON parser (RFC 8259, as Go's encoding/json accepts it) with Go's error wording
/// and the line and column of the failure.
struct JSONParser {
    let bytes: [UInt8]
    let allDoubles: Bool
    let file: String?
    var i = 0

    init(text: String, allDoubles: Bool, file: String?) {
        self.init(bytes: Array(text.utf8), allDoubles: allDoubles, file: file)
    }

    init(bytes: [UInt8], allDoubles: Bool, file: String?) {
        self.bytes = bytes
        self.allDoubles = allDoubles
        self.file = file
    }

    mutating func parseDocument() throws(StructuredError) -> Value {
        skipSpace()
        let v = try parseValue(depth: 0)
        skipSpace()
        if i < bytes.count { throw fail("invalid character \(quoteChar()) after top-level value") }
        return v
    }

    func location(_ offset: Int) -> SourceLocation {
        var line = 1, column = 1
        for b in bytes[..<min(offset, bytes.count)] {
            if b == UInt8(ascii: "\n") { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    func fail(_ message: String) -> StructuredError { StructuredError(message, at: location(i)) }

    func quoteChar() -> String {
        guard i < bytes.count else { return "" }
        let c = bytes[i]
        if c == UInt8(ascii: "'") { return "'\\''" }
        if c == UInt8(ascii: "\"") { return "'\"'" }
        switch c {
        case 0x07: return "'\\a'"
        case 0x08: return "'\\b'"
        case 0x09: return "'\\t'"
        case 0x0A: return "'\\n'"
        case 0x0B: return "'\\v'"
        case 0x0C: return "'\\f'"
        case 0x0D: return "'\\r'"
        default: break
        }
        if c < 0x20 || c == 0x7F { return "'\\x" + String(c, radix: 16).leftPadded(2) + "'" }
        if c < 0x80 { return "'" + String(UnicodeScalar(c)) + "'" }
        var end = i + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "'" + String(decoding: bytes[i..<end], as: UTF8.self) + "'"
    }

    mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(StructuredError) -> Value {
        guard i < bytes.count else { throw fail("unexpected end of JSON input") }
        if depth > 10000 { throw fail("exceeded max depth") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var entries: OrderedDictionary<String, Value> = [:]
            skipSpace()
            if i < bytes.count && bytes[i] == UInt8(ascii: "}") { i += 1; return .object(entries) }
            while true {
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of JSON input") }
                guard bytes[i] == UInt8(ascii: "\"") else {
                    throw fail("invalid character \(quoteChar()) looking for beginning of object key string")
                }
                let key = try parseString()
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of JSON input") }
                guard bytes[i] == UInt8(ascii: ":") else { throw fail("invalid character \(quoteChar()) after object key") }
                i += 1
                skipSpace()
                entries[key] = try parseValue(depth: depth + 1)
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of JSON input") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(entries) }
                throw fail("invalid character \(quoteChar()) after object key:value pair")
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [Value] = []
            skipSpace()
            if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of JSON input") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw fail("invalid character \(quoteChar()) after array element")
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw fail("invalid character \(quoteChar()) looking for beginning of value")
        }
    }

    mutating func literal(_ word: String) throws(StructuredError) {
        for (n, expected) in word.utf8.enumerated() {
            guard i < bytes.count else { throw fail("unexpected end of JSON input") }
            if bytes[i] != expected {
                throw fail("invalid character \(quoteChar()) in literal \(word) (expecting '\(Character(UnicodeScalar(expected)))')")
            }
            _ = n
            i += 1
        }
    }

    mutating func parseNumber() throws(StructuredError) -> Value {
        let start = i
        func digit(_ k: Int) -> Bool { k < bytes.count && bytes[k] >= 48 && bytes[k] <= 57 }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count else { throw fail("unexpected end of JSON input") }
        guard digit(i) else { throw fail("invalid character \(quoteChar()) in numeric literal") }
        if bytes[i] == UInt8(ascii: "0") { i += 1 } else { while digit(i) { i += 1 } }
        // Fast path: a short integer (the common case on the wire) needs no String round trip.
        if !allDoubles, i - start <= 18, i == bytes.count || !Self.continuesNumber(bytes[i]) {
            var n: Int64 = 0
            let negative = bytes[start] == UInt8(ascii: "-")
            for k in (negative ? start + 1 : start)..<i { n = n &* 10 &+ Int64(bytes[k] &- 48) }
            return .int(negative ? -n : n)
        }
        var integral = true
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            integral = false
            i += 1
            guard i < bytes.count else { throw fail("unexpected end of JSON input") }
            guard digit(i) else { throw fail("invalid character \(quoteChar()) after decimal point in numeric literal") }
            while digit(i) { i += 1 }
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            integral = false
            i += 1
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < bytes.count else { throw fail("unexpected end of JSON input") }
            guard digit(i) else { throw fail("invalid character \(quoteChar()) in exponent of numeric literal") }
            while digit(i) { i += 1 }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if integral && !allDoubles, let n = Int64(text) { return .int(n) }
        guard let d = Double(text), d.isFinite else {
            throw StructuredError("json: cannot unmarshal number \(text) into Go value of type float64", at: location(start))
        }
        return .double(d)
    }

    static func continuesNumber(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    }

    mutating func parseString() throws(StructuredError) -> String {
        i += 1  // opening quote
        var out: [UInt8] = []
        let start = i
        // Fast path: no escapes.
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\"), bytes[i] >= 0x20 { i += 1 }
        if i < bytes.count && bytes[i] == UInt8(ascii: "\"") {
            i += 1
            return String(decoding: bytes[start..<(i - 1)], as: UTF8.self)
        }
        out.append(contentsOf: bytes[start..<i])
        while true {
            guard i < bytes.count else { throw fail("unexpected end of JSON input") }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; break }
            if c < 0x20 { throw fail("invalid character \(quoteChar()) in string literal") }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < bytes.count else { throw fail("unexpected end of JSON input") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
                    bytes[i + 1] == UInt8(ascii: "u")
                {
                    let save = i
                    i += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        i = save
                    }
                }
                let scalar = UnicodeScalar(code) ?? "\u{FFFD}"
                out.append(contentsOf: String(scalar).utf8)
            default:
                i -= 1
                throw fail("invalid character \(quoteChar()) in string escape code")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func hex4() throws(StructuredError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard i < bytes.count else { throw fail("unexpected end of JSON input") }
            let c = bytes[i]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 97...102: d = UInt32(c - 87)
            case 65...70: d = UInt32(c - 55)
            default: throw fail("invalid character \(quoteChar()) in \\u hexadecimal character escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}

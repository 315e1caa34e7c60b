/// Go `encoding/json` output: Marshal, MarshalIndent and an encoder without HTML escaping.
struct JSONWriter {
    let sortKeys: Bool
    let escapeHTML: Bool
    let indent: String?
    var out: [UInt8] = []

    init(sortKeys: Bool, escapeHTML: Bool, indent: String?) {
        self.sortKeys = sortKeys
        self.escapeHTML = escapeHTML
        self.indent = indent
        out.reserveCapacity(1024)
    }

    mutating func newline(_ depth: Int) {
        guard let indent else { return }
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<depth { out.append(contentsOf: indent.utf8) }
    }

    mutating func write(_ value: Value, depth: Int) throws(StructuredError) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): writeInt(i)
        case .double(let d):
            guard let text = GoFloatFormat.json(d) else {
                throw StructuredError("json: unsupported value: \(GoFloatFormat.g(d))")
            }
            out.append(contentsOf: text.utf8)
        case .string(let s): writeString(s)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                try write(item, depth: depth + 1)
            }
            newline(depth)
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            if o.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            if sortKeys {
                for (i, index) in o.keys.indices.sorted(by: { JSONWriter.goLess(o.keys[$0], o.keys[$1]) }).enumerated() {
                    try member(o.keys[index], o.values[index], first: i == 0, depth: depth)
                }
            } else {
                // Kept order (structs, wire objects): no key array, no lookups.
                for (i, (key, item)) in o.enumerated() { try member(key, item, first: i == 0, depth: depth) }
            }
            newline(depth)
            out.append(UInt8(ascii: "}"))
        }
    }

    private mutating func member(_ key: String, _ item: Value, first: Bool, depth: Int) throws(StructuredError) {
        if !first { out.append(UInt8(ascii: ",")) }
        newline(depth + 1)
        writeString(key)
        out.append(UInt8(ascii: ":"))
        if indent != nil { out.append(UInt8(ascii: " ")) }
        try write(item, depth: depth + 1)
    }

    /// Decimal digits straight into the output (no String per number).
    private mutating func writeInt(_ value: Int64) {
        if value == 0 { out.append(UInt8(ascii: "0")); return }
        if value == .min { out.append(contentsOf: "-9223372036854775808".utf8); return }
        var magnitude = value < 0 ? -value : value
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let start = out.count
        while magnitude > 0 {
            out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        }
        out[start...].reverse()
    }

    /// Go sorts map keys by their bytes.
    static func goLess(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    mutating func writeString(_ s: String) {
        out.append(UInt8(ascii: "\""))
        let utf8 = s.utf8
        // Fast path for the common all-safe string.
        let safe = utf8.withContiguousStorageIfAvailable { buffer -> Bool in
            for b in buffer where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b >= 0x80
                || (b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "&")) { return false }
            return true
        } ?? false
        if safe {
            out.append(contentsOf: utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for scalar in s.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x22: out.append(contentsOf: "\\\"".utf8)
            case 0x5C: out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x08: out.append(contentsOf: "\\b".utf8)
            case 0x0C: out.append(contentsOf: "\\f".utf8)
            case 0x3C, 0x3E, 0x26:
                if escapeHTML { unicodeEscape(v) } else { out.append(UInt8(v)) }
            case 0x2028, 0x2029: unicodeEscape(v)
            case 0..<0x20: unicodeEscape(v)
            default: out.append(contentsOf: String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private mutating func unicodeEscape(_ v: UInt32) {
        out.append(contentsOf: "\\u".utf8)
        for shift in stride(from: 12, through: 0, by: -4) { out.append(JSONWriter.hex[Int((v >> UInt32(shift)) & 0xF)]) }
    }
}

import Structured

extension TemplateValue {
    /// Chart data as templates see it: numbers keep the type the decoder gave them
    /// (values files give doubles), objects become Go maps.
    public init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int64(i)
        case .double(let d): self = .float(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .list(a.map(TemplateValue.init))
        case .object(let o):
            var map: [String: TemplateValue] = [:]
            map.reserveCapacity(o.count)
            for (k, v) in o { map[k] = TemplateValue(v) }
            self = .map(map)
        }
    }
}

extension Value {
    /// The structured form of a template value, as `toYaml`/`toJson` see it: maps with sorted keys,
    /// objects through their representation, bytes as Go marshals `[]byte` (base64 string).
    public init(_ value: TemplateValue) {
        switch value {
        case .missing, .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(Int64(i))
        case .int64(let i): self = .int(i)
        case .float(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .bytes(let b): self = .string(Base64.encode(b))
        case .list(let l): self = .array(l.map(Value.init))
        case .map(let m):
            var object = Value.emptyObject.objectValue!
            for key in m.keys.sorted() { object[key] = Value(m[key]!) }
            self = .object(object)
        case .object(let o): self = Value(o.representation)
        }
    }
}

/// Standard base64 (RFC 4648 with padding), as Go's encoding/base64.StdEncoding.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }
}

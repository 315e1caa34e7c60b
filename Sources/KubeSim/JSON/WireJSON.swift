import Structured

/// The API server's JSON on the wire, through Structured's codec: compact, object keys in their
/// stored order (what Go writes for structs), `<`, `>`, `&` unescaped. Stored objects never hold
/// NaN or infinities (they come from JSON or YAML), so encoding cannot fail here.
extension JSON {
    static func wireBytes(_ value: Value) -> [UInt8] {
        (try? encodeBytes(value, sortKeys: false, escapeHTML: false)) ?? Array("null".utf8)
    }

    static func wireString(_ value: Value) -> String {
        String(decoding: wireBytes(value), as: UTF8.self)
    }
}

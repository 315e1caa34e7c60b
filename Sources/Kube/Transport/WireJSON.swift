import Structured

/// JSON on the wire, through Structured's codec: bytes straight to values (integers that fit stay
/// `.int`, key order kept) and back without HTML escaping. Only errors are Kube's own here.
enum WireJSON {
    static func decode(_ bytes: [UInt8]) throws(KubeError) -> Value {
        do { return try JSON.decode(bytes) } catch { throw invalid(error) }
    }

    static func decode(_ text: String) throws(KubeError) -> Value {
        do { return try JSON.decode(text) } catch { throw invalid(error) }
    }

    /// A request body. Fails only for NaN and infinities, which JSON cannot carry.
    static func encodeBytes(_ value: Value) throws(KubeError) -> [UInt8] {
        do { return try JSON.encodeBytes(value, sortKeys: false, escapeHTML: false) } catch {
            throw KubeError(.invalidRequest, "the object cannot be sent as JSON: \(error.message)")
        }
    }

    /// For messages, files and the exec plugin's environment ("" for NaN or infinities).
    static func encode(_ value: Value) -> String { JSON.encode(value, sortKeys: false, escapeHTML: false) }

    private static func invalid(_ error: StructuredError) -> KubeError {
        let place = error.location.map { " at line \($0.line), column \($0.column)" } ?? ""
        return KubeError(.decoding, "invalid JSON\(place): \(error.message)")
    }
}

import GoTemplate

/// Sprig's base64/base32 functions; decode errors come back as the result text, as in Sprig.
enum EncodingFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("b64enc", .exactly(1)) { a in .string(BaseN.encode64(Array(try a.string(0).utf8))) }
        r.add("b64dec", .exactly(1)) { a in
            switch BaseN.decode64(try a.string(0)) {
            case .success(let bytes): return .string(String(decoding: bytes, as: UTF8.self))
            case .failure(let e): return .string(e.message)
            }
        }
        r.add("b32enc", .exactly(1)) { a in .string(BaseN.encode32(Array(try a.string(0).utf8))) }
        r.add("b32dec", .exactly(1)) { a in
            switch BaseN.decode32(try a.string(0)) {
            case .success(let bytes): return .string(String(decoding: bytes, as: UTF8.self))
            case .failure(let e): return .string(e.message)
            }
        }
    }
}

/// Go's encoding/base64 and base32 StdEncoding (padded, strict, CR/LF ignored when decoding).
enum BaseN {
    struct Corrupt: Error { let message: String }

    static let alphabet64 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let alphabet32 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    static func encode64(_ bytes: [UInt8]) -> String { encode(bytes, alphabet: alphabet64, bits: 6) }
    static func encode32(_ bytes: [UInt8]) -> String { encode(bytes, alphabet: alphabet32, bits: 5) }

    private static func encode(_ bytes: [UInt8], alphabet: [UInt8], bits: Int) -> String {
        var out: [UInt8] = []
        var buffer = 0, count = 0
        for b in bytes {
            buffer = buffer << 8 | Int(b); count += 8
            while count >= bits { count -= bits; out.append(alphabet[(buffer >> count) & ((1 << bits) - 1)]) }
            buffer &= (1 << count) - 1
        }
        if count > 0 { out.append(alphabet[(buffer << (bits - count)) & ((1 << bits) - 1)]) }
        let group = bits == 6 ? 4 : 8
        while out.count % group != 0 { out.append(UInt8(ascii: "=")) }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode64(_ s: String) -> Result<[UInt8], Corrupt> { decode(s, alphabet: alphabet64, bits: 6) }
    static func decode32(_ s: String) -> Result<[UInt8], Corrupt> { decode(s, alphabet: alphabet32, bits: 5) }

    /// Decodes quantum by quantum like Go, reporting the input offset of the first bad byte.
    private static func decode(_ s: String, alphabet: [UInt8], bits: Int) -> Result<[UInt8], Corrupt> {
        var table = [Int](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = i }
        let input = Array(s.utf8)
        let group = bits == 6 ? 4 : 8
        var out: [UInt8] = []
        var i = 0
        func corrupt(_ at: Int) -> Result<[UInt8], Corrupt> { .failure(Corrupt(message: "illegal base\(bits == 6 ? 64 : 32) data at input byte \(at)")) }
        while i < input.count {
            var quantum: [Int] = []
            var padStart = -1
            while quantum.count < group {
                if i >= input.count {
                    if quantum.isEmpty { return .success(out) }
                    return corrupt(i - quantum.count)
                }
                let c = input[i]
                if c == 10 || c == 13 { i += 1; continue }
                if c == UInt8(ascii: "=") {
                    // Padding: the rest of the quantum must be '=' and then input must end.
                    let validCounts: Set<Int> = bits == 6 ? [2, 3] : [2, 4, 5, 7]
                    guard validCounts.contains(quantum.count) else { return corrupt(i) }
                    padStart = quantum.count
                    var j = quantum.count
                    while j < group {
                        while i < input.count && (input[i] == 10 || input[i] == 13) { i += 1 }
                        guard i < input.count else { return corrupt(input.count) }
                        guard input[i] == UInt8(ascii: "=") else { return corrupt(i) }
                        i += 1; j += 1
                    }
                    while i < input.count && (input[i] == 10 || input[i] == 13) { i += 1 }
                    if i < input.count { return corrupt(i) }
                    break
                }
                let v = table[Int(c)]
                guard v >= 0 else { return corrupt(i) }
                quantum.append(v)
                i += 1
            }
            var buffer = 0, count = 0
            for v in quantum {
                buffer = buffer << bits | v; count += bits
                if count >= 8 { count -= 8; out.append(UInt8((buffer >> count) & 0xFF)) }
            }
            if padStart >= 0 { return .success(out) }
        }
        return .success(out)
    }
}

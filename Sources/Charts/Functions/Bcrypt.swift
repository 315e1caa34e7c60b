/// bcrypt as golang.org/x/crypto/bcrypt produces it: `$2a$10$` + salt + hash in bcrypt's base64.
enum Bcrypt {
    struct Blowfish {
        var p: [UInt32]
        var s: [UInt32]  // 4 × 256

        init() {
            p = Array(BlowfishConstants.piWords[0..<18])
            s = Array(BlowfishConstants.piWords[18...])
        }

        @inline(__always) func f(_ x: UInt32) -> UInt32 {
            ((s[Int(x >> 24)] &+ s[256 + Int(x >> 16 & 0xFF)]) ^ s[512 + Int(x >> 8 & 0xFF)]) &+ s[768 + Int(x & 0xFF)]
        }

        func encrypt(_ l0: UInt32, _ r0: UInt32) -> (UInt32, UInt32) {
            var l = l0 ^ p[0], r = r0
            var i = 1
            while i < 17 {
                r ^= f(l) ^ p[i]
                l ^= f(r) ^ p[i + 1]
                i += 2
            }
            r ^= p[17]
            return (r, l)
        }

        static func nextWord(_ data: [UInt8], _ j: inout Int) -> UInt32 {
            var w: UInt32 = 0
            for _ in 0..<4 {
                w = w << 8 | UInt32(data[j])
                j += 1
                if j >= data.count { j = 0 }
            }
            return w
        }

        /// ExpandKey, or the salted variant when `salt` is given.
        mutating func expand(key: [UInt8], salt: [UInt8]?) {
            var j = 0
            for i in 0..<18 { p[i] ^= Blowfish.nextWord(key, &j) }
            var l: UInt32 = 0, r: UInt32 = 0
            var k = 0
            var i = 0
            while i < 18 {
                if let salt { l ^= Blowfish.nextWord(salt, &k); r ^= Blowfish.nextWord(salt, &k) }
                (l, r) = encrypt(l, r)
                p[i] = l; p[i + 1] = r
                i += 2
            }
            i = 0
            while i < 1024 {
                if let salt { l ^= Blowfish.nextWord(salt, &k); r ^= Blowfish.nextWord(salt, &k) }
                (l, r) = encrypt(l, r)
                s[i] = l; s[i + 1] = r
                i += 2
            }
        }
    }

    static let alphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        let std = BaseN.encode64(bytes)
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        for c in std.utf8 where c != UInt8(ascii: "=") { out.append(alphabet[table.firstIndex(of: c)!]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var std: [UInt8] = []
        for c in text.utf8 {
            guard let i = alphabet.firstIndex(of: c) else { return nil }
            std.append(table[i])
        }
        while std.count % 4 != 0 { std.append(UInt8(ascii: "=")) }
        return try? BaseN.decode64(String(decoding: std, as: UTF8.self)).get()
    }

    enum Failure: Error { case tooLong }

    /// The hash for `password` with a random salt (or the given one), cost 10 by default.
    static func hash(_ password: [UInt8], cost: Int = 10, salt: [UInt8]? = nil) throws(Failure) -> String {
        guard password.count <= 72 else { throw .tooLong }
        let salt = salt ?? Random.bytes(16)
        let digest = raw(password: password, salt: salt, cost: cost)
        return "$2a$" + String(cost).leftPadded(2) + "$" + encode(salt) + encode(Array(digest.prefix(23)))
    }

    static func raw(password: [UInt8], salt: [UInt8], cost: Int) -> [UInt8] {
        let key = password + [0]
        var bf = Blowfish()
        bf.expand(key: key, salt: salt)
        for _ in 0..<(1 << cost) {
            bf.expand(key: key, salt: nil)
            bf.expand(key: salt, salt: nil)
        }
        var words: [UInt32] = []
        var j = 0
        let magic = Array("OrpheanBeholderScryDoubt".utf8)
        for _ in 0..<6 { words.append(Blowfish.nextWord(magic, &j)) }
        var i = 0
        while i < 6 {
            var l = words[i], r = words[i + 1]
            for _ in 0..<64 { (l, r) = bf.encrypt(l, r) }
            words[i] = l; words[i + 1] = r
            i += 2
        }
        return words.flatMap { [UInt8($0 >> 24), UInt8($0 >> 16 & 0xFF), UInt8($0 >> 8 & 0xFF), UInt8($0 & 0xFF)] }
    }

    /// Checks `password` against a `$2a$`/`$2b$`/`$2y$` hash.
    static func verify(_ password: [UInt8], hash: String) -> Bool {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: true)
        guard parts.count == 3, let cost = Int(parts[1]), parts[2].count == 53,
              let salt = decode(String(parts[2].prefix(22))) else { return false }
        let digest = raw(password: password, salt: salt, cost: cost)
        return encode(Array(digest.prefix(23))) == String(parts[2].dropFirst(22))
    }
}

import Crypto
import _CryptoExtras
import Foundation
import GoTemplate

/// Sprig's hash functions and derivePassword (Master Password algorithm over scrypt).
enum HashFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("sha1sum", .exactly(1)) { a in .string(hex(Insecure.SHA1.hash(data: Array(try a.string(0).utf8)))) }
        r.add("sha256sum", .exactly(1)) { a in .string(hex(SHA256.hash(data: Array(try a.string(0).utf8)))) }
        r.add("sha512sum", .exactly(1)) { a in .string(hex(SHA512.hash(data: Array(try a.string(0).utf8)))) }
        r.add("adler32sum", .exactly(1)) { a in .string(String(adler32(Array(try a.string(0).utf8)))) }
        r.add("derivePassword", .exactly(5)) { a in
            let counter: UInt32
            switch a[0] {
            case .int(let n): counter = UInt32(truncatingIfNeeded: n)
            case .int64(let n): counter = UInt32(truncatingIfNeeded: n)
            default: throw Arguments.wrongType("uint32", a.original(0), index: 0)
            }
            return .string(try derivePassword(counter: counter, type: try a.string(1), password: try a.string(2),
                                              user: try a.string(3), site: try a.string(4)))
        }
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { GoText.hex(UInt32($0), width: 2) }.joined()
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    static let templates: [String: [String]] = [
        "maximum": ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long": ["CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
                 "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
                 "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
                 "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
                 "CvccCvcvCvccno"],
        "medium": ["CvcnoCvc", "CvcCvcno"],
        "short": ["Cvcn"],
        "basic": ["aaanaaan", "aannaaan", "aaannaaa"],
        "pin": ["nnnn"],
    ]

    static let characters: [Character: [UInt8]] = [
        "V": Array("AEIOU".utf8),
        "C": Array("BCDFGHJKLMNPQRSTVWXYZ".utf8),
        "v": Array("aeiou".utf8),
        "c": Array("bcdfghjklmnpqrstvwxyz".utf8),
        "A": Array("AEIOUBCDFGHJKLMNPQRSTVWXYZ".utf8),
        "a": Array("AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz".utf8),
        "n": Array("0123456789".utf8),
        "o": Array("@&%?,=[]_:-+*$#!'^~;()/.".utf8),
        "x": Array("AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()".utf8),
    ]

    static func bigEndian(_ n: UInt32) -> [UInt8] { [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] }

    static func derivePassword(counter: UInt32, type: String, password: String, user: String, site: String) throws -> String {
        guard let choices = templates[type] else { return "cannot find password template \(type)" }
        let seed = Array("com.lyndir.masterpassword".utf8)
        let salt = seed + bigEndian(UInt32(user.utf8.count)) + Array(user.utf8)
        let key = try KDF.Scrypt.deriveKey(from: Array(password.utf8), salt: salt, outputByteCount: 64,
                                           rounds: 32768, blockSize: 8, parallelism: 2, maxMemory: 128 * 1024 * 1024)
        let message = seed + bigEndian(UInt32(site.utf8.count)) + Array(site.utf8) + bigEndian(counter)
        let mac = Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        let template = Array(choices[Int(mac[0]) % choices.count])
        var out: [UInt8] = []
        for (i, element) in template.enumerated() {
            let chars = characters[element]!
            out.append(chars[Int(mac[i + 1]) % chars.count])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

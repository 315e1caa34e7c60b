import Crypto
import _CryptoExtras
import Foundation
import GoTemplate
import SwiftASN1
import X509

/// Sprig's crypto functions: bcrypt/htpasswd, keys, certificates, AES, random bytes.
enum CryptoFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("bcrypt", .exactly(1)) { a in .string(bcrypt(try a.string(0))) }
        r.add("htpasswd", .exactly(2)) { a in
            let user = try a.string(0), password = try a.string(1)
            if user.contains(":") { return .string("invalid username: \(user)") }
            return .string(user + ":" + bcrypt(password))
        }
        r.add("randBytes", .exactly(1)) { a in
            let n = try a.int(0)
            guard n >= 0 else { throw TemplateFunctionError("runtime error: makeslice: len out of range") }
            return .string(BaseN.encode64(Random.bytes(n)))
        }
        r.add("genPrivateKey", .exactly(1)) { a in .string(generatePrivateKey(try a.string(0))) }
        r.add("buildCustomCert", .exactly(2)) { a in .object(try buildCustomCert(try a.string(0), try a.string(1))) }
        r.add("genCA", .exactly(2)) { a in
            .object(try Certificates.authority(cn: try a.string(0), days: try a.int(1), key: try SigningKey.rsa2048()))
        }
        r.add("genCAWithKey", .exactly(3)) { a in
            let key = try SigningKey.parseForParameter(try a.string(2))
            return .object(try Certificates.authority(cn: try a.string(0), days: try a.int(1), key: key))
        }
        r.add("genSelfSignedCert", .exactly(4)) { a in
            .object(try Certificates.selfSigned(cn: try a.string(0), ips: try a.list(1), dns: try a.list(2),
                                               days: try a.int(3), key: try SigningKey.rsa2048()))
        }
        r.add("genSelfSignedCertWithKey", .exactly(5)) { a in
            let key = try SigningKey.parseForParameter(try a.string(4))
            return .object(try Certificates.selfSigned(cn: try a.string(0), ips: try a.list(1), dns: try a.list(2),
                                                      days: try a.int(3), key: key))
        }
        r.add("genSignedCert", .exactly(5)) { a in
            .object(try Certificates.signed(cn: try a.string(0), ips: try a.list(1), dns: try a.list(2), days: try a.int(3),
                                           ca: try certificate(a, 4), key: try SigningKey.rsa2048()))
        }
        r.add("genSignedCertWithKey", .exactly(6)) { a in
            let key = try SigningKey.parseForParameter(try a.string(5))
            return .object(try Certificates.signed(cn: try a.string(0), ips: try a.list(1), dns: try a.list(2), days: try a.int(3),
                                                  ca: try certificate(a, 4), key: key))
        }
        r.add("encryptAES", .exactly(2)) { a in .string(try AESCBC.encrypt(password: try a.string(0), plaintext: try a.string(1))) }
        r.add("decryptAES", .exactly(2)) { a in .string(try AESCBC.decrypt(password: try a.string(0), base64: try a.string(1))) }
    }

    static func bcrypt(_ input: String) -> String {
        do { return try Bcrypt.hash(Array(input.utf8)) } catch {
            return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
        }
    }

    static func certificate(_ a: Arguments, _ i: Int) throws -> CertificatePair {
        if case .object(let o as CertificatePair) = a[i] { return o }
        throw Arguments.wrongType("sprig.certificate", a.original(i), index: i)
    }

    static func generatePrivateKey(_ type: String) -> String {
        do {
            switch type {
            case "", "rsa": return PEM.encode("RSA PRIVATE KEY", Array(try _RSA.Signing.PrivateKey(keySize: .bits4096).derRepresentation))
            case "ecdsa": return SigningKey.p256(P256.Signing.PrivateKey()).pem
            case "ed25519": return SigningKey.ed25519(Curve25519.Signing.PrivateKey()).pem
            case "dsa": return "failed to generate dsa params: DSA keys are not supported by bosun"
            default: return "Unknown type " + type
            }
        } catch {
            return "failed to generate private key: \(error)"
        }
    }

    static func buildCustomCert(_ b64cert: String, _ b64key: String) throws -> CertificatePair {
        guard case .success(let cert) = BaseN.decode64(b64cert) else { throw TemplateFunctionError("unable to decode base64 certificate") }
        guard case .success(let key) = BaseN.decode64(b64key) else { throw TemplateFunctionError("unable to decode base64 private key") }
        let certText = String(decoding: cert, as: UTF8.self), keyText = String(decoding: key, as: UTF8.self)
        guard let block = PEM.decode(certText) else { throw TemplateFunctionError("unable to decode certificate") }
        do { _ = try Certificate(derEncoded: block.bytes) } catch {
            throw TemplateFunctionError("error parsing certificate: decodedCert.Bytes: x509: malformed certificate")
        }
        do { _ = try SigningKey.parse(keyText) } catch let e as TemplateFunctionError {
            throw TemplateFunctionError("error parsing private key: \(e.message)")
        }
        return CertificatePair(cert: certText, key: keyText)
    }
}

/// Sprig's `certificate` struct: `.Cert` and `.Key` PEM strings.
struct CertificatePair: TemplateObject, GoStringer {
    var cert: String
    var key: String

    var goTypeName: String { "sprig.certificate" }
    var goString: String { "{\(cert) \(key)}" }
    var representation: TemplateValue { .map(["Cert": .string(cert), "Key": .string(key)]) }
    func field(_ name: String) -> TemplateValue? {
        switch name {
        case "Cert": return .string(cert)
        case "Key": return .string(key)
        default: return nil
        }
    }
    func call(method name: String, arguments: [TemplateValue]) throws -> TemplateValue? { nil }
}

/// PEM blocks as Go's encoding/pem writes them (64-column base64, trailing newline).
enum PEM {
    static func encode(_ type: String, _ der: [UInt8]) -> String {
        let body = BaseN.encode64(der)
        var out = "-----BEGIN \(type)-----\n"
        var i = body.startIndex
        while i < body.endIndex {
            let j = body.index(i, offsetBy: 64, limitedBy: body.endIndex) ?? body.endIndex
            out += body[i..<j] + "\n"
            i = j
        }
        return out + "-----END \(type)-----\n"
    }

    static func decode(_ text: String) -> (type: String, bytes: [UInt8])? {
        guard let begin = text.range(of: "-----BEGIN "), let typeEnd = text.range(of: "-----", range: begin.upperBound..<text.endIndex) else { return nil }
        let type = String(text[begin.upperBound..<typeEnd.lowerBound])
        guard let end = text.range(of: "-----END \(type)-----", range: typeEnd.upperBound..<text.endIndex) else { return nil }
        let body = text[typeEnd.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        guard case .success(let bytes) = BaseN.decode64(String(body)) else { return nil }
        return (type, bytes)
    }
}

/// A private key of one of the kinds Sprig generates or accepts.
enum SigningKey {
    case rsa(_RSA.Signing.PrivateKey)
    case p256(P256.Signing.PrivateKey)
    case ed25519(Curve25519.Signing.PrivateKey)

    static func rsa2048() throws -> SigningKey {
        do { return .rsa(try _RSA.Signing.PrivateKey(keySize: .bits2048)) } catch {
            throw TemplateFunctionError("error generating rsa key: \(error)")
        }
    }

    /// For the *WithKey functions, which prefix parse errors with "parsing private key: ".
    static func parseForParameter(_ pem: String) throws -> SigningKey {
        do { return try parse(pem) } catch let e as TemplateFunctionError {
            throw TemplateFunctionError("parsing private key: \(e.message)")
        }
    }

    static let oidRSA: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
    static let oidEC: [UInt8] = [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
    static let oidEd25519: [UInt8] = [0x06, 0x03, 0x2B, 0x65, 0x70]

    static func parse(_ pem: String) throws -> SigningKey {
        guard let block = PEM.decode(pem) else { throw TemplateFunctionError("no PEM data in input") }
        let der = block.bytes
        func contains(_ needle: [UInt8]) -> Bool {
            guard der.count >= needle.count else { return false }
            return (0...(der.count - needle.count)).contains { Array(der[$0..<($0 + needle.count)]) == needle }
        }
        switch block.type {
        case "PRIVATE KEY":
            do {
                if contains(oidEd25519) { return .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32))) }
                if contains(oidEC) { return .p256(try P256.Signing.PrivateKey(derRepresentation: der)) }
                return .rsa(try _RSA.Signing.PrivateKey(unsafeDERRepresentation: der))
            } catch {
                throw TemplateFunctionError("decoding PEM as PKCS#8: \(error)")
            }
        case "RSA PRIVATE KEY":
            do { return .rsa(try _RSA.Signing.PrivateKey(unsafeDERRepresentation: der)) } catch {
                throw TemplateFunctionError("parsing RSA private key from PEM: \(error)")
            }
        case "EC PRIVATE KEY":
            do { return .p256(try P256.Signing.PrivateKey(derRepresentation: der)) } catch {
                throw TemplateFunctionError("parsing EC private key from PEM: \(error)")
            }
        default:
            if !block.type.hasSuffix(" PRIVATE KEY") {
                throw TemplateFunctionError("no private key data in PEM block of type \(block.type)")
            }
            throw TemplateFunctionError("invalid private key type \(block.type)")
        }
    }

    /// PEM as Sprig's pemBlockForKey writes it: PKCS#1 for RSA, SEC1 for ECDSA, PKCS#8 otherwise.
    var pem: String {
        switch self {
        case .rsa(let k): return PEM.encode("RSA PRIVATE KEY", Array(k.derRepresentation))
        case .p256(let k):
            let d = Array(k.rawRepresentation)
            let point = Array(k.publicKey.x963Representation)
            let oidP256: [UInt8] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
            let body = DERBytes.integer(1) + DERBytes.tlv(0x04, d) + DERBytes.tlv(0xA0, oidP256)
                + DERBytes.tlv(0xA1, DERBytes.tlv(0x03, [0] + point))
            return PEM.encode("EC PRIVATE KEY", DERBytes.tlv(0x30, body))
        case .ed25519(let k):
            let body = DERBytes.integer(0) + DERBytes.tlv(0x30, SigningKey.oidEd25519) + DERBytes.tlv(0x04, DERBytes.tlv(0x04, Array(k.rawRepresentation)))
            return PEM.encode("PRIVATE KEY", DERBytes.tlv(0x30, body))
        }
    }

    var certificateKey: Certificate.PrivateKey {
        switch self {
        case .rsa(let k): return Certificate.PrivateKey(k)
        case .p256(let k): return Certificate.PrivateKey(k)
        case .ed25519(let k): return Certificate.PrivateKey(k)
        }
    }

    var signatureAlgorithm: Certificate.SignatureAlgorithm {
        switch self {
        case .rsa: return .sha256WithRSAEncryption
        case .p256: return .ecdsaWithSHA256
        case .ed25519: return .ed25519
        }
    }

    /// The subjectPublicKey bit string contents (what Go hashes for a subject key id).
    var publicKeyBytes: [UInt8] {
        switch self {
        case .rsa(let k): return Array(k.publicKey.pkcs1DERRepresentation)
        case .p256(let k): return Array(k.publicKey.x963Representation)
        case .ed25519(let k): return Array(k.publicKey.rawRepresentation)
        }
    }
}

/// Minimal DER writing for key encodings swift-crypto does not offer.
enum DERBytes {
    static func length(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        var bytes: [UInt8] = []
        var v = n
        while v > 0 { bytes.insert(UInt8(v & 0xFF), at: 0); v >>= 8 }
        return [0x80 | UInt8(bytes.count)] + bytes
    }
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] { [tag] + length(content.count) + content }
    static func integer(_ v: UInt8) -> [UInt8] { [0x02, 0x01, v] }
}

/// Sprig's certificate templates (getBaseCertTemplate) signed through swift-certificates.
enum Certificates {
    static func ipAddresses(_ ips: [TemplateValue]?) throws -> [GeneralName] {
        try (ips ?? []).map { ip in
            guard case .string(let s) = ip else {
                throw TemplateFunctionError("error parsing ip: \(GoText.value(ip)) is not a string")
            }
            guard let bytes = parseIP(s) else { throw TemplateFunctionError("error parsing ip: \(s)") }
            return .ipAddress(ASN1OctetString(contentBytes: bytes[...]))
        }
    }

    static func dnsNames(_ names: [TemplateValue]?) throws -> [GeneralName] {
        try (names ?? []).map { name in
            guard case .string(let s) = name else {
                throw TemplateFunctionError("error processing alternate dns name: \(GoText.value(name)) is not a string")
            }
            return .dnsName(s)
        }
    }

    /// net.ParseIP: dotted IPv4 (stored as 4 bytes in certificates) or IPv6.
    static func parseIP(_ s: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, s, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, s, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    static func make(cn: String, sans: [GeneralName], days: Int, isCA: Bool, key: SigningKey,
                     issuer: DistinguishedName?, issuerKey: SigningKey, authorityKeyId: [UInt8]?) throws -> CertificatePair {
        do {
            let subject = try DistinguishedName { CommonName(cn) }
            let now = Date()
            var serial = Random.bytes(16)
            serial[0] &= 0x7F
            var extensions = Certificate.Extensions()
            var usage = KeyUsage(digitalSignature: true, keyEncipherment: true)
            if isCA { usage.keyCertSign = true }
            try extensions.append(Certificate.Extension(usage, critical: true))
            try extensions.append(Certificate.Extension(try ExtendedKeyUsage([.serverAuth, .clientAuth]), critical: false))
            try extensions.append(Certificate.Extension(isCA ? BasicConstraints.isCertificateAuthority(maxPathLength: nil) : .notCertificateAuthority, critical: true))
            if isCA {
                let ski = Array(Insecure.SHA1.hash(data: key.publicKeyBytes))
                try extensions.append(Certificate.Extension(SubjectKeyIdentifier(keyIdentifier: ski[...]), critical: false))
            }
            if let authorityKeyId {
                try extensions.append(Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: authorityKeyId[...]), critical: false))
            }
            if !sans.isEmpty {
                try extensions.append(Certificate.Extension(SubjectAlternativeNames(sans), critical: false))
            }
            let publicKey: Certificate.PublicKey = key.certificateKey.publicKey
            let cert = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(bytes: serial[...]), publicKey: publicKey,
                notValidBefore: now, notValidAfter: now.addingTimeInterval(Double(days) * 86400),
                issuer: issuer ?? subject, subject: subject, signatureAlgorithm: issuerKey.signatureAlgorithm,
                extensions: extensions, issuerPrivateKey: issuerKey.certificateKey)
            var serializer = DER.Serializer()
            try serializer.serialize(cert)
            return CertificatePair(cert: PEM.encode("CERTIFICATE", serializer.serializedBytes), key: key.pem)
        } catch let e as TemplateFunctionError {
            throw e
        } catch {
            throw TemplateFunctionError("error creating certificate: \(error)")
        }
    }

    static func authority(cn: String, days: Int, key: SigningKey) throws -> CertificatePair {
        try make(cn: cn, sans: [], days: days, isCA: true, key: key, issuer: nil, issuerKey: key, authorityKeyId: nil)
    }

    static func selfSigned(cn: String, ips: [TemplateValue]?, dns: [TemplateValue]?, days: Int, key: SigningKey) throws -> CertificatePair {
        let sans = try dnsNames(dns) + ipAddresses(ips)
        return try make(cn: cn, sans: sans, days: days, isCA: false, key: key, issuer: nil, issuerKey: key, authorityKeyId: nil)
    }

    static func signed(cn: String, ips: [TemplateValue]?, dns: [TemplateValue]?, days: Int, ca: CertificatePair, key: SigningKey) throws -> CertificatePair {
        guard let block = PEM.decode(ca.cert) else { throw TemplateFunctionError("unable to decode certificate") }
        let parent: Certificate
        do { parent = try Certificate(derEncoded: block.bytes) } catch {
            throw TemplateFunctionError("error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate")
        }
        let signer: SigningKey
        do { signer = try SigningKey.parse(ca.key) } catch let e as TemplateFunctionError {
            throw TemplateFunctionError("error parsing private key: \(e.message)")
        }
        let sans = try dnsNames(dns) + ipAddresses(ips)
        let aki = (try? parent.extensions.subjectKeyIdentifier).flatMap { $0 }.map { Array($0.keyIdentifier) }
        return try make(cn: cn, sans: sans, days: days, isCA: false, key: key, issuer: parent.subject, issuerKey: signer, authorityKeyId: aki)
    }
}

/// Sprig's encryptAES/decryptAES: AES-256-CBC, key = password zero-padded to 32 bytes,
/// PKCS#7 padding, random IV prepended, base64.
enum AESCBC {
    static func key(_ password: String) -> SymmetricKey {
        var k = Array(password.utf8.prefix(32))
        k += [UInt8](repeating: 0, count: 32 - k.count)
        return SymmetricKey(data: k)
    }

    static func encrypt(password: String, plaintext: String) throws -> String {
        if plaintext.isEmpty { return "" }
        var content = Array(plaintext.utf8)
        let padding = 16 - content.count % 16
        content += [UInt8](repeating: UInt8(padding), count: padding)
        let iv = Random.bytes(16)
        let sealed = try AES._CBC.encrypt(content, using: key(password), iv: try AES._CBC.IV(ivBytes: iv), noPadding: true)
        return BaseN.encode64(iv + Array(sealed))
    }

    static func decrypt(password: String, base64: String) throws -> String {
        if base64.isEmpty { return "" }
        let crypt: [UInt8]
        switch BaseN.decode64(base64) {
        case .success(let b): crypt = b
        case .failure(let e): throw TemplateFunctionError(e.message)
        }
        guard crypt.count >= 16 else { throw TemplateFunctionError("runtime error: slice bounds out of range [:16] with capacity \(crypt.count)") }
        let body = Array(crypt[16...])
        guard body.count % 16 == 0 else { throw TemplateFunctionError("crypto/cipher: input not full blocks") }
        guard !body.isEmpty else { throw TemplateFunctionError("runtime error: index out of range [-1]") }
        let plain = Array(try AES._CBC.decrypt(body, using: key(password), iv: try AES._CBC.IV(ivBytes: crypt[..<16]), noPadding: true))
        let cut = Int(plain[plain.count - 1])
        guard cut <= plain.count else { throw TemplateFunctionError("runtime error: slice bounds out of range [:\(plain.count - cut)]") }
        return String(decoding: plain[..<(plain.count - cut)], as: UTF8.self)
    }
}

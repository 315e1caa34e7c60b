import Crypto
import Foundation
import GoTemplate
import SwiftASN1
import Testing
import TestSupport
import X509
@testable import Charts

/// Random and crypto functions cannot be compared byte for byte; these tests check shapes and
/// round trips in both directions with the real helm.
@Suite struct CryptoFunctionsTests {
    let functions = HelmFunctions.registry()

    func call(_ name: String, _ args: TemplateValue...) throws -> TemplateValue {
        try functions[name]!(args, NoContext())
    }

    func string(_ name: String, _ args: TemplateValue...) throws -> String {
        guard case .string(let s) = try functions[name]!(args, NoContext()) else { throw ExpressionEvaluator.Failure(message: "\(name) gave no string") }
        return s
    }

    /// Renders `{{ expression }}` lines with helm; returns each line's output (base64-wrapped in transit).
    static func helm(_ expressions: [String]) throws -> [String] {
        let chart = try HelmFunctionsDifferentialTests.makeChart(expressions)
        defer { try? FileManager.default.removeItem(atPath: (chart as NSString).deletingLastPathComponent) }
        let r = try runProcess(try Oracle.helm4.path(), ["template", chart], environment: ["TZ": "UTC"])
        try #require(r.succeeded, "helm failed: \(r.stderr)")
        let outputs = HelmFunctionsDifferentialTests.helmOutputs(r.stdout)
        return expressions.indices.map { outputs[HelmFunctionsDifferentialTests.caseName($0)] ?? "" }
    }

    static func b64(_ s: String) -> String { BaseN.encode64(Array(s.utf8)) }

    @Test func bcryptMatchesGoBothWays() throws {
        let helm = try Self.helm([#"bcrypt "s3cret pässword""#, #"htpasswd "admin" "pw""#, #"bcrypt """#])
        // Our implementation recomputes helm's hash from its salt: same algorithm as Go's.
        #expect(helm[0].hasPrefix("$2a$10$") && helm[0].count == 60)
        #expect(Bcrypt.verify(Array("s3cret pässword".utf8), hash: helm[0]))
        #expect(!Bcrypt.verify(Array("wrong".utf8), hash: helm[0]))
        #expect(helm[1].hasPrefix("admin:$2a$10$"))
        #expect(Bcrypt.verify(Array("pw".utf8), hash: String(helm[1].dropFirst("admin:".count))))
        #expect(Bcrypt.verify([], hash: helm[2]))
        let ours = try string("bcrypt", .string("abc"))
        #expect(ours.hasPrefix("$2a$10$") && ours.count == 60)
        #expect(Bcrypt.verify(Array("abc".utf8), hash: ours))
        #expect(try string("htpasswd", .string("a:b"), .string("x")) == "invalid username: a:b")
        #expect(try string("bcrypt", .string(String(repeating: "x", count: 73))) == "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes")
    }

    @Test func aesRoundTripsWithHelm() throws {
        let plain = "top secret: ünïcode & 16-byte-aligned!"
        let ours = try string("encryptAES", .string("my key"), .string(plain))
        let helm = try Self.helm([
            #"encryptAES "my key" "\#(plain)""#,
            #"decryptAES "my key" "\#(ours)""#,
            #"encryptAES "a-very-long-password-longer-than-thirty-two-bytes" "x""#,
        ])
        #expect(helm[1] == plain)
        #expect(try string("decryptAES", .string("my key"), .string(helm[0])) == plain)
        #expect(try string("decryptAES", .string("a-very-long-password-longer-than-thirty-two-bytes"), .string(helm[2])) == "x")
        #expect(try string("encryptAES", .string("k"), .string("")) == "")
        #expect(try string("decryptAES", .string("k"), .string("")) == "")
    }

    @Test func privateKeysHaveGoShapes() throws {
        let helm = try Self.helm([#"genPrivateKey "ecdsa""#, #"genPrivateKey "ed25519""#, #"genPrivateKey "rsa""#])
        for (type, header) in [("ecdsa", "EC PRIVATE KEY"), ("ed25519", "PRIVATE KEY"), ("rsa", "RSA PRIVATE KEY")] {
            let ours = try string("genPrivateKey", .string(type))
            let theirs = helm[["ecdsa", "ed25519", "rsa"].firstIndex(of: type)!]
            for pem in [ours, theirs] {
                #expect(pem.hasPrefix("-----BEGIN \(header)-----\n") && pem.hasSuffix("-----END \(header)-----\n"), "\(type): \(pem)")
                #expect(pem.split(separator: "\n").dropFirst().dropLast().allSatisfy { $0.count <= 64 })
                _ = try SigningKey.parse(pem)
            }
            // Same DER size class as Go's encoding (SEC1 with public key, PKCS#8 ed25519, PKCS#1 4096-bit).
            #expect(PEM.decode(ours)!.bytes.count / 10 == PEM.decode(theirs)!.bytes.count / 10, "\(type)")
        }
        #expect(try string("genPrivateKey", .string("x")) == "Unknown type x")
    }

    func certificate(_ pair: TemplateValue) throws -> (Certificate, String, String) {
        guard case .object(let o) = pair, case .string(let cert)? = o.field("Cert"), case .string(let key)? = o.field("Key") else {
            throw ExpressionEvaluator.Failure(message: "not a certificate: \(pair)")
        }
        return (try Certificate(pemEncoded: cert), cert, key)
    }

    /// Extension OIDs with criticality, to compare our certificates' layout with Go's.
    func layout(_ c: Certificate) -> [String] {
        c.extensions.map { "\($0.oid)\($0.critical ? "!" : "")" }.sorted()
    }

    @Test func certificatesMatchGoLayoutAndChainBothWays() throws {
        let ca = try call("genCA", .string("bosun-ca"), .int(365))
        let (caCert, caPEM, caKey) = try certificate(ca)
        let leaf = try call("genSignedCert", .string("leaf"), .list([.string("10.0.0.1"), .string("::1")]),
                            .list([.string("a.example"), .string("b.example")]), .int(30), ca)
        let (leafCert, _, leafKey) = try certificate(leaf)
        let selfSigned = try call("genSelfSignedCert", .string("self"), .null, .list([.string("s.example")]), .int(10))
        let (selfCert, _, _) = try certificate(selfSigned)

        let helm = try Self.helm([
            #"genCA "helm-ca" 365 | toJson"#,
            #"genSignedCert "leaf" (list "10.0.0.1" "::1") (list "a.example" "b.example") 30 (buildCustomCert "\#(Self.b64(caPEM))" "\#(Self.b64(caKey))") | toJson"#,
            #"genSelfSignedCert "self" nil (list "s.example") 10 | toJson"#,
        ])
        func parse(_ json: String) throws -> (Certificate, String) {
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: String]
            return (try Certificate(pemEncoded: object["Cert"]!), object["Key"]!)
        }
        let (helmCA, helmCAKey) = try parse(helm[0])
        let (helmLeaf, _) = try parse(helm[1])
        let (helmSelf, _) = try parse(helm[2])

        // Same extensions and criticality as Go's x509.CreateCertificate for each kind.
        #expect(layout(caCert) == layout(helmCA))
        #expect(layout(leafCert) == layout(helmLeaf))
        #expect(layout(selfCert) == layout(helmSelf))
        #expect(caCert.subject.description == "CN=bosun-ca")
        #expect(leafCert.issuer == caCert.subject)
        #expect(helmLeaf.issuer == caCert.subject, "helm signed with our CA")
        #expect(try leafCert.extensions.subjectAlternativeNames?.count == 4)
        #expect(try helmLeaf.extensions.subjectAlternativeNames == leafCert.extensions.subjectAlternativeNames)
        #expect(try caCert.extensions.basicConstraints == helmCA.extensions.basicConstraints)
        #expect(try leafCert.extensions.keyUsage == helmLeaf.extensions.keyUsage)
        #expect(try caCert.extensions.keyUsage == helmCA.extensions.keyUsage)
        let days = { (c: Certificate) in Int((c.notValidAfter.timeIntervalSince(c.notValidBefore) / 86400).rounded()) }
        #expect(days(caCert) == days(helmCA) && days(leafCert) == 30 && days(selfCert) == days(helmSelf))
        #expect(leafKey.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))

        // Our genSignedCert accepts helm's CA, and buildCustomCert accepts helm's output.
        let helmPair = try call("buildCustomCert", .string(Self.b64(try helmCA.serializeAsPEM().pemString)), .string(Self.b64(helmCAKey)))
        let fromHelm = try call("genSignedCertWithKey", .string("x"), .null, .null, .int(1), helmPair,
                                .string(try string("genPrivateKey", .string("ecdsa"))))
        let (fromHelmCert, _, fromHelmKey) = try certificate(fromHelm)
        #expect(fromHelmCert.issuer == helmCA.subject)
        #expect(fromHelmKey.hasPrefix("-----BEGIN EC PRIVATE KEY-----"))
        let withKey = try call("genCAWithKey", .string("k"), .int(1), .string(try string("genPrivateKey", .string("ed25519"))))
        #expect(try certificate(withKey).2.hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }

    @Test func randomFunctionsHaveTheRightShape() throws {
        for (name, alphabet) in [("randAlphaNum", Random.alphaNumeric), ("randAlpha", Random.alpha),
                                 ("randNumeric", Random.numeric), ("randAscii", Random.ascii)] {
            let s = try string(name, .int(40))
            #expect(s.unicodeScalars.count == 40 && s.unicodeScalars.allSatisfy(alphabet.contains), "\(name): \(s)")
            #expect(try string(name, .int(0)) == "" && string(name, .int(-1)) == "")
        }
        let uuid = try string("uuidv4")
        #expect(uuid.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", options: .regularExpression) != nil)
        let bytes = try string("randBytes", .int(24))
        #expect(try BaseN.decode64(bytes).get().count == 24)
        let shuffled = try string("shuffle", .string("abcdef"))
        #expect(shuffled.sorted() == Array("abcdef"))
        guard case .int(let n) = try call("randInt", .int(3), .int(6)) else { Issue.record("randInt type"); return }
        #expect((3..<6).contains(n))
        // The same shapes from helm.
        let helm = try Self.helm([#"randAlphaNum 12"#, #"uuidv4"#, #"randBytes 5 | b64dec | len"#, #"now | typeOf"#, #"randInt 1 2"#])
        #expect(helm[0].count == 12 && helm[1].count == 36 && helm[2] == "5" && helm[3] == "time.Time" && helm[4] == "1")
        #expect(GoType.name(of: try call("now")) == "time.Time")
    }

    @Test func agoAndNowFollowTheClock() throws {
        let t = try call("now")
        guard case .object(let time as GoTime) = t else { Issue.record("now is not a time"); return }
        #expect(abs(Double(time.seconds) - Date().timeIntervalSince1970) < 5)
        #expect(try string("ago", t) == "0s")
        #expect(try string("ago", .int(Int(Date().timeIntervalSince1970) - 3725)).hasPrefix("1h2m"))
        #expect(try string("htmlDate", t).count == 10)
        #expect(try string("durationRound", t) == "0s")
    }
}

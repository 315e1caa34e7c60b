import Crypto
import Foundation
import SwiftASN1
import X509

/// A throwaway CA generated at start-up: it signs the server certificate (for 127.0.0.1 and
/// localhost) and one client certificate (CN kubesim-admin, O system:masters) the kubeconfig carries.
public struct CertificateAuthority: Sendable {
    public var caCertificatePEM: String
    public var serverCertificatePEM: String
    public var serverKeyPEM: String
    public var clientCertificatePEM: String
    public var clientKeyPEM: String

    public static func generate() throws -> CertificateAuthority {
        let now = Date()
        let notBefore = now.addingTimeInterval(-3600)
        let notAfter = now.addingTimeInterval(86_400 * 365)
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("kubesim-ca") }
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName, subject: caName,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey))

        let serverKey = P256.Signing.PrivateKey()
        let server = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName,
            subject: try DistinguishedName { CommonName("kubesim") },
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName("localhost"), .dnsName("kubernetes.default.svc"),
                                         .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
            },
            issuerPrivateKey: .init(caKey))

        let clientKey = P256.Signing.PrivateKey()
        let client = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(clientKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName,
            subject: try DistinguishedName {
                OrganizationName("system:masters")
                CommonName("kubesim-admin")
            },
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.clientAuth])
            },
            issuerPrivateKey: .init(caKey))

        return CertificateAuthority(
            caCertificatePEM: try ca.serializeAsPEM().pemString,
            serverCertificatePEM: try server.serializeAsPEM().pemString,
            serverKeyPEM: serverKey.pemRepresentation,
            clientCertificatePEM: try client.serializeAsPEM().pemString,
            clientKeyPEM: clientKey.pemRepresentation)
    }
}

/// The kubeconfig kubesim writes: cluster, context and user all named `kubesim`.
enum Kubeconfig {
    static func render(server: String, ca: CertificateAuthority?, token: String?, useClientCertificate: Bool) -> String {
        func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
        var cluster = "- cluster:\n"
        if let ca { cluster += "    certificate-authority-data: \(b64(ca.caCertificatePEM))\n" }
        cluster += "    server: \(server)\n  name: kubesim\n"
        var user = "- name: kubesim\n  user:\n"
        if useClientCertificate, let ca {
            user += "    client-certificate-data: \(b64(ca.clientCertificatePEM))\n"
            user += "    client-key-data: \(b64(ca.clientKeyPEM))\n"
        } else if let token {
            user += "    token: \(token)\n"
        } else {
            user = "- name: kubesim\n  user: {}\n"
        }
        return """
            apiVersion: v1
            clusters:
            \(cluster)contexts:
            - context:
                cluster: kubesim
                user: kubesim
              name: kubesim
            current-context: kubesim
            kind: Config
            preferences: {}
            users:
            \(user)
            """
    }
}

import NIOSSL
import Structured

/// Everything needed to talk to one API server: where, how to trust it, who we are.
/// Produced by `KubeConfigLoader`, consumed by `HTTPKubeClient`.
public struct ClusterConnection: Sendable {
    /// `https://host:port` (a path prefix kept when the kubeconfig has one), no trailing slash.
    public var server: String
    /// The kubeconfig context in use (`in-cluster` for service-account config).
    public var contextName: String
    public var clusterName: String
    public var userName: String
    /// Default namespace: the context's, else `default`.
    public var namespace: String
    public var tls: TLSMaterial
    public var authentication: Authentication
    public var proxyURL: String?
    public var impersonation: Impersonation?
    /// The kubeconfig files consulted (for messages).
    public var configFiles: [String]
    /// Cluster facts handed to exec plugins that ask for them (`provideClusterInfo`).
    public var execClusterInfo: Value

    public init(
        server: String, contextName: String = "", clusterName: String = "", userName: String = "",
        namespace: String = "default", tls: TLSMaterial = TLSMaterial(), authentication: Authentication = .none,
        proxyURL: String? = nil, impersonation: Impersonation? = nil, configFiles: [String] = [],
        execClusterInfo: Value = .emptyObject
    ) {
        self.server = server
        self.contextName = contextName
        self.clusterName = clusterName
        self.userName = userName
        self.namespace = namespace
        self.tls = tls
        self.authentication = authentication
        self.proxyURL = proxyURL
        self.impersonation = impersonation
        self.configFiles = configFiles
        self.execClusterInfo = execClusterInfo
    }

    /// How requests prove who we are.
    public enum Authentication: Sendable {
        case none
        case bearerToken(String)
        /// Re-read from the file (periodically and after a 401), like client-go.
        case tokenFile(String)
        case basic(username: String, password: String)
        case exec(ExecConfig)
    }

    public struct Impersonation: Sendable, Hashable {
        public var user: String
        public var uid: String?
        public var groups: [String]
    }

    /// `host:port` of the server, for messages.
    public var serverAddress: String {
        guard let url = URLParts(server) else { return server }
        return "\(url.host):\(url.port)"
    }

    /// Where this connection came from, for messages: `context "kind-dev"`.
    var contextDescription: String {
        contextName.isEmpty ? "no context" : "context \"\(contextName)\""
    }
}

/// Trust and identity for TLS, parsed and checked when the config is loaded.
public struct TLSMaterial: Sendable {
    /// Trusted roots; nil means the system's.
    public var certificateAuthorities: [NIOSSLCertificate]?
    public var insecureSkipVerify: Bool
    /// Name to verify the server certificate against (and send as SNI) instead of the URL's host.
    public var serverName: String?
    public var clientCertificateChain: [NIOSSLCertificate]?
    public var clientKey: NIOSSLPrivateKey?
    /// The CA bytes as given, handed on to exec plugins (`certificate-authority-data`).
    public var certificateAuthorityPEM: [UInt8]?

    public init(
        certificateAuthorities: [NIOSSLCertificate]? = nil, insecureSkipVerify: Bool = false, serverName: String? = nil,
        clientCertificateChain: [NIOSSLCertificate]? = nil, clientKey: NIOSSLPrivateKey? = nil,
        certificateAuthorityPEM: [UInt8]? = nil
    ) {
        self.certificateAuthorities = certificateAuthorities
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
        self.clientCertificateChain = clientCertificateChain
        self.clientKey = clientKey
        self.certificateAuthorityPEM = certificateAuthorityPEM
    }

    /// Parse PEM certificates (one or more). `what` names the source in errors.
    public static func certificates(pem: [UInt8], what: String) throws(KubeError) -> [NIOSSLCertificate] {
        do {
            let certs = try NIOSSLCertificate.fromPEMBytes(pem)
            guard !certs.isEmpty else { throw KubeError(.credentials, "\(what): no PEM certificate found") }
            return certs
        } catch let error as KubeError {
            throw error
        } catch {
            throw KubeError(.credentials, "\(what): no valid PEM certificate found (\(error))")
        }
    }

    /// Parse a PEM private key: PKCS#1 (`RSA PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`) or PKCS#8 (`PRIVATE KEY`).
    public static func privateKey(pem: [UInt8], what: String) throws(KubeError) -> NIOSSLPrivateKey {
        let text = String(decoding: pem, as: UTF8.self)
        guard text.contains("-----BEGIN") && text.contains("PRIVATE KEY-----") else {
            throw KubeError(.credentials, "\(what): no PEM private key found")
        }
        do {
            return try NIOSSLPrivateKey(bytes: pem, format: .pem)
        } catch {
            throw KubeError(.credentials, "\(what): unable to parse private key (\(error))")
        }
    }
}

/// The pieces of an http(s) URL we need, without Foundation's URL quirks.
struct URLParts: Sendable, Hashable {
    var scheme: String
    var host: String
    var port: Int
    var path: String

    init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var rest = Substring(text[schemeEnd.upperBound...])
        var authority = rest
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            rest = rest[slash...]
        } else {
            rest = ""
        }
        path = String(rest)
        while path.hasSuffix("/") { path.removeLast() }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var hostPart = authority
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portPart = after.dropFirst() }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        host = String(hostPart)
        guard !host.isEmpty else { return nil }
        if let portPart {
            guard let p = Int(portPart), (1...65535).contains(p) else { return nil }
            port = p
        } else {
            port = scheme == "https" ? 443 : 80
        }
    }

    /// `host` ready for a URL (IPv6 in brackets).
    var urlHost: String { host.contains(":") ? "[\(host)]" : host }
}

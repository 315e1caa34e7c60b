import Foundation
import Structured

/// A merged kubeconfig: the clusters, users and contexts of every file, first file winning.
public struct KubeConfig: Sendable {
    public struct Cluster: Sendable, Hashable {
        public var server: String = ""
        /// Absolute path (resolved against the file that names it).
        public var certificateAuthority: String?
        public var certificateAuthorityData: [UInt8]?
        public var insecureSkipTLSVerify = false
        public var tlsServerName: String?
        public var proxyURL: String?
        public var disableCompression = false
        /// `extensions[client.authentication.k8s.io/exec].extension`, passed to exec plugins.
        public var execExtension: Value?
        public var file: String = ""
    }

    public struct User: Sendable, Hashable {
        public var clientCertificate: String?
        public var clientCertificateData: [UInt8]?
        public var clientKey: String?
        public var clientKeyData: [UInt8]?
        public var token: String?
        public var tokenFile: String?
        public var username: String?
        public var password: String?
        public var exec: ExecConfig?
        public var authProvider: String?
        public var impersonate: String?
        public var impersonateUID: String?
        public var impersonateGroups: [String] = []
        public var file: String = ""
    }

    public struct Context: Sendable, Hashable {
        public var cluster: String = ""
        public var user: String = ""
        public var namespace: String?
        public var file: String = ""
    }

    public var clusters: [String: Cluster] = [:]
    public var users: [String: User] = [:]
    public var contexts: [String: Context] = [:]
    public var currentContext: String?
    /// The files merged, in precedence order (as given, missing KUBECONFIG entries left out).
    public var files: [String] = []

    public init() {}

    /// Merge by kubectl's rules: a later file never overrides a map key or `current-context`
    /// an earlier file already set.
    public mutating func merge(_ other: KubeConfig) {
        for (name, cluster) in other.clusters where clusters[name] == nil { clusters[name] = cluster }
        for (name, user) in other.users where users[name] == nil { users[name] = user }
        for (name, context) in other.contexts where contexts[name] == nil { contexts[name] = context }
        if currentContext?.isEmpty ?? true, let next = other.currentContext, !next.isEmpty { currentContext = next }
        files += other.files
    }

    var isEmpty: Bool { clusters.isEmpty && users.isEmpty && contexts.isEmpty && (currentContext ?? "").isEmpty }

    /// Parse one kubeconfig document. Relative paths are made absolute against `file`'s directory.
    public static func parse(_ value: Value, file: String) throws(KubeError) -> KubeConfig {
        var config = KubeConfig()
        config.files = [file]
        if value.isNull { return config }
        guard value.objectValue != nil else { throw KubeError(.config, "\(file): kubeconfig is not a mapping") }
        let reader = FieldReader(file: file, baseDirectory: (absolutePath(file) as NSString).deletingLastPathComponent)
        config.currentContext = try reader.string(value["current-context"], "current-context")

        for (index, entry) in try reader.list(value["clusters"], "clusters").enumerated() {
            let path = "clusters[\(index)]"
            let name = try reader.name(entry, path)
            guard config.clusters[name] == nil else { continue }
            let body = entry["cluster"] ?? .emptyObject
            let field = "\(path).cluster"
            var cluster = Cluster(file: file)
            cluster.server = try reader.string(body["server"], field + ".server") ?? ""
            cluster.certificateAuthority = try reader.path(body["certificate-authority"], field + ".certificate-authority")
            cluster.certificateAuthorityData = try reader.base64(
                body["certificate-authority-data"], field + ".certificate-authority-data")
            cluster.insecureSkipTLSVerify = try reader.bool(body["insecure-skip-tls-verify"], field + ".insecure-skip-tls-verify")
            cluster.tlsServerName = try reader.string(body["tls-server-name"], field + ".tls-server-name")
            cluster.proxyURL = try reader.string(body["proxy-url"], field + ".proxy-url")
            cluster.disableCompression = try reader.bool(body["disable-compression"], field + ".disable-compression")
            for ext in try reader.list(body["extensions"], field + ".extensions")
            where ext["name"]?.stringValue == "client.authentication.k8s.io/exec" {
                cluster.execExtension = ext["extension"]
            }
            config.clusters[name] = cluster
        }

        for (index, entry) in try reader.list(value["users"], "users").enumerated() {
            let path = "users[\(index)]"
            let name = try reader.name(entry, path)
            guard config.users[name] == nil else { continue }
            let body = entry["user"] ?? .emptyObject
            let field = "\(path).user"
            var user = User(file: file)
            user.clientCertificate = try reader.path(body["client-certificate"], field + ".client-certificate")
            user.clientCertificateData = try reader.base64(body["client-certificate-data"], field + ".client-certificate-data")
            user.clientKey = try reader.path(body["client-key"], field + ".client-key")
            user.clientKeyData = try reader.base64(body["client-key-data"], field + ".client-key-data")
            user.token = try reader.string(body["token"], field + ".token")
            user.tokenFile = try reader.path(body["tokenFile"], field + ".tokenFile")
            user.username = try reader.string(body["username"], field + ".username")
            user.password = try reader.string(body["password"], field + ".password")
            user.impersonate = try reader.string(body["as"], field + ".as")
            user.impersonateUID = try reader.string(body["as-uid"], field + ".as-uid")
            user.impersonateGroups = try reader.list(body["as-groups"], field + ".as-groups").compactMap(\.stringValue)
            if let provider = body["auth-provider"], !provider.isNull {
                user.authProvider = provider["name"]?.stringValue ?? "unnamed"
            }
            if let exec = body["exec"], !exec.isNull {
                user.exec = try ExecConfig.parse(exec, field: field + ".exec", user: name, reader: reader)
            }
            config.users[name] = user
        }

        for (index, entry) in try reader.list(value["contexts"], "contexts").enumerated() {
            let path = "contexts[\(index)]"
            let name = try reader.name(entry, path)
            guard config.contexts[name] == nil else { continue }
            let body = entry["context"] ?? .emptyObject
            let field = "\(path).context"
            var context = Context(file: file)
            context.cluster = try reader.string(body["cluster"], field + ".cluster") ?? ""
            context.user = try reader.string(body["user"], field + ".user") ?? ""
            context.namespace = try reader.string(body["namespace"], field + ".namespace")
            config.contexts[name] = context
        }
        return config
    }
}

/// Typed access to kubeconfig fields with errors naming the file and the field.
struct FieldReader {
    var file: String
    var baseDirectory: String

    func fail(_ field: String, _ problem: String) -> KubeError {
        KubeError(.config, "\(file): \(field): \(problem)")
    }

    func string(_ value: Value?, _ field: String) throws(KubeError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        case .bool(let b)?: return String(b)
        default: throw fail(field, "expected a string")
        }
    }

    func bool(_ value: Value?, _ field: String) throws(KubeError) -> Bool {
        switch value {
        case nil, .null?: return false
        case .bool(let b)?: return b
        case .string("true")?: return true
        case .string("false")?: return false
        default: throw fail(field, "expected true or false")
        }
    }

    func list(_ value: Value?, _ field: String) throws(KubeError) -> [Value] {
        switch value {
        case nil, .null?: return []
        case .array(let a)?: return a
        default: throw fail(field, "expected a list")
        }
    }

    func name(_ entry: Value, _ field: String) throws(KubeError) -> String {
        guard let name = try string(entry["name"], field + ".name"), !name.isEmpty else {
            throw fail(field + ".name", "missing name")
        }
        return name
    }

    func path(_ value: Value?, _ field: String) throws(KubeError) -> String? {
        guard let raw = try string(value, field), !raw.isEmpty else { return nil }
        return resolve(raw)
    }

    func resolve(_ raw: String) -> String {
        raw.hasPrefix("/") ? raw : (baseDirectory as NSString).appendingPathComponent(raw)
    }

    func base64(_ value: Value?, _ field: String) throws(KubeError) -> [UInt8]? {
        guard let raw = try string(value, field), !raw.isEmpty else { return nil }
        let cleaned = raw.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: cleaned) else { throw fail(field, "illegal base64 data") }
        return [UInt8](data)
    }
}

func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    return (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
}

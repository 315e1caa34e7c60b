import Foundation
import Structured

/// Finds, merges and resolves kubeconfig the way kubectl does.
///
/// Precedence: `--kubeconfig` (must exist) > `KUBECONFIG` (a `:`-separated list, missing files
/// skipped, first file to set a key wins) > `~/.kube/config` > in-cluster service account.
public struct KubeConfigLoader: Sendable {
    /// `--kubeconfig`.
    public var explicitPath: String?
    /// `--kube-context`.
    public var contextOverride: String?
    /// `-n/--namespace`, when the caller wants it to win over the context's namespace.
    public var namespaceOverride: String?
    public var environment: [String: String]
    public var homeDirectory: String
    /// Directory of the service-account files (`token`, `ca.crt`, `namespace`); injectable for tests.
    public var inClusterRoot: String

    public static let defaultInClusterRoot = "/var/run/secrets/kubernetes.io/serviceaccount"

    public init(
        kubeconfig: String? = nil, context: String? = nil, namespace: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String? = nil, inClusterRoot: String = KubeConfigLoader.defaultInClusterRoot
    ) {
        self.explicitPath = kubeconfig.flatMap { $0.isEmpty ? nil : $0 }
        self.contextOverride = context.flatMap { $0.isEmpty ? nil : $0 }
        self.namespaceOverride = namespace.flatMap { $0.isEmpty ? nil : $0 }
        self.environment = environment
        self.homeDirectory = homeDirectory ?? environment["HOME"] ?? NSHomeDirectory()
        self.inClusterRoot = inClusterRoot
    }

    /// The kubeconfig files that would be read, in precedence order.
    public var configPaths: [String] {
        if let explicitPath { return [explicitPath] }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            return list.split(separator: ":").map(String.init).filter { !$0.isEmpty && seen.insert($0).inserted }
        }
        return [(homeDirectory as NSString).appendingPathComponent(".kube/config")]
    }

    /// Read and merge the kubeconfig files (no in-cluster fallback).
    public func loadConfig() throws(KubeError) -> KubeConfig {
        var merged = KubeConfig()
        for path in configPaths {
            guard FileManager.default.fileExists(atPath: path) else {
                if explicitPath != nil {
                    throw KubeError(.config, "kubeconfig \(path) does not exist (given by --kubeconfig)")
                }
                continue
            }
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw KubeError(.config, "unable to read kubeconfig \(path): \(describeFileError(error))")
            }
            let value: Value
            do {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.isEmpty {
                    value = .null
                } else if trimmed.hasPrefix("{") {
                    value = try JSON.decode(text, file: path)  // JSON kubeconfigs: skip the YAML parser
                } else {
                    value = try YAML.decode(text, mode: .manifest, file: path)
                }
            } catch {
                throw KubeError(.config, "unable to parse kubeconfig \(path): \(error)")
            }
            merged.merge(try KubeConfig.parse(value, file: path))
        }
        return merged
    }

    /// Resolve the connection: pick the context, read certificates and keys, choose authentication.
    public func load() throws(KubeError) -> ClusterConnection {
        let config = try loadConfig()
        if config.isEmpty && contextOverride == nil && environment["KUBERNETES_SERVICE_HOST"] != nil {
            return try InClusterConfig(root: inClusterRoot, environment: environment).load(namespaceOverride: namespaceOverride)
        }
        return try resolve(config)
    }

    func filesDescription(_ config: KubeConfig) -> String {
        let files = config.files.isEmpty ? configPaths : config.files
        return "(files: \(files.joined(separator: ", ")))"
    }

    /// Turn a merged config into a connection for the chosen context.
    public func resolve(_ config: KubeConfig) throws(KubeError) -> ClusterConnection {
        if config.isEmpty {
            throw KubeError(
                .config,
                "no kubeconfig found (looked for \(configPaths.joined(separator: ", "))) and not running in a cluster; pass --kubeconfig or set KUBECONFIG")
        }
        guard let contextName = contextOverride ?? config.currentContext, !contextName.isEmpty else {
            throw KubeError(.config, "no current-context is set in kubeconfig \(filesDescription(config)); pass --kube-context")
        }
        guard let context = config.contexts[contextName] else {
            throw KubeError(.config, "context \"\(contextName)\" not found in kubeconfig \(filesDescription(config))")
        }
        guard !context.cluster.isEmpty else {
            throw KubeError(.config, "\(context.file): context \"\(contextName)\" names no cluster")
        }
        guard let cluster = config.clusters[context.cluster] else {
            throw KubeError(
                .config, "cluster \"\(context.cluster)\" of context \"\(contextName)\" not found in kubeconfig \(filesDescription(config))")
        }
        var user = KubeConfig.User()
        if !context.user.isEmpty {
            guard let found = config.users[context.user] else {
                throw KubeError(
                    .config, "user \"\(context.user)\" of context \"\(contextName)\" not found in kubeconfig \(filesDescription(config))")
            }
            user = found
        }
        guard !cluster.server.isEmpty else {
            throw KubeError(.config, "\(cluster.file): cluster \"\(context.cluster)\" has no server")
        }
        guard let url = URLParts(cluster.server) else {
            throw KubeError(.config, "\(cluster.file): cluster \"\(context.cluster)\": invalid server URL \"\(cluster.server)\"")
        }

        var tls = TLSMaterial(insecureSkipVerify: cluster.insecureSkipTLSVerify, serverName: cluster.tlsServerName)
        let caPEM: [UInt8]?
        let caWhat: String
        if let data = cluster.certificateAuthorityData {
            caPEM = data
            caWhat = "certificate-authority-data of cluster \"\(context.cluster)\" (\(cluster.file))"
        } else if let path = cluster.certificateAuthority {
            caPEM = try readCredentialFile(path, what: "certificate-authority", owner: "cluster \"\(context.cluster)\"")
            caWhat = "certificate-authority \(path) of cluster \"\(context.cluster)\""
        } else {
            caPEM = nil
            caWhat = ""
        }
        if let caPEM {
            if cluster.insecureSkipTLSVerify {
                // client-go refuses this combination rather than silently ignoring one of them.
                throw KubeError(
                    .config,
                    "\(cluster.file): cluster \"\(context.cluster)\": specifying a root certificates file with the insecure flag is not allowed")
            }
            tls.certificateAuthorities = try TLSMaterial.certificates(pem: caPEM, what: "unable to load " + caWhat)
            tls.certificateAuthorityPEM = caPEM
        }

        let owner = "user \"\(context.user)\""
        var certPEM = user.clientCertificateData
        if certPEM == nil, let path = user.clientCertificate {
            certPEM = try readCredentialFile(path, what: "client-cert", owner: owner)
        }
        var keyPEM = user.clientKeyData
        if keyPEM == nil, let path = user.clientKey {
            keyPEM = try readCredentialFile(path, what: "client-key", owner: owner)
        }
        switch (certPEM, keyPEM) {
        case (let cert?, let key?):
            let certWhat = user.clientCertificate.map { "client-cert \($0) for \(owner)" } ?? "client-certificate-data for \(owner)"
            let keyWhat = user.clientKey.map { "client-key \($0) for \(owner)" } ?? "client-key-data for \(owner)"
            tls.clientCertificateChain = try TLSMaterial.certificates(pem: cert, what: "unable to load " + certWhat)
            tls.clientKey = try TLSMaterial.privateKey(pem: key, what: "unable to load " + keyWhat)
        case (.some, nil):
            throw KubeError(.config, "\(user.file): \(owner) has a client certificate but no client-key")
        case (nil, .some):
            throw KubeError(.config, "\(user.file): \(owner) has a client-key but no client certificate")
        case (nil, nil):
            break
        }

        var authentication = ClusterConnection.Authentication.none
        if let provider = user.authProvider {
            throw KubeError(
                .config,
                "\(user.file): \(owner) uses auth-provider \"\(provider)\", which is not supported; use an exec credential plugin instead")
        }
        var methods = 0
        if let token = user.token, !token.isEmpty {
            authentication = .bearerToken(token)
            methods += 1
        } else if let tokenFile = user.tokenFile {
            // Read once now so a missing file fails at load, not on the first request.
            _ = try readCredentialFile(tokenFile, what: "tokenFile", owner: owner)
            authentication = .tokenFile(tokenFile)
            methods += 1
        }
        if let username = user.username, !username.isEmpty {
            authentication = .basic(username: username, password: user.password ?? "")
            methods += 1
        }
        if let exec = user.exec {
            if methods == 0 { authentication = .exec(exec) }
            methods += 1
        }
        if methods > 1 {
            throw KubeError(.config, "\(user.file): \(owner): more than one authentication method found (token, basic auth, exec); choose one")
        }

        var info: Value = [
            "server": .string(cluster.server),
            "insecure-skip-tls-verify": .bool(cluster.insecureSkipTLSVerify),
        ]
        if let name = cluster.tlsServerName { info["tls-server-name"] = .string(name) }
        if let caPEM { info["certificate-authority-data"] = .string(Data(caPEM).base64EncodedString()) }
        if let proxy = cluster.proxyURL { info["proxy-url"] = .string(proxy) }
        if cluster.disableCompression { info["disable-compression"] = true }
        if let ext = cluster.execExtension { info["config"] = ext }

        if let proxy = cluster.proxyURL, !proxy.isEmpty {
            guard let parts = URLParts(proxy.replacingOccurrences(of: "socks5://", with: "http://")) , !parts.host.isEmpty else {
                throw KubeError(.config, "\(cluster.file): cluster \"\(context.cluster)\": invalid proxy-url \"\(proxy)\"")
            }
        }

        var server = "\(url.scheme)://\(url.urlHost):\(url.port)\(url.path)"
        if url.scheme == "http" && url.port == 80 || url.scheme == "https" && url.port == 443 {
            server = "\(url.scheme)://\(url.urlHost)\(url.path)"
        }
        return ClusterConnection(
            server: server, contextName: contextName, clusterName: context.cluster, userName: context.user,
            namespace: namespaceOverride ?? (context.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"),
            tls: tls, authentication: authentication, proxyURL: cluster.proxyURL.flatMap { $0.isEmpty ? nil : $0 },
            impersonation: user.impersonate.map {
                ClusterConnection.Impersonation(user: $0, uid: user.impersonateUID, groups: user.impersonateGroups)
            },
            configFiles: config.files, execClusterInfo: info)
    }
}

/// Read a certificate, key or token file; the error names the field, the path and the owner.
func readCredentialFile(_ path: String, what: String, owner: String) throws(KubeError) -> [UInt8] {
    do {
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
        throw KubeError(.credentials, "unable to read \(what) \(path) for \(owner): \(describeFileError(error))")
    }
}

/// `no such file`, `permission denied`... from a Foundation file error.
func describeFileError(_ error: any Error) -> String {
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return posixDescription(Int32(underlying.code))
    }
    switch ns.code {
    case NSFileReadNoSuchFileError, NSFileNoSuchFileError: return "no such file"
    case NSFileReadNoPermissionError: return "permission denied"
    default: return ns.localizedDescription
    }
}

func posixDescription(_ code: Int32) -> String {
    switch code {
    case ENOENT: return "no such file"
    case EACCES: return "permission denied"
    case EISDIR: return "is a directory"
    default: return String(cString: strerror(code))
    }
}

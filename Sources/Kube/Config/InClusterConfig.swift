import Foundation
import Structured

/// Service-account configuration of a pod: `KUBERNETES_SERVICE_HOST/PORT` plus the token,
/// CA and namespace files mounted at `root`.
struct InClusterConfig {
    var root: String
    var environment: [String: String]

    func load(namespaceOverride: String?) throws(KubeError) -> ClusterConnection {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw KubeError(
                .config, "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined")
        }
        let tokenPath = (root as NSString).appendingPathComponent("token")
        let caPath = (root as NSString).appendingPathComponent("ca.crt")
        let namespacePath = (root as NSString).appendingPathComponent("namespace")
        let owner = "the in-cluster service account"
        _ = try readCredentialFile(tokenPath, what: "token", owner: owner)
        let caPEM = try readCredentialFile(caPath, what: "certificate-authority", owner: owner)
        var tls = TLSMaterial()
        tls.certificateAuthorities = try TLSMaterial.certificates(pem: caPEM, what: "unable to load in-cluster CA \(caPath)")
        tls.certificateAuthorityPEM = caPEM
        var namespace = "default"
        if let data = FileManager.default.contents(atPath: namespacePath) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { namespace = text }
        }
        let urlHost = host.contains(":") ? "[\(host)]" : host
        let server = "https://\(urlHost):\(port)"
        return ClusterConnection(
            server: server, contextName: "in-cluster", clusterName: "in-cluster", userName: "serviceaccount",
            namespace: namespaceOverride ?? namespace, tls: tls, authentication: .tokenFile(tokenPath),
            configFiles: [], execClusterInfo: ["server": .string(server)])
    }
}

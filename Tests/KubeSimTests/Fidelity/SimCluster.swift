import Foundation
import Structured
import TestSupport
@testable import KubeSim

/// A kubesim started in-process (TLS, client-certificate kubeconfig, port 0) plus helpers that run
/// the real kubectl and helm against it with isolated caches.
final class SimCluster: Sendable {
    let server: KubeSimServer
    let directory: String
    let kubeconfig: String

    static func start(tls: Bool = true, audit: Bool = false) async throws -> SimCluster {
        let directory = try makeTemporaryDirectory("kubesim-fidelity")
        let kubeconfig = directory + "/kubeconfig"
        let server = try await KubeSimServer.start(.init(tls: tls, kubeconfigPath: kubeconfig,
                                                         auditLogPath: audit ? directory + "/audit.log" : nil))
        return SimCluster(server: server, directory: directory, kubeconfig: kubeconfig)
    }

    private init(server: KubeSimServer, directory: String, kubeconfig: String) {
        self.server = server
        self.directory = directory
        self.kubeconfig = kubeconfig
    }

    /// Run `body` against a fresh cluster, stopping it afterwards whatever happens.
    static func with(tls: Bool = true, _ body: (SimCluster) async throws -> Void) async throws {
        let sim = try await start(tls: tls)
        do {
            try await body(sim)
        } catch {
            await sim.stop()
            throw error
        }
        await sim.stop()
    }

    func stop() async {
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var environment: [String: String] {
        [
            "KUBECONFIG": kubeconfig, "HOME": directory,
            "HELM_CACHE_HOME": directory + "/helm/cache", "HELM_CONFIG_HOME": directory + "/helm/config",
            "HELM_DATA_HOME": directory + "/helm/data", "NO_PROXY": "*", "HTTPS_PROXY": "", "HTTP_PROXY": "",
        ]
    }

    /// Run an oracle off the cooperative pool (the server needs those threads while we wait).
    func run(_ oracle: Oracle, _ arguments: [String], input: String? = nil) async throws -> ProcessResult {
        let path = try oracle.path()
        let env = environment
        let dir = directory
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runProcess(path, arguments, input: input, environment: env, directory: dir) })
            }
        }
    }

    func kubectl(_ arguments: String..., input: String? = nil) async throws -> ProcessResult {
        try await run(.kubectl, arguments, input: input)
    }

    func kubectlJSON(_ arguments: String...) async throws -> Value {
        let result = try await run(.kubectl, arguments + ["-o", "json"])
        guard result.succeeded else { throw APIError.badRequest("kubectl \(arguments) failed: \(result.stderr)") }
        return try JSON.decode(result.stdout)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func fixture(_ relative: String) -> String {
        Repository.root + "/Tests/Fixtures/KubeSim/" + relative
    }
}

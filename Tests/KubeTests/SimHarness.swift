import Foundation
import KubeSim
import SimClusterSupport
import Structured
import TestSupport

@testable import Kube

/// The shared in-process kubesim (TLS, audit log) plus kubeconfig writers for each auth mode.
final class SimHarness: Sendable {
    let sim: SimCluster
    var server: KubeSimServer { sim.server }
    var directory: String { sim.directory }
    var auditPath: String { sim.auditLog }

    /// - Parameters:
    ///   - clockScale: simulated seconds per real second for the kubelet and controllers.
    ///   - basicAuth: users the server accepts with `Authorization: Basic`.
    static func start(faults: FaultPlan = FaultPlan(), clockScale: Double = 1, basicAuth: [String: String] = [:]) async throws
        -> SimHarness
    {
        var options = SimCluster.simulated(scale: clockScale)
        options.faults = faults
        options.basicAuth = basicAuth
        return SimHarness(sim: try await SimCluster.start(options))
    }

    private init(sim: SimCluster) { self.sim = sim }

    /// Run `body` with a fresh server, stopped afterwards whatever happens.
    static func with(
        faults: FaultPlan = FaultPlan(), clockScale: Double = 1, basicAuth: [String: String] = [:],
        _ body: (SimHarness) async throws -> Void
    ) async throws {
        let sim = try await start(faults: faults, clockScale: clockScale, basicAuth: basicAuth)
        do { try await body(sim) } catch {
            await sim.stop()
            throw error
        }
        await sim.stop()
    }

    func stop() async { await sim.stop() }

    var ca: CertificateAuthority { server.certificateAuthority! }
    var caData: String { Data(ca.caCertificatePEM.utf8).base64EncodedString() }

    /// Write a kubeconfig with cluster `sim` (this server) and the given user; context `sim`.
    @discardableResult
    func writeKubeconfig(
        user: Value, name: String = "config.json", cluster extra: Value = [:], namespace: String? = nil
    ) throws -> String {
        var cluster: Value = ["server": .string(server.url), "certificate-authority-data": .string(caData)]
        for (k, v) in extra.objectValue ?? [:] { cluster[k] = v }
        return try KubeFixtures.writeConfig(
            KubeFixtures.config(
                clusters: [KubeFixtures.cluster("sim", cluster)], users: [KubeFixtures.user("me", user)],
                contexts: [KubeFixtures.context("sim", cluster: "sim", user: "me", namespace: namespace)], current: "sim"),
            in: directory, name: name)
    }

    var certificateUser: Value {
        [
            "client-certificate-data": .string(Data(ca.clientCertificatePEM.utf8).base64EncodedString()),
            "client-key-data": .string(Data(ca.clientKeyPEM.utf8).base64EncodedString()),
        ]
    }

    /// A client for `kubeconfig` (default: client certificate), discovery cached under the sim dir.
    func client(
        kubeconfig: String? = nil, options: TransportOptions = SimHarness.fastOptions, cache: Bool = true
    ) throws -> HTTPKubeClient {
        let path = try kubeconfig ?? writeKubeconfig(user: certificateUser, name: "cert.json")
        let connection = try KubeConfigLoader(kubeconfig: path, environment: [:], homeDirectory: directory).load()
        return try HTTPKubeClient(
            connection: connection, options: options, discoveryCacheDirectory: cache ? directory + "/cache" : nil)
    }

    /// Quick retries so fault tests stay fast.
    static var fastOptions: TransportOptions {
        var options = TransportOptions()
        options.retry = RetryPolicy(maxAttempts: 8, initialDelay: .milliseconds(5), maxDelay: .milliseconds(50))
        return options
    }

    /// Every request the server saw, in order.
    func audit() throws -> [Value] { try sim.auditLines() }
}

/// `withClient` runs `body` and always shuts the client down.
func withClient<T>(_ client: HTTPKubeClient, _ body: (HTTPKubeClient) async throws -> T) async throws -> T {
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}

func configMap(_ name: String, namespace: String? = "default", data: Value = ["k": "v"], labels: Value? = nil) -> Value {
    var metadata: Value = ["name": .string(name)]
    if let namespace { metadata["namespace"] = .string(namespace) }
    if let labels { metadata["labels"] = labels }
    return ["apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": data]
}

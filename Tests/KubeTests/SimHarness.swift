import Foundation
import KubeSim
import Structured
import TestSupport

@testable import Kube

/// An in-process kubesim over TLS with an audit log, plus kubeconfig writers for each auth mode.
final class SimHarness: Sendable {
    let server: KubeSimServer
    let directory: String
    let auditPath: String

    /// - Parameters:
    ///   - clockScale: simulated seconds per real second for the kubelet and controllers.
    ///   - basicAuth: users the server accepts with `Authorization: Basic`.
    static func start(faults: FaultPlan = FaultPlan(), clockScale: Double = 1, basicAuth: [String: String] = [:]) async throws
        -> SimHarness
    {
        let directory = try makeTemporaryDirectory("kube-sim")
        let audit = directory + "/audit.log"
        var options = KubeSimServer.Options(
            tls: true, kubeconfigPath: directory + "/kubesim.yaml", auditLogPath: audit, faults: faults,
            simulation: SimulationOptions(clock: SimClock(scale: clockScale)))
        options.basicAuth = basicAuth
        let server = try await KubeSimServer.start(options)
        return SimHarness(server: server, directory: directory, auditPath: audit)
    }

    private init(server: KubeSimServer, directory: String, auditPath: String) {
        self.server = server
        self.directory = directory
        self.auditPath = auditPath
    }

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

    func stop() async {
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

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
    func audit() throws -> [Value] {
        let text = (try? String(contentsOfFile: auditPath, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try WireJSON.decode(String($0)) }
    }
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

import Foundation
import Kube
import KubeSim
import Structured
import TestSupport

/// An in-process kubesim for tests: its own temporary directory, a kubeconfig (client certificate
/// over TLS, token otherwise), an audit log, Bosun's Kube client, and runners for the real helm and
/// kubectl with caches isolated in that directory. Test targets add their own helpers in extensions.
public final class SimCluster: Sendable {
    public let server: KubeSimServer
    public let directory: String
    public let kubeconfig: String
    public let auditLog: String
    public let client: HTTPKubeClient

    /// Start a server with `options` (its kubeconfig and audit log paths are set here), run `body`,
    /// and stop everything afterwards whatever happens.
    public static func with<T>(_ options: KubeSimServer.Options, _ body: (SimCluster) async throws -> T) async throws -> T {
        let sim = try await start(options)
        do {
            let result = try await body(sim)
            await sim.stop()
            return result
        } catch {
            await sim.stop()
            throw error
        }
    }

    /// Options for a TLS cluster with controllers and kubelet on a clock running `scale` simulated
    /// seconds per real second.
    public static func simulated(scale: Double = 1, tls: Bool = true) -> KubeSimServer.Options {
        KubeSimServer.Options(tls: tls, simulation: SimulationOptions(clock: SimClock(scale: scale)))
    }

    /// Start a server; the caller must `stop()` it.
    public static func start(_ options: KubeSimServer.Options) async throws -> SimCluster {
        let directory = try makeTemporaryDirectory("sim")
        var options = options
        options.kubeconfigPath = directory + "/kubeconfig"
        options.auditLogPath = directory + "/audit.log"
        let server = try await KubeSimServer.start(options)
        do {
            let connection = try KubeConfigLoader(kubeconfig: directory + "/kubeconfig", environment: [:], homeDirectory: directory).load()
            let client = try HTTPKubeClient(connection: connection, discoveryCacheDirectory: nil)
            return SimCluster(server: server, directory: directory, client: client)
        } catch {
            await server.shutdown()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    private init(server: KubeSimServer, directory: String, client: HTTPKubeClient) {
        self.server = server
        self.directory = directory
        self.kubeconfig = directory + "/kubeconfig"
        self.auditLog = directory + "/audit.log"
        self.client = client
    }

    public func stop() async {
        await client.shutdown()
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The object, or nil when it does not exist.
    public func object(_ apiVersion: String, _ kind: String, _ name: String, namespace: String? = "default") async throws -> Value? {
        do {
            return try await client.get(ObjectReference(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name))
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }
}

// MARK: - Real clients

extension SimCluster {
    /// The environment for helm and kubectl: this cluster's kubeconfig, caches and home inside the
    /// cluster's directory, no proxies, UTC, no colour.
    public func environment(helmDriver: String = "secret") -> [String: String] {
        [
            "KUBECONFIG": kubeconfig, "HOME": directory, "HELM_DRIVER": helmDriver, "TZ": "UTC", "NO_COLOR": "1",
            "HELM_CACHE_HOME": directory + "/helm/cache", "HELM_CONFIG_HOME": directory + "/helm/config",
            "HELM_DATA_HOME": directory + "/helm/data", "NO_PROXY": "*", "HTTPS_PROXY": "", "HTTP_PROXY": "",
        ]
    }

    /// Run an oracle off the cooperative pool (the in-process server needs those threads meanwhile).
    public func run(_ oracle: Oracle, _ arguments: [String], input: String? = nil, helmDriver: String = "secret")
        async throws -> ProcessResult
    {
        let path = try oracle.path()
        let env = environment(helmDriver: helmDriver)
        let dir = directory
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runProcess(path, arguments, input: input, environment: env, directory: dir) })
            }
        }
    }

    public func helm(_ oracle: Oracle, _ arguments: [String], driver: String = "secret") async throws -> ProcessResult {
        try await run(oracle, arguments, helmDriver: driver)
    }

    /// helm that must succeed; returns stdout.
    @discardableResult
    public func helmOK(_ oracle: Oracle, _ arguments: [String], driver: String = "secret") async throws -> String {
        let r = try await helm(oracle, arguments, driver: driver)
        guard r.succeeded else { throw CommandFailure(description: "\(oracle) \(arguments.joined(separator: " ")): \(r.stderr)") }
        return r.stdout
    }

    public struct CommandFailure: Error, CustomStringConvertible {
        public var description: String
    }
}

// MARK: - Audit log

extension SimCluster {
    /// One line of the audit log.
    public struct Request: Sendable, CustomStringConvertible {
        public var verb: String
        public var method: String
        public var kind: String
        public var namespace: String
        public var name: String
        public var dryRun: Bool
        public var code: Int
        public var userAgent: String
        public var description: String { "\(verb) \(kind) \(namespace)/\(name)\(dryRun ? " (dry run)" : "") -> \(code)" }
    }

    /// Every audit line so far, as logged.
    public func auditLines() throws -> [Value] {
        let text = (try? String(contentsOfFile: auditLog, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try JSON.decode(String($0)) }
    }

    /// Every request logged so far.
    public func requests() throws -> [Request] {
        try auditLines().map { v in
            Request(
                verb: v["verb"]?.stringValue ?? "", method: v["method"]?.stringValue ?? "", kind: v["kind"]?.stringValue ?? "",
                namespace: v["namespace"]?.stringValue ?? "", name: v["name"]?.stringValue ?? "",
                dryRun: v["dryRun"]?.boolValue ?? false, code: Int(v["code"]?.intValue ?? 0),
                userAgent: v["userAgent"]?.stringValue ?? "")
        }
    }

    /// Writes (not dry runs) that changed something, in order.
    public func writes() throws -> [Request] {
        try requests().filter { ["create", "update", "patch", "delete"].contains($0.verb) && !$0.dryRun && $0.code < 400 }
    }
}

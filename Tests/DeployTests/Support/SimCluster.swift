import Deploy
import Foundation
import Kube
import KubeSim
import Releases
import Structured
import TestSupport

/// An in-process kubesim (controllers and kubelet on, audit log) with Bosun's client, for deploy tests.
final class SimCluster: Sendable {
    let server: KubeSimServer
    let directory: String
    let kubeconfig: String
    let auditLog: String
    let client: HTTPKubeClient

    /// `scale`: simulated seconds per real second (pods start after 0.5 simulated seconds).
    static func with(scale: Double = 4, _ body: (SimCluster) async throws -> Void) async throws {
        let directory = try makeTemporaryDirectory("deploy-sim")
        let kubeconfig = directory + "/kubeconfig"
        let audit = directory + "/audit.log"
        let server = try await KubeSimServer.start(.init(
            tls: true, kubeconfigPath: kubeconfig, auditLogPath: audit,
            simulation: SimulationOptions(clock: SimClock(scale: scale))))
        let sim: SimCluster
        do {
            let connection = try KubeConfigLoader(kubeconfig: kubeconfig, environment: [:], homeDirectory: directory).load()
            sim = SimCluster(server: server, directory: directory, kubeconfig: kubeconfig, auditLog: audit,
                             client: try HTTPKubeClient(connection: connection, discoveryCacheDirectory: nil))
        } catch {
            await server.shutdown()
            throw error
        }
        do { try await body(sim) } catch {
            await sim.stop()
            throw error
        }
        await sim.stop()
    }

    private init(server: KubeSimServer, directory: String, kubeconfig: String, auditLog: String, client: HTTPKubeClient) {
        self.server = server
        self.directory = directory
        self.kubeconfig = kubeconfig
        self.auditLog = auditLog
        self.client = client
    }

    func stop() async {
        await client.shutdown()
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func store(namespace: String = "default") -> ReleaseStore {
        ReleaseStore(driver: ObjectDriver(.secret, api: KubeClusterObjects(client: client), namespace: namespace))
    }

    static func chart(_ name: String) -> String { Repository.root + "/Tests/Fixtures/Deploy/charts/" + name }

    /// The object, or nil when it does not exist.
    func object(_ apiVersion: String, _ kind: String, _ name: String, namespace: String? = "default") async throws -> Value? {
        do {
            return try await client.get(ObjectReference(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name))
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }

    /// One line of the audit log.
    struct Request: Sendable, CustomStringConvertible {
        var verb: String
        var method: String
        var kind: String
        var namespace: String
        var name: String
        var dryRun: Bool
        var code: Int
        var userAgent: String
        var description: String { "\(verb) \(kind) \(namespace)/\(name)\(dryRun ? " (dry run)" : "") -> \(code)" }
    }

    /// Every request logged so far.
    func requests() throws -> [Request] {
        let text = try String(contentsOfFile: auditLog, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let v = try JSON.decode(String(line))
            return Request(
                verb: v["verb"]?.stringValue ?? "", method: v["method"]?.stringValue ?? "", kind: v["kind"]?.stringValue ?? "",
                namespace: v["namespace"]?.stringValue ?? "", name: v["name"]?.stringValue ?? "",
                dryRun: v["dryRun"]?.boolValue ?? false, code: Int(v["code"]?.intValue ?? 0),
                userAgent: v["userAgent"]?.stringValue ?? "")
        }
    }

    /// Writes (not dry runs) that changed something, in order.
    func writes() throws -> [Request] {
        try requests().filter { ["create", "update", "patch", "delete"].contains($0.verb) && !$0.dryRun && $0.code < 400 }
    }
}

extension SimCluster {
    /// Run helm against this cluster (off the cooperative pool: the in-process server needs it).
    func helm(_ oracle: Oracle, _ arguments: [String]) async throws -> ProcessResult {
        let path = try oracle.path()
        let env = [
            "KUBECONFIG": kubeconfig, "HOME": directory, "HELM_DRIVER": "secret", "TZ": "UTC", "NO_COLOR": "1",
            "HELM_CACHE_HOME": directory + "/helm/cache", "HELM_CONFIG_HOME": directory + "/helm/config",
            "HELM_DATA_HOME": directory + "/helm/data", "NO_PROXY": "*", "HTTPS_PROXY": "", "HTTP_PROXY": "",
        ]
        let dir = directory
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runProcess(path, arguments, environment: env, directory: dir) })
            }
        }
    }

    struct HelmFailure: Error, CustomStringConvertible { var description: String }

    /// helm that must succeed; returns stdout.
    @discardableResult
    func helmOK(_ oracle: Oracle, _ arguments: [String]) async throws -> String {
        let r = try await helm(oracle, arguments)
        guard r.succeeded else { throw HelmFailure(description: "\(oracle) \(arguments.joined(separator: " ")): \(r.stderr)") }
        return r.stdout
    }
}

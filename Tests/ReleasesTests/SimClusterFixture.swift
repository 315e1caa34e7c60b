import Foundation
import Kube
import KubeSim
import Releases
import Structured
import TestSupport

/// An in-process kubesim with Bosun's Kube client and helpers that run real helm against it.
final class SimClusterFixture: Sendable {
    let server: KubeSimServer
    let directory: String
    let kubeconfig: String
    let client: HTTPKubeClient

    static func with(_ body: (SimClusterFixture) async throws -> Void) async throws {
        let directory = try makeTemporaryDirectory("releases-sim")
        let kubeconfig = directory + "/kubeconfig"
        let server = try await KubeSimServer.start(.init(tls: true, kubeconfigPath: kubeconfig))
        let sim: SimClusterFixture
        do {
            let connection = try KubeConfigLoader(kubeconfig: kubeconfig, environment: [:], homeDirectory: directory).load()
            sim = SimClusterFixture(server: server, directory: directory, kubeconfig: kubeconfig,
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

    private init(server: KubeSimServer, directory: String, kubeconfig: String, client: HTTPKubeClient) {
        self.server = server
        self.directory = directory
        self.kubeconfig = kubeconfig
        self.client = client
    }

    func stop() async {
        await client.shutdown()
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var objects: KubeClusterObjects { KubeClusterObjects(client: client) }

    func store(_ backend: ObjectDriver.Backend = .secret, namespace: String? = "default", maxHistory: Int = 10) -> ReleaseStore {
        ReleaseStore(driver: ObjectDriver(backend, api: objects, namespace: namespace), maxHistory: maxHistory)
    }

    /// Run helm (off the cooperative pool: the in-process server needs those threads meanwhile).
    func helm(_ oracle: Oracle, _ arguments: [String], driver: String = "secret") async throws -> ProcessResult {
        let path = try oracle.path()
        let env = [
            "KUBECONFIG": kubeconfig, "HOME": directory, "HELM_DRIVER": driver, "TZ": "UTC", "NO_COLOR": "1",
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

    /// helm that must succeed; returns stdout.
    func helmOK(_ oracle: Oracle, _ arguments: [String], driver: String = "secret") async throws -> String {
        let r = try await helm(oracle, arguments, driver: driver)
        guard r.succeeded else { throw HelmFixtures.Failure("\(oracle) \(arguments.joined(separator: " ")): \(r.stderr)") }
        return r.stdout
    }

    /// A small chart on disk: one ConfigMap from `.Values.greeting`, and its notes.
    func tinyChart() throws -> String {
        let chart = directory + "/tiny"
        try FileManager.default.createDirectory(atPath: chart + "/templates", withIntermediateDirectories: true)
        try TinyChart.chartYAML.write(toFile: chart + "/Chart.yaml", atomically: true, encoding: .utf8)
        try TinyChart.valuesYAML.write(toFile: chart + "/values.yaml", atomically: true, encoding: .utf8)
        try TinyChart.template.write(toFile: chart + "/templates/cm.yaml", atomically: true, encoding: .utf8)
        try TinyChart.notes.write(toFile: chart + "/templates/NOTES.txt", atomically: true, encoding: .utf8)
        return chart
    }
}

/// The tiny chart's files, and the release record Bosun writes for it (as Deploy would).
enum TinyChart {
    static let chartYAML = "apiVersion: v2\nname: tiny\nversion: 0.1.0\nappVersion: \"1.0\"\n"
    static let valuesYAML = "greeting: hello\n"
    static let template = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-cm
        data:
          greeting: {{ .Values.greeting | quote }}

        """
    static let notes = "Say {{ .Values.greeting }}.\n"

    static func manifest(release: String, greeting: String) -> String {
        "---\n# Source: tiny/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(release)-cm\ndata:\n  greeting: \"\(greeting)\""
    }

    static func record(name: String, namespace: String, version: Int, greeting: String, status: ReleaseStatus, at: GoTime) -> Release {
        let files = [ChartFile(name: "templates/cm.yaml", data: Array(template.utf8)),
                     ChartFile(name: "templates/NOTES.txt", data: Array(notes.utf8))]
        let chart = ReleaseChart(
            metadata: ["name": "tiny", "version": "0.1.0", "apiVersion": "v2", "appVersion": "1.0"],
            templates: files, values: ["greeting": "hello"],
            files: [ChartFile(name: "values.yaml", data: Array(valuesYAML.utf8))])
        return Release(
            name: name, namespace: namespace, version: version,
            info: ReleaseInfo(firstDeployed: at, lastDeployed: at, description: "Install complete", status: status,
                              notes: "Say \(greeting)."),
            chart: chart, config: greeting == "hello" ? .emptyObject : ["greeting": .string(greeting)],
            manifest: manifest(release: name, greeting: greeting), applyMethod: "ssa")
    }

    /// The ConfigMap of the manifest with Helm's ownership metadata, as a deploy would create it.
    static func liveObject(release: String, namespace: String, greeting: String) -> Value {
        [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": [
                "name": .string("\(release)-cm"), "namespace": .string(namespace),
                "labels": ["app.kubernetes.io/managed-by": "Helm"],
                "annotations": ["meta.helm.sh/release-name": .string(release), "meta.helm.sh/release-namespace": .string(namespace)],
            ],
            "data": ["greeting": .string(greeting)],
        ]
    }
}

import Foundation
import Kube
import KubeSim
import Releases
import SimClusterSupport
import Structured
import TestSupport

/// Releases tests run real helm against the shared in-process kubesim.
extension SimCluster {
    static func with(_ body: (SimCluster) async throws -> Void) async throws {
        try await with(KubeSimServer.Options(tls: true), body)
    }

    var objects: KubeClusterObjects { KubeClusterObjects(client: client) }

    func store(_ backend: ObjectDriver.Backend = .secret, namespace: String? = "default", maxHistory: Int = 10) -> ReleaseStore {
        ReleaseStore(driver: ObjectDriver(backend, api: objects, namespace: namespace), maxHistory: maxHistory)
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

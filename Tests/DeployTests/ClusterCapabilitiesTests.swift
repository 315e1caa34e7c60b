import Charts
import Deploy
import Foundation
import Kube
import SimClusterSupport
import Structured
import Testing
import TestSupport

/// Converge renders a chart as `helm install` does against the same cluster: `.Capabilities` from
/// the server's version and discovery (plus the release's own crds/), `lookup` reading the cluster.
/// Each side gets a fresh kubesim seeded alike, and the stored manifests must match byte for byte.
@Suite struct ClusterCapabilitiesTests {
    static let chart = SimCluster.chart("cluster-render")

    /// The same objects in every fresh cluster: what the chart's lookups find.
    static func seed(_ sim: SimCluster) async throws {
        let c = sim.client
        _ = try await c.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "other"]], options: WriteOptions())
        _ = try await c.create(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "seed", "namespace": "default"],
                                "data": ["color": "blue"]], options: WriteOptions())
        for name in ["beta", "alpha"] {
            _ = try await c.create(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "other"],
                                    "data": ["name": .string(name)]], options: WriteOptions())
        }
    }

    static func deployer(_ sim: SimCluster) -> ReleaseDeployer {
        ReleaseDeployer(client: sim.client, store: sim.store(), options: DeployOptions(releaseName: "app", namespace: "default", timeout: 60))
    }

    /// `helm get manifest app` of a release installed (and, with `upgradeNote`, upgraded with
    /// `--set note=...`) by helm, and of one converged the same way by Bosun.
    static func manifests(chart: String = chart, upgradeNote: String? = nil) async throws -> (helm: String, bosun: String) {
        var helm = ""
        try await SimCluster.with { sim in
            try await seed(sim)
            try await sim.helmOK(.helm4, ["install", "app", chart, "-n", "default"])
            if let note = upgradeNote { try await sim.helmOK(.helm4, ["upgrade", "app", chart, "-n", "default", "--set", "note=" + note]) }
            helm = try await sim.helmOK(.helm4, ["get", "manifest", "app", "-n", "default"])
        }
        var bosun = ""
        try await SimCluster.with { sim in
            try await seed(sim)
            _ = try await deployer(sim).converge(ChartInput(path: chart), events: { _ in })
            if let note = upgradeNote {
                var values = ValueOptions()
                values.values = ["note=" + note]
                _ = try await deployer(sim).converge(ChartInput(path: chart, values: values), events: { _ in })
            }
            bosun = try await sim.helmOK(.helm4, ["get", "manifest", "app", "-n", "default"])
        }
        return (helm, bosun)
    }

    @Test func convergeRendersLikeHelmInstallAgainstTheSameCluster() async throws {
        let (helm, bosun) = try await Self.manifests()
        #expect(bosun == helm)
        // The comparison covers what it should: the cluster's version, a served kind, the release's
        // CRD kind (and the Gadget it enables), and lookups that found the seeds.
        #expect(helm.contains("kubeVersion: \"v1.35.0\""))
        #expect(helm.contains("apps/v1/Scale=true"))
        #expect(helm.contains("example.com/v1/Gadget=true"))
        #expect(helm.contains("kind: Gadget"))
        #expect(helm.contains("seed: \"blue\""))
        #expect(helm.contains("v1/ConfigMap/alpha={\"name\":\"alpha\"} v1/ConfigMap/beta={\"name\":\"beta\"}"))
        #expect(!helm.contains("app-no-seed"))
    }

    /// On upgrade the lookups see the release's own objects from the first revision (the CRD's
    /// Gadget included), as helm upgrade's do.
    @Test func upgradeRendersLikeHelmUpgrade() async throws {
        let (helm, bosun) = try await Self.manifests(upgradeNote: "second")
        #expect(bosun == helm)
        #expect(helm.contains("isUpgrade: \"true\""))
        #expect(helm.contains("previousSeed: \"blue\""))
        #expect(helm.contains("previousManagedBy: \"Helm\""))
        #expect(helm.contains("previousGadget: \"{\\\"replicas\\\":1}\""))
        #expect(helm.contains("note: \"second\""))
    }

    /// `bosun plan` prepares through the same render: lookups read the cluster (like helm's
    /// `--dry-run=server`, not its client dry run), and nothing is written.
    @Test func planRendersAgainstTheCluster() async throws {
        try await SimCluster.with { sim in
            try await Self.seed(sim)
            let before = try sim.writes().count
            let prepared = try await Self.deployer(sim).preparer.prepare(chart: ChartInput(path: Self.chart))
            let config = try #require(prepared.desired.templates.first { $0.object[path: "metadata", "name"]?.stringValue == "app-cluster" })
            #expect(config.object[path: "data", "seed"]?.stringValue == "blue")
            #expect(prepared.desired.templates.contains { $0.object["kind"]?.stringValue == "Gadget" })
            #expect(try sim.writes().count == before)
        }
    }

    /// Helm's own list of capabilities is the cluster's discovery: every group version and kind,
    /// subresource kinds included, and none of `helm template`'s built-in defaults.
    @Test func apiVersionsAreTheClustersDiscovery() async throws {
        try await SimCluster.with { sim in
            let apis = try await sim.client.serverAPIs().versionSet
            #expect(apis.contains("v1/Pod") && apis.contains("v1/Eviction") && apis.contains("apps/v1/Scale"))
            #expect(apis.contains("apiextensions.k8s.io/v1/CustomResourceDefinition"))
            #expect(!apis.contains("apps/v1beta1"))  // in helm template's defaults, not served by 1.35
            #expect(apis == apis.sorted() && Set(apis).count == apis.count)
            let version = try await sim.client.serverVersion()
            #expect(version == ServerVersion(gitVersion: "v1.35.0", major: "1", minor: "35"))
        }
    }

    /// A server's version with a vendor suffix stays whole, as Helm keeps it: printed and compared
    /// with the suffix, major and minor as the server reported them.
    @Test func capabilitiesKeepTheServersVersionAsReported() throws {
        let apis = ServerAPIsFixture.minimal
        let caps = ClusterRenderContext.capabilities(
            version: ServerVersion(gitVersion: "v1.33.4-gke.1245000", major: "1", minor: "33+"), apis: apis)
        #expect(caps.kubeVersion.version == "v1.33.4-gke.1245000")
        #expect(caps.kubeVersion.normalized == "v1.33.4-gke.1245000")
        #expect(caps.kubeVersion.minor == "33+")
        #expect(caps.apiVersions.versions == ["v1", "v1/ConfigMap"])
    }

    @Test func crdKindsAreTheServedVersions() {
        let crd = try! YAML.decode(String(contentsOfFile: Self.chart + "/crds/gadgets.yaml", encoding: .utf8))
        #expect(ClusterRenderContext.apiVersions(ofCRDs: [crd]) == ["example.com/v1", "example.com/v1/Gadget", "example.com/v1/Scale"])
    }

    /// A chart helm refuses to install: converge fails with the same message.
    static func failsLikeHelm(chartYAML: String, template: String) async throws {
        let directory = try makeTemporaryDirectory("render-error")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let chart = directory + "/broken"
        try FileManager.default.createDirectory(atPath: chart + "/templates", withIntermediateDirectories: true)
        try chartYAML.write(toFile: chart + "/Chart.yaml", atomically: true, encoding: .utf8)
        try template.write(toFile: chart + "/templates/cm.yaml", atomically: true, encoding: .utf8)
        try await SimCluster.with { sim in
            let helm = try await sim.helm(.helm4, ["install", "app", chart, "-n", "default"])
            #expect(!helm.succeeded)
            // helm logs discovery failures first; its error is the last line.
            let helmMessage = String(helm.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last ?? "")
                .replacingOccurrences(of: "Error: INSTALLATION FAILED: ", with: "")
            #expect(!helmMessage.isEmpty)
            do {
                _ = try await Self.deployer(sim).converge(ChartInput(path: chart), events: { _ in })
                Issue.record("converge succeeded")
            } catch {
                #expect("\(error)" == helmMessage)
            }
            #expect(try sim.writes().filter { $0.kind != "Lease" }.isEmpty)
        }
    }

    /// A lookup of a group version the cluster does not serve fails the render with helm's words.
    @Test func lookupOfAnUnservedGroupVersionFailsLikeHelm() async throws {
        try await Self.failsLikeHelm(chartYAML: "apiVersion: v2\nname: broken\nversion: 0.1.0\n", template: """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: x
            data:
              x: {{ lookup "nope.example.com/v1" "Foo" "default" "x" | toJson | quote }}

            """)
    }

    /// Chart.yaml's kubeVersion is checked against the server's version, as helm install does.
    @Test func kubeVersionConstraintIsCheckedAgainstTheServer() async throws {
        try await Self.failsLikeHelm(chartYAML: "apiVersion: v2\nname: broken\nversion: 0.1.0\nkubeVersion: \">=1.40.0-0\"\n", template: """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: x

            """)
    }
}

enum ServerAPIsFixture {
    static var minimal: ServerAPIs {
        ServerAPIs(aggregated: [try! JSON.decode(#"{"kind":"APIGroupDiscoveryList","items":[{"metadata":{"name":""},"versions":[{"version":"v1","resources":[{"resource":"configmaps","responseKind":{"group":"","version":"v1","kind":"ConfigMap"},"scope":"Namespaced","verbs":["get"]}]}]}]}"#)])
    }
}

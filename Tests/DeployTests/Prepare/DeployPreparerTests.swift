import Charts
import Deploy
import Foundation
import Kube
import Releases
import SimClusterSupport
import Structured
import Testing

@Suite struct DeployPreparerTests {
    static func options(_ name: String = "app") -> DeployOptions { DeployOptions(releaseName: name, namespace: "default") }

    @Test func firstInstallPlansCreatesForEverythingAndReadsNothingLive() async throws {
        try await SimCluster.with { sim in
            let preparer = DeployPreparer(client: sim.client, store: sim.store(), options: Self.options())
            let prepared = try await preparer.prepare(chart: ChartInput(path: SimCluster.chart("ordered")))
            #expect(prepared.action == .install)
            #expect(prepared.live.isEmpty)
            #expect(prepared.manifests.crds.map(\.id.name) == ["widgets.example.com"])
            #expect(prepared.manifests.hooks.count == 3)
            let web = try #require(prepared.manifests.resources.first { $0.id.name == "app-web" && $0.id.kind == "Deployment" })
            #expect(web.manifest[path: "metadata", "namespace"]?.stringValue == "default")
            #expect(web.manifest[path: "metadata", "annotations", "meta.helm.sh/release-name"]?.stringValue == "app")
            #expect(web.manifest[path: "metadata", "labels", "app.kubernetes.io/managed-by"]?.stringValue == "Helm")
            let hook = try #require(prepared.manifests.hooks.first)
            #expect(hook.manifest[path: "metadata", "annotations", "meta.helm.sh/release-name"] == nil)
            #expect(prepared.plan["create Widget.example.com/default/app-widget"] != nil)
            #expect(prepared.plan["createCRD CustomResourceDefinition/widgets.example.com"] != nil)
            #expect(prepared.desired.manifestText.contains("# Source: ordered/templates/web.yaml"))
            #expect(prepared.desired.hooks.count == 3)
            // Nothing was written.
            #expect(try sim.writes().isEmpty)
        }
    }

    @Test func unknownKindNamesItsTemplateBeforeAnyWrite() async throws {
        try await SimCluster.with { sim in
            let chart = try Self.chartWith(sim, "apiVersion: example.org/v1\nkind: Gadget\nmetadata:\n  name: g\n")
            let preparer = DeployPreparer(client: sim.client, store: sim.store(), options: Self.options())
            do {
                _ = try await preparer.prepare(chart: ChartInput(path: chart))
                Issue.record("expected an error")
            } catch {
                #expect("\(error)".contains("Gadget/g (bad/templates/t.yaml): apiVersion example.org/v1 kind Gadget is not served by the cluster"))
            }
            #expect(try sim.writes().isEmpty)
        }
    }

    @Test func existingObjectsAreClassifiedByDryRunAndKeptForTheDiff() async throws {
        try await SimCluster.with { sim in
            let preparer = DeployPreparer(client: sim.client, store: sim.store(), options: Self.options())
            let first = try await preparer.prepare(chart: ChartInput(path: SimCluster.chart("ordered")))
            // Create the main objects as a deploy would (apply with the same manager).
            for resource in first.manifests.crds + first.manifests.resources where resource.id.kind != "Widget" {
                _ = try await sim.client.apply(resource.manifest, options: ApplyOptions(fieldManager: "helm", force: true))
            }
            var values = ValueOptions()
            values.values = ["greeting=changed"]
            let second = try await preparer.prepare(chart: ChartInput(path: SimCluster.chart("ordered"), values: values))
            let config = ResourceID(kind: "ConfigMap", namespace: "default", name: "app-config")
            let service = ResourceID(kind: "Service", namespace: "default", name: "app-web")
            #expect(second.facts[config]?.change == .changed)
            #expect(second.facts[service]?.change == .unchanged)
            #expect(second.dryRun[config]?.object?[path: "data", "greeting"]?.stringValue == "changed")
            #expect(second.live[config]?[path: "data", "greeting"]?.stringValue == "hello")
            #expect(second.resourceVersions[config] != nil)
            #expect(second.plan["update ConfigMap/default/app-config"] != nil)
            #expect(second.plan["update Service/default/app-web"] == nil)
        }
    }

    static func chartWith(_ sim: SimCluster, _ template: String) throws -> String {
        let chart = sim.directory + "/bad"
        try FileManager.default.createDirectory(atPath: chart + "/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: bad\nversion: 0.1.0\n".write(toFile: chart + "/Chart.yaml", atomically: true, encoding: .utf8)
        try template.write(toFile: chart + "/templates/t.yaml", atomically: true, encoding: .utf8)
        return chart
    }
}

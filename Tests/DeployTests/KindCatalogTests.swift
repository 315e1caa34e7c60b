import Foundation
import Kube
import SimClusterSupport
import Structured
import Testing

@testable import Deploy

/// Step 1 of converge: every rendered kind must be served by the cluster (discovery) or defined by
/// a CRD of this release, checked before anything is written, with errors naming the template.
@Suite struct KindCatalogTests {
    static func documents(_ yaml: String, source: String) throws -> [SourcedManifest] {
        try YAML.decodeAll(yaml, mode: .manifest).filter { !$0.isNull }.map { SourcedManifest(object: $0, source: source) }
    }

    static let crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gizmos.example.com}
        spec:
          group: example.com
          scope: Cluster
          names: {kind: Gizmo, plural: gizmos, singular: gizmo}
          versions:
            - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
            - {name: v0, served: false, storage: false, schema: {openAPIV3Schema: {type: object}}}
        """

    @Test func servedKindsPassAndLearnTheirScope() async throws {
        try await SimCluster.with { sim in
            let docs = try Self.documents("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                ---
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: high}
                value: 10
                ---
                apiVersion: example.com/v1
                kind: Gizmo
                metadata: {name: g}
                ---
                \(Self.crd)
                """, source: "app/templates/all.yaml")
            let catalog = try await KindCatalog.check(docs, client: sim.client)
            #expect(catalog.problems.isEmpty)
            // The release's own cluster-scoped CRD kind is known to be cluster-scoped before it exists.
            #expect(catalog.scopes.isClusterScoped(kind: "Gizmo"))
            #expect(catalog.scopes.isClusterScoped(kind: "PriorityClass"))
            #expect(!catalog.scopes.isClusterScoped(kind: "Deployment"))
        }
    }

    @Test func everyUnknownKindIsReportedWithItsTemplateAndWhereTheClusterServesIt() async throws {
        try await SimCluster.with { sim in
            let docs = try Self.documents("""
                apiVersion: apps/v1beta1
                kind: Deployment
                metadata: {name: old}
                ---
                apiVersion: extensions/v1beta1
                kind: Ingress
                metadata: {name: legacy}
                ---
                apiVersion: example.com/v0
                kind: Gizmo
                metadata: {name: unserved-version}
                ---
                apiVersion: example.org/v1
                kind: Nothing
                metadata: {name: nothing}
                """, source: "app/templates/bad.yaml")
                + (try Self.documents(Self.crd, source: "app/crds/gizmo.yaml"))
            let catalog = try await KindCatalog.check(docs, client: sim.client)
            #expect(catalog.problems == [
                "Deployment/old (app/templates/bad.yaml): apiVersion apps/v1beta1 kind Deployment is not served by the cluster and no CRD of this release defines it; the cluster serves Deployment as apps/v1",
                "Ingress/legacy (app/templates/bad.yaml): apiVersion extensions/v1beta1 kind Ingress is not served by the cluster and no CRD of this release defines it; the cluster serves Ingress as networking.k8s.io/v1",
                "Gizmo/unserved-version (app/templates/bad.yaml): apiVersion example.com/v0 kind Gizmo is not served by the cluster and no CRD of this release defines it",
                "Nothing/nothing (app/templates/bad.yaml): apiVersion example.org/v1 kind Nothing is not served by the cluster and no CRD of this release defines it",
            ])
        }
    }

    /// Through the preparer: hooks are checked too, the problems come together with the parser's
    /// (a bad weight), and nothing at all is written to the cluster.
    @Test func prepareRefusesBeforeAnyWrite() async throws {
        try await SimCluster.with { sim in
            let templates = try Self.documents("""
                apiVersion: batch/v1beta1
                kind: Job
                metadata:
                  name: migrate
                  annotations: {helm.sh/hook: pre-install}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: c
                  annotations: {werf.io/weight: heavy}
                """, source: "app/templates/hooks.yaml")
            let preparer = DeployPreparer(client: sim.client, store: sim.store(), options: DeployOptions(releaseName: "app", namespace: "default"))
            let before = try sim.requests().count
            do {
                _ = try await preparer.prepare(DesiredManifests(templates: templates), action: .install, history: [])
                Issue.record("prepare succeeded")
            } catch {
                let text = "\(error)"
                #expect(text.contains("Job/migrate (app/templates/hooks.yaml): apiVersion batch/v1beta1 kind Job is not served by the cluster"))
                #expect(text.contains("the cluster serves Job as batch/v1"))
                #expect(text.contains("werf.io/weight"))
            }
            let requests = try sim.requests().dropFirst(before)
            #expect(requests.allSatisfy { $0.method == "GET" }, "\(Array(requests))")
        }
    }
}

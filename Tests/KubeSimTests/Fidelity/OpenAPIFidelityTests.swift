import Foundation
import Structured
import Testing
import TestSupport
@testable import KubeSim

/// The real kubectl 1.35 reading kubesim's /openapi/v3: `kubectl explain` renders the published
/// schemas, and `kubectl apply --validate=strict|warn` (fieldValidation=Strict|Warn) gets the API
/// server's unknown-field errors and warnings, for built-in kinds and for CRDs with a schema.
@Suite(.serialized) struct OpenAPIFidelityTests {
    static let gizmoCRD = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gizmos.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: gizmos, singular: gizmo, kind: Gizmo}
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  description: A gizmo does one thing well.
                  properties:
                    spec:
                      type: object
                      description: What the gizmo should do.
                      properties:
                        size: {type: integer, description: How big the gizmo is.}
                        labels: {type: object, additionalProperties: {type: string}}
                        extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """

    /// On a real 1.35 cluster `kubectl explain deployment.spec.replicas` prints the group, kind,
    /// version, the field with its type and its description from the OpenAPI v3 document.
    @Test func explainBuiltInFields() async throws {
        try await SimCluster.with { sim in
            let replicas = try await sim.kubectl("explain", "deployment.spec.replicas")
            #expect(replicas.stdout == """
                GROUP:      apps
                KIND:       Deployment
                VERSION:    v1

                FIELD: replicas <integer>


                DESCRIPTION:
                    Number of desired pods. This is a pointer to distinguish between explicit
                    zero and not specified. Defaults to 1.
                    


                """, "\(replicas.stdout)\(replicas.stderr)")
            let configMap = try await sim.kubectl("explain", "configmap")
            #expect(configMap.stdout.hasPrefix("""
                KIND:       ConfigMap
                VERSION:    v1

                DESCRIPTION:
                    ConfigMap holds configuration data for pods to consume.
                    
                FIELDS:
                  apiVersion\t<string>
                """), "\(configMap.stdout)\(configMap.stderr)")
            #expect(configMap.stdout.contains("  data\t<map[string]string>\n"))
            #expect(configMap.stdout.contains("  metadata\t<ObjectMeta>\n"))
            let template = try await sim.kubectl("explain", "deployment.spec.template.spec.containers")
            #expect(template.stdout.contains("FIELD: containers <[]Container>"), "\(template.stdout)\(template.stderr)")
            #expect(template.stdout.contains("  name\t<string> -required-\n"))
        }
    }

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicass: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx, imagee: typo}]}
        """

    /// A real API server answers fieldValidation=Strict with 400 and the strict decoding error
    /// naming every unknown field; with Warn it stores the object without them and sends a
    /// `Warning` header per field, which kubectl prints as `Warning: unknown field ...`.
    @Test func strictAndWarnFieldValidation() async throws {
        try await SimCluster.with { sim in
            let path = try sim.write("web.yaml", Self.deployment)
            let strict = try await sim.kubectl("apply", "--validate=strict", "-f", path)
            #expect(strict.status == 1)
            #expect(strict.stderr == "Error from server (BadRequest): error when creating \"\(path)\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replicass\", unknown field \"spec.template.spec.containers[0].imagee\"\n", "\(strict.stderr)")
            let absent = try await sim.kubectl("get", "deployments")
            #expect(absent.stderr == "No resources found in default namespace.\n")

            let warn = try await sim.kubectl("apply", "--validate=warn", "-f", path)
            #expect(warn.succeeded, "\(warn.stderr)")
            #expect(warn.stderr == "Warning: unknown field \"spec.replicass\"\nWarning: unknown field \"spec.template.spec.containers[0].imagee\"\n", "\(warn.stderr)")
            #expect(warn.stdout == "deployment.apps/web created\n")
            let stored = try await sim.kubectlJSON("get", "deployment", "web")
            #expect(stored[path: "spec", "replicass"] == nil && stored[path: "spec", "replicas"] == 1)
            #expect(stored[path: "spec", "template", "spec", "containers"]?.arrayValue?.first?["imagee"] == nil)
        }
    }

    /// CRDs: the openAPIV3Schema is published (explain shows it) and enforced; unknown fields are
    /// allowed under x-kubernetes-preserve-unknown-fields and additionalProperties.
    @Test func customResourceSchemas() async throws {
        try await SimCluster.with { sim in
            let crd = try await sim.kubectl("apply", "-f", sim.write("crd.yaml", Self.gizmoCRD))
            #expect(crd.succeeded, "\(crd.stderr)")
            let explain = try await sim.kubectl("explain", "gizmos.spec")
            #expect(explain.stdout.hasPrefix("""
                GROUP:      example.com
                KIND:       Gizmo
                VERSION:    v1

                FIELD: spec <Object>


                DESCRIPTION:
                    What the gizmo should do.
                    
                FIELDS:
                """), "\(explain.stdout)\(explain.stderr)")
            #expect(explain.stdout.contains("  size\t<integer>\n    How big the gizmo is.\n"))
            let good = """
                apiVersion: example.com/v1
                kind: Gizmo
                metadata: {name: g1}
                spec: {size: 3, labels: {a: b}, extra: {anything: [1, 2]}}
                """
            let created = try await sim.kubectl("apply", "--validate=strict", "-f", sim.write("g1.yaml", good))
            #expect(created.stdout == "gizmo.example.com/g1 created\n", "\(created.stderr)")
            let badPath = try sim.write("g2.yaml", good.replacingOccurrences(of: "g1", with: "g2").replacingOccurrences(of: "size: 3", with: "size: 3, colour: red"))
            let bad = try await sim.kubectl("apply", "--validate=strict", "-f", badPath)
            #expect(bad.stderr == "Error from server (BadRequest): error when creating \"\(badPath)\": Gizmo in version \"v1\" cannot be handled as a Gizmo: strict decoding error: unknown field \"spec.colour\"\n", "\(bad.stderr)")
        }
    }

    /// Server-side apply of a custom resource converts it to the CRD's schema like a built-in kind:
    /// an undeclared field fails the typed conversion (500, kubectl prints "Error from server: ...")
    /// whatever --validate says; fields under x-kubernetes-preserve-unknown-fields and
    /// additionalProperties are declared.
    @Test func customResourceServerSideApplyRejectsUndeclaredFields() async throws {
        try await SimCluster.with { sim in
            let crd = try await sim.kubectl("apply", "-f", sim.write("crd.yaml", Self.gizmoCRD))
            #expect(crd.succeeded, "\(crd.stderr)")
            let good = """
                apiVersion: example.com/v1
                kind: Gizmo
                metadata: {name: g1, namespace: default}
                spec: {size: 3, labels: {a: b}, extra: {anything: [1, 2]}}
                """
            let applied = try await sim.kubectl("apply", "--server-side", "-f", sim.write("g1.yaml", good))
            #expect(applied.stdout == "gizmo.example.com/g1 serverside-applied\n", "\(applied.stderr)")
            let bad = good.replacingOccurrences(of: "g1", with: "g2").replacingOccurrences(of: "size: 3", with: "size: 3, colour: red")
            let rejected = try await sim.kubectl("apply", "--server-side", "--validate=false", "-f", sim.write("g2.yaml", bad))
            #expect(rejected.status == 1)
            #expect(rejected.stderr == "Error from server: failed to create typed patch object (default/g2; example.com/v1, Kind=Gizmo): .spec.colour: field not declared in schema\n", "\(rejected.stderr)")
            let two = bad.replacingOccurrences(of: "spec:", with: "shape: round\nspec:")
            let both = try await sim.kubectl("apply", "--server-side", "--validate=false", "-f", sim.write("g3.yaml", two))
            #expect(both.stderr == """
                Error from server: failed to create typed patch object (default/g2; example.com/v1, Kind=Gizmo): errors:
                  .shape: field not declared in schema
                  .spec.colour: field not declared in schema

                """, "\(both.stderr)")
            let absent = try await sim.kubectl("get", "gizmos", "-o", "name")
            #expect(absent.stdout == "gizmo.example.com/g1\n", "\(absent.stderr)")
        }
    }
}

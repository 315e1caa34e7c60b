import Foundation
import Structured
import Testing
import TestSupport

@testable import Charts

/// `lookup` through `TemplateOptions.lookup`, the hook converge uses to read the cluster.
@Suite struct ChartFunctionsTests {
    /// A stand-in for the cluster (the real one is the Kube client, wired by Deploy).
    struct FixedCluster: LookupProvider {
        struct Unreachable: Error, CustomStringConvertible { var description: String { "connection refused" } }

        func lookup(apiVersion: String, kind: String, namespace: String, name: String) throws -> Value {
            switch (kind, name) {
            case ("Secret", "db"):
                return ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": .string(namespace)], "data": ["password": "c2VjcmV0"]]
            case ("ConfigMap", ""):
                return ["apiVersion": "v1", "kind": "ConfigMapList", "items": [["metadata": ["name": "a"]], ["metadata": ["name": "b"]]]]
            case ("Node", _):
                throw Unreachable()
            default:
                return .object([:])
            }
        }
    }

    static let chart: [String: String] = [
        "Chart.yaml": "apiVersion: v2\nname: lookups\nversion: 0.1.0\n",
        "templates/secret.yaml": """
            {{- $existing := lookup "v1" "Secret" .Release.Namespace "db" }}
            apiVersion: v1
            kind: Secret
            metadata:
              name: db
            data:
              password: {{ if $existing }}{{ index $existing.data "password" }}{{ else }}{{ "generated" | b64enc }}{{ end }}
              missing: {{ lookup "v1" "Secret" "ns" "nope" | toJson | quote }}
              names: {{ range (lookup "v1" "ConfigMap" "" "").items }}{{ .metadata.name }},{{ end }}
            """,
    ]

    @Test func offlineLookupIsEmptyLikeHelmTemplate() throws {
        let chart = try HelmOracle.writeChart(Self.chart, name: "lookups")
        defer { try? FileManager.default.removeItem(atPath: (chart as NSString).deletingLastPathComponent) }
        let helm = try HelmOracle.template([chart])
        #expect(helm.succeeded, "\(helm.stderr)")
        #expect(try ChartTemplate.run(chartPath: chart, options: TemplateOptions()) == helm.stdout)
    }

    @Test func providerAnswersLookup() throws {
        let chart = try HelmOracle.writeChart(Self.chart, name: "lookups")
        defer { try? FileManager.default.removeItem(atPath: (chart as NSString).deletingLastPathComponent) }
        var options = TemplateOptions()
        options.namespace = "prod"
        options.lookup = FixedCluster()
        let output = try ChartTemplate.run(chartPath: chart, options: options)
        #expect(output.contains("password: c2VjcmV0\n"))
        #expect(output.contains("missing: \"{}\"\n"))
        #expect(output.contains("names: a,b,\n"))
    }

    @Test func providerFailuresFailTheRender() throws {
        let chart = try HelmOracle.writeChart([
            "Chart.yaml": "apiVersion: v2\nname: nodes\nversion: 0.1.0\n",
            "templates/n.yaml": "n: {{ lookup \"v1\" \"Node\" \"\" \"n1\" }}\n",
        ], name: "nodes")
        defer { try? FileManager.default.removeItem(atPath: (chart as NSString).deletingLastPathComponent) }
        var options = TemplateOptions()
        options.lookup = FixedCluster()
        #expect(throws: ChartsError.self) { try ChartTemplate.run(chartPath: chart, options: options) }
        do { _ = try ChartTemplate.run(chartPath: chart, options: options) } catch {
            #expect(error.message.contains("error calling lookup: connection refused"), "\(error.message)")
        }
    }

    @Test func clusterCapabilitiesReplaceTheDefaults() throws {
        let chart = try HelmOracle.writeChart([
            "Chart.yaml": "apiVersion: v2\nname: caps\nversion: 0.1.0\n",
            "templates/c.yaml": "v: {{ .Capabilities.KubeVersion }} {{ .Capabilities.APIVersions.Has \"apps/v1/Deployment\" }} {{ len .Capabilities.APIVersions }}\n",
        ], name: "caps")
        defer { try? FileManager.default.removeItem(atPath: (chart as NSString).deletingLastPathComponent) }
        var options = TemplateOptions()
        var capabilities = Capabilities.helmTemplateDefault
        capabilities.kubeVersion = try KubeVersion(parsing: "v1.30.2")
        capabilities.apiVersions = VersionSet(versions: ["v1", "apps/v1", "apps/v1/Deployment"])
        options.capabilities = capabilities
        options.apiVersions = ["extra/v1"]
        #expect(try ChartTemplate.run(chartPath: chart, options: options).hasSuffix("v: v1.30.2 true 4\n"))
    }
}

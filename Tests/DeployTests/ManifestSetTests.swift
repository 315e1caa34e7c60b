import Structured
import Testing
@testable import Deploy

@Suite struct ManifestSetTests {
    @Test func splitsCRDsHooksAndResourcesAndDropsUnknownHooks() throws {
        let set = try ManifestSet.parse(
            crds: [(try manifest("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: crontabs.example.org}\n"), "crds/crontab.yaml")],
            templates: [
                (try manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"), "t/c.yaml"),
                (try manifest("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, annotations: {helm.sh/hook: pre-install}}\n"), "t/j.yaml"),
                (try manifest("apiVersion: batch/v1\nkind: Job\nmetadata: {name: k, annotations: {helm.sh/hook: whenever}}\n"), "t/k.yaml"),
            ],
            releaseNamespace: "app")
        #expect(set.crds.map(\.id.description) == ["CustomResourceDefinition/crontabs.example.org"])
        #expect(set.crds[0].ownership == .anyone)
        #expect(set.hooks.map(\.id.description) == ["Job/app/j"])
        #expect(set.resources.map(\.id.description) == ["ConfigMap/app/c"])
        #expect(set.dropped.count == 1)
    }

    @Test func reportsEveryProblemAndDuplicatesAtOnce() throws {
        let templates: [(manifest: Value, source: String?)] = [
            (try manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"), "t/a.yaml"),
            (try manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: app}\n"), "t/b.yaml"),
            (try manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: other}\n"), "t/c.yaml"),
            (try manifest("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, annotations: {werf.io/weight: abc}}\n"), nil),
            (try manifest("apiVersion: v1\nkind: Pod\nmetadata: {name: Bad}\n"), nil),
        ]
        #expect {
            _ = try ManifestSet.parse(crds: [], templates: templates, releaseNamespace: "app")
        } throws: { error in
            guard case DeployError.invalidManifests(let e) = error else { return false }
            return e.problems == [
                #"Deployment/web: annotation werf.io/weight: "abc" is not an integer"#,
                #"Pod/Bad: metadata.name "Bad" is not a valid DNS-1123 subdomain (lower-case alphanumerics, '-' and '.', at most 253 characters)"#,
                "ConfigMap/c: defined twice (in t/a.yaml and t/b.yaml)",
            ]
        }
    }

    @Test func sameNameInOtherKindOrGroupIsNoDuplicate() throws {
        let set = try ManifestSet.parse(crds: [], templates: [
            (try manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"), nil),
            (try manifest("apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n"), nil),
            (try manifest("apiVersion: example.org/v1\nkind: Secret\nmetadata: {name: x}\n"), nil),
        ], releaseNamespace: "app")
        #expect(set.resources.count == 3)
    }
}

@Suite struct ResourceScopesTests {
    @Test func extraClusterScopedKindsHaveNoNamespace() throws {
        var problems: [String] = []
        let doc = try manifest("apiVersion: example.org/v1\nkind: Tenant\nmetadata: {name: t, namespace: ignored}\n")
        let scoped = ResourceMetadata.parse(doc, releaseNamespace: "app", scopes: ResourceScopes(extraClusterScopedKinds: ["Tenant"]), problems: &problems)
        guard case .resource(let r)? = scoped else { Issue.record("\(problems)"); return }
        #expect(r.id.namespace == nil)
        #expect(r.id.description == "Tenant.example.org/t")
        guard case .resource(let n)? = ResourceMetadata.parse(doc, releaseNamespace: "app", problems: &problems) else { Issue.record("\(problems)"); return }
        #expect(n.id.namespace == "ignored")
    }
}

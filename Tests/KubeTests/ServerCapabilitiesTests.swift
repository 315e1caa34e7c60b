import Foundation
import KubeSim
import Structured
import Testing
import TestSupport

@testable import Kube

/// `/version` and the API set Helm's capabilities come from, against kubesim.
@Suite struct ServerCapabilitiesTests {
    @Test func versionAsTheServerReportsIt() async throws {
        try await SimHarness.with { sim in
            try await withClient(try sim.client(cache: false)) { client async throws in
                #expect(try await client.serverVersion() == ServerVersion(gitVersion: "v1.35.0", major: "1", minor: "35"))
            }
        }
    }

    /// Two requests with the aggregated Accept header; the answers fill the kind cache, so kind
    /// lookups afterwards ask nothing more.
    @Test func aggregatedDiscoveryInTwoRequestsFillsTheKindCache() async throws {
        try await SimHarness.with { sim in
            try await withClient(try sim.client(cache: false)) { client async throws in
                let before = try sim.audit().count
                let apis = try await client.serverAPIs()
                let discovery = try sim.audit().dropFirst(before)
                #expect(discovery.map { $0["path"]?.stringValue ?? "" } == ["/api", "/apis"])
                #expect(apis.versionSet.contains("apps/v1/Deployment") && apis.versionSet.contains("v1/Eviction"))
                let after = try sim.audit().count
                let deployment = try await client.resource(apiVersion: "apps/v1", kind: "Deployment")
                let priority = try await client.resource(apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass")
                #expect(deployment.name == "deployments" && deployment.namespaced && deployment.verbs.contains("patch"))
                #expect(priority.name == "priorityclasses" && !priority.namespaced)
                #expect(try sim.audit().count == after)
            }
        }
    }

    /// A server without aggregated discovery: the group list, then each group version. Same answer.
    @Test func legacyDiscoveryGivesTheSameSet() async throws {
        try await SimHarness.with { sim in
            try await withClient(try sim.client(cache: false)) { client async throws in
                let aggregated = try await client.discovery.serverAPIs(aggregated: true).versionSet
                let before = try sim.audit().count
                let legacy = try await client.discovery.serverAPIs(aggregated: false).versionSet
                #expect(legacy == aggregated)
                #expect(try sim.audit().count - before > 10)  // one request per group version
            }
        }
    }

    /// A CRD's kinds appear at once (Helm invalidates its cache before reading capabilities).
    @Test func freshAfterACRDIsCreated() async throws {
        try await SimHarness.with { sim in
            try await withClient(try sim.client(cache: false)) { client async throws in
                #expect(!(try await client.serverAPIs().versionSet.contains("example.com/v1/Widget")))
                _ = try await client.create(DiscoveryRefreshTests().crd(kind: "Widget", plural: "widgets"))
                let set = try await client.serverAPIs().versionSet
                #expect(set.contains("example.com/v1") && set.contains("example.com/v1/Widget"))
            }
        }
    }

    /// client-go's conversion: a resource without a response kind is left out, subresources take
    /// their own response kind, group versions are listed even when empty.
    @Test func aggregatedDocumentParsing() throws {
        let document = try WireJSON.decode(#"""
            {"kind":"APIGroupDiscoveryList","items":[{"metadata":{"name":"apps"},"versions":[
              {"version":"v1","resources":[
                {"resource":"deployments","responseKind":{"group":"apps","version":"v1","kind":"Deployment"},"scope":"Namespaced",
                 "subresources":[{"subresource":"scale","responseKind":{"group":"autoscaling","version":"v1","kind":"Scale"}},
                                 {"subresource":"odd"}]},
                {"resource":"nokind","scope":"Namespaced"}]},
              {"version":"v2","resources":[]}]}]}
            """#)
        let apis = ServerAPIs(aggregated: [document])
        #expect(apis.versionSet == ["apps/v1", "apps/v1/Deployment", "apps/v1/Scale", "apps/v2"])
    }
}

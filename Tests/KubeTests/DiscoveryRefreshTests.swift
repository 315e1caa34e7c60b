import Foundation
import KubeSim
import Structured
import Testing
import TestSupport

@testable import Kube

/// Discovery against kubesim: disk cache reuse and refresh when a CRD appears mid-deploy.
@Suite struct DiscoveryRefreshTests {
    func crd(kind: String, plural: String) -> Value {
        [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": .string("\(plural).example.com")],
            "spec": [
                "group": "example.com", "scope": "Namespaced",
                "names": ["kind": .string(kind), "plural": .string(plural), "singular": .string(kind.lowercased()), "listKind": .string(kind + "List")],
                "versions": [[
                    "name": "v1", "served": true, "storage": true,
                    "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
                ]],
            ],
        ]
    }

    func object(_ kind: String, _ name: String) -> Value {
        ["apiVersion": "example.com/v1", "kind": .string(kind), "metadata": ["name": .string(name), "namespace": "default"], "spec": ["size": 1]]
    }

    @Test func unknownKindThenCRDAppears() async throws {
        try await SimHarness.with { sim in
            try await withClient(try sim.client()) { client async throws in
                do {
                    _ = try await client.create(object("Widget", "w1"))
                    Issue.record("expected unknown kind")
                } catch let error as KubeError {
                    #expect(error.kind == .unknownKind)
                    #expect(error.description == "no matches for kind \"Widget\" in version \"example.com/v1\"; ensure CRDs are installed first")
                }
                _ = try await client.create(crd(kind: "Widget", plural: "widgets"))
                let created = try await client.create(object("Widget", "w1"))
                #expect(created["kind"] == "Widget")
                let resource = try await client.resource(apiVersion: "example.com/v1", kind: "Widget")
                #expect(resource.name == "widgets" && resource.namespaced)
                // A second kind in the same (now cached) group version: one refetch finds it.
                _ = try await client.create(crd(kind: "Gadget", plural: "gadgets"))
                #expect(try await client.create(object("Gadget", "g1"))["kind"] == "Gadget")
            }
        }
    }

    @Test func diskCacheIsSharedAndRefreshedOnMiss() async throws {
        try await SimHarness.with { sim in
            try await withClient(try sim.client()) { client async throws in
                _ = try await client.create(crd(kind: "Widget", plural: "widgets"))
                _ = try await client.create(object("Widget", "w1"))
                #expect(try await client.discovery.preferredVersion(group: "apps") == "v1")
            }
            let cacheDir = sim.directory + "/cache/127.0.0.1_\(sim.server.port)"
            #expect(FileManager.default.fileExists(atPath: cacheDir + "/apiextensions.k8s.io/v1/serverresources.json"))
            #expect(FileManager.default.fileExists(atPath: cacheDir + "/example.com/v1/serverresources.json"))
            #expect(FileManager.default.fileExists(atPath: cacheDir + "/servergroups.json"))
            let before = try sim.audit().count
            // A new client (another process, say) reads the cache instead of asking the server...
            try await withClient(try sim.client()) { client async throws in
                _ = try await client.get(ObjectReference(apiVersion: "example.com/v1", kind: "Widget", name: "w1"))
                #expect(try await client.discovery.preferredVersion(group: "apps") == "v1")
                let requests = try sim.audit().dropFirst(before)
                #expect(requests.allSatisfy { !($0["path"]?.stringValue?.hasPrefix("/apis/example.com/v1") == true && $0["resource"] == nil) })
                #expect(!requests.contains { $0["path"] == "/apis" || $0["path"] == "/api" })
                // ...and refetches the group version when a kind is missing from the cached list.
                _ = try await client.create(crd(kind: "Gadget", plural: "gadgets"))
                #expect(try await client.create(object("Gadget", "g1"))["kind"] == "Gadget")
                #expect(try sim.audit().dropFirst(before).contains { $0["path"] == "/apis/example.com/v1" })
            }
        }
    }
}

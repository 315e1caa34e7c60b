import Foundation
import KubeSim
import Structured
import Testing
import TestSupport

@testable import Kube

/// Helm's `lookup` semantics, request for request (compared with helm 4 end to end in
/// DeployTests' ClusterCapabilitiesTests).
@Suite struct HTTPKubeClientLookupTests {
    func seeded(_ body: @escaping (HTTPKubeClient, SimHarness) async throws -> Void) async throws {
        try await SimHarness.with { sim in
            try await withClient(try sim.client()) { client async throws in
                _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "other"]])
                _ = try await client.create(configMap("seed", data: ["color": "blue"]))
                _ = try await client.create(configMap("b", namespace: "other"))
                _ = try await client.create(configMap("a", namespace: "other"))
                try await body(client, sim)
            }
        }
    }

    func names(_ list: Value) -> [String] {
        (list["items"]?.arrayValue ?? []).map { ($0[path: "metadata", "namespace"]?.stringValue ?? "") + "/" + ($0[path: "metadata", "name"]?.stringValue ?? "") }
    }

    @Test func objectsAndMissingOnes() async throws {
        try await seeded { client, _ in
            let seed = try await client.lookup(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "seed")
            #expect(seed[path: "data", "color"] == "blue")
            #expect(seed["kind"] == "ConfigMap" && seed["apiVersion"] == "v1")
            #expect(try await client.lookup(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "nope") == .emptyObject)
            // A namespaced kind with no namespace goes to the cluster-wide path: not found.
            #expect(try await client.lookup(apiVersion: "v1", kind: "ConfigMap", namespace: "", name: "seed") == .emptyObject)
            // A cluster-scoped kind ignores the namespace.
            let ns = try await client.lookup(apiVersion: "v1", kind: "Namespace", namespace: "whatever", name: "other")
            #expect(ns[path: "metadata", "name"] == "other")
        }
    }

    @Test func listsOfANamespaceAndOfAll() async throws {
        try await seeded { client, _ in
            let other = try await client.lookup(apiVersion: "v1", kind: "ConfigMap", namespace: "other", name: "")
            #expect(other["kind"] == "ConfigMapList" && other["apiVersion"] == "v1")
            #expect(other[path: "metadata", "resourceVersion"]?.stringValue?.isEmpty == false)
            #expect(names(other).filter { !$0.hasSuffix("kube-root-ca.crt") } == ["other/a", "other/b"])
            #expect((other["items"]?.arrayValue ?? []).allSatisfy { $0["kind"] == "ConfigMap" && $0["apiVersion"] == "v1" })
            let all = names(try await client.lookup(apiVersion: "v1", kind: "ConfigMap", namespace: "", name: ""))
            #expect(all.contains("default/seed") && all.contains("other/a"))
            let empty = try await client.lookup(apiVersion: "v1", kind: "ConfigMap", namespace: "absent", name: "")
            #expect(empty["items"] == .array([]) && empty["kind"] == "ConfigMapList")
            let apps = try await client.lookup(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "")
            #expect(apps["kind"] == "DeploymentList" && apps["items"] == .array([]))
        }
    }

    @Test func unservedGroupVersionsAndKinds() async throws {
        try await seeded { client, _ in
            func message(_ apiVersion: String, _ kind: String, name: String = "x") async -> String {
                do {
                    _ = try await client.lookup(apiVersion: apiVersion, kind: kind, namespace: "default", name: name)
                    return "no error"
                } catch { return error.description }
            }
            #expect(await message("nope.example.com/v1", "Foo") == "unable to get apiresource from unstructured: nope.example.com/v1, Kind=Foo: the server could not find the requested resource")
            #expect(await message("v9", "Foo") == "unable to get apiresource from unstructured: /v9, Kind=Foo: the server could not find the requested resource")
            #expect(await message("", "ConfigMap") == "unable to get apiresource from unstructured: /, Kind=ConfigMap: groupVersion shouldn't be empty")
            #expect(await message("a/b/c", "ConfigMap") == "unable to get apiresource from unstructured: /, Kind=ConfigMap: groupVersion shouldn't be empty")
            // A kind the served group version lacks: helm's empty resource path.
            #expect(try await client.lookup(apiVersion: "v1", kind: "Nothing", namespace: "default", name: "x") == .emptyObject)
            let list = try await client.lookup(apiVersion: "v1", kind: "Nothing", namespace: "default", name: "")
            #expect(list["kind"] == "APIVersions" && list["items"] == .array([]))
        }
    }

    /// A kind created a moment ago (a CRD applied earlier in the deploy) is found, not cached away.
    @Test func aCRDCreatedAfterTheCacheFilled() async throws {
        try await seeded { client, _ in
            _ = try await client.serverAPIs()
            _ = try await client.create(DiscoveryRefreshTests().crd(kind: "Widget", plural: "widgets"))
            #expect(try await client.lookup(apiVersion: "example.com/v1", kind: "Widget", namespace: "default", name: "w") == .emptyObject)
            _ = try await client.create(DiscoveryRefreshTests().object("Widget", "w"))
            let w = try await client.lookup(apiVersion: "example.com/v1", kind: "Widget", namespace: "default", name: "w")
            #expect(w[path: "spec", "size"] == 1)
        }
    }
}

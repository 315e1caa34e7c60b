import Testing
import Structured
@testable import KubeSim

@Suite struct ObjectStoreTests {
    let registry = ResourceRegistry.builtIn
    var configMaps: ResourceType { registry.lookup(group: "", version: "v1", plural: "configmaps")! }
    var deployments: ResourceType { registry.lookup(group: "apps", version: "v1", plural: "deployments")! }
    var replicaSets: ResourceType { registry.lookup(group: "apps", version: "v1", plural: "replicasets")! }
    var namespaces: ResourceType { registry.lookup(group: "", version: "v1", plural: "namespaces")! }
    var crds: ResourceType { registry.lookup(group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions")! }

    func configMap(_ name: String, _ data: Value = ["k": "v"]) -> Value {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": data]
    }

    func deployment(_ name: String, replicas: Int64 = 1, image: String = "nginx:1.27") -> Value {
        ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
         "spec": ["replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]],
                  "template": ["metadata": ["labels": ["app": .string(name)]],
                               "spec": ["containers": [["name": "web", "image": .string(image)]]]]]]
    }

    @Test func createFillsSystemFieldsAndVersions() async throws {
        let store = await ObjectStore()
        let before = await store.currentResourceVersion
        let created = try await store.create(configMaps, namespace: "default", object: configMap("a"))
        #expect(!created.uid.isEmpty)
        #expect(created[path: "metadata", "creationTimestamp"]?.stringValue?.hasSuffix("Z") == true)
        #expect(Int64(created.resourceVersion)! > before)
        #expect(created[path: "metadata", "generation"] == nil)  // ConfigMaps have no generation
        #expect(created.namespace == "default")
        await #expect(throws: APIError.self) { try await store.create(configMaps, namespace: "default", object: configMap("a")) }
        do {
            _ = try await store.create(configMaps, namespace: "default", object: configMap("a"))
        } catch {
            #expect(error.code == 409 && error.reason == "AlreadyExists" && error.message == "configmaps \"a\" already exists")
        }
    }

    @Test func missingNamespaceIsNotFound() async throws {
        let store = await ObjectStore()
        do {
            _ = try await store.create(configMaps, namespace: "nope", object: configMap("a"))
            Issue.record("expected 404")
        } catch {
            #expect(error.code == 404 && error.message == "namespaces \"nope\" not found")
        }
    }

    @Test func generationMovesOnlyWithSpec() async throws {
        let store = await ObjectStore()
        var d = try await store.create(deployments, namespace: "default", object: deployment("web"))
        #expect(d[path: "metadata", "generation"] == 1)
        #expect(d[path: "spec", "strategy", "rollingUpdate", "maxSurge"] == "25%")
        #expect(d[path: "spec", "progressDeadlineSeconds"] == 600)
        d.setMetadata("labels", ["x": "y"])
        d = try await store.update(deployments, namespace: "default", object: d)
        #expect(d[path: "metadata", "generation"] == 1)
        d.set(path: ["spec", "replicas"], to: 3)
        d = try await store.update(deployments, namespace: "default", object: d)
        #expect(d[path: "metadata", "generation"] == 2)
        d["status"] = ["replicas": 3]
        let afterStatus = try await store.update(deployments, namespace: "default", object: d, subresource: "status")
        #expect(afterStatus[path: "metadata", "generation"] == 2)
        #expect(afterStatus[path: "status", "replicas"] == 3)
        // Main-resource writes cannot change status.
        var again = afterStatus
        again["status"] = ["replicas": 99]
        again.set(path: ["spec", "replicas"], to: 4)
        let main = try await store.update(deployments, namespace: "default", object: again)
        #expect(main[path: "status", "replicas"] == 3)
    }

    @Test func staleResourceVersionConflicts() async throws {
        let store = await ObjectStore()
        let a = try await store.create(configMaps, namespace: "default", object: configMap("a"))
        var b = a
        b["data"] = ["k": "2"]
        _ = try await store.update(configMaps, namespace: "default", object: b)
        var stale = a
        stale["data"] = ["k": "3"]
        do {
            _ = try await store.update(configMaps, namespace: "default", object: stale)
            Issue.record("expected conflict")
        } catch {
            #expect(error.code == 409)
            #expect(error.message == "Operation cannot be fulfilled on configmaps \"a\": the object has been modified; please apply your changes to the latest version and try again")
        }
    }

    @Test func noOpUpdateWritesNothing() async throws {
        let store = await ObjectStore()
        let a = try await store.create(configMaps, namespace: "default", object: configMap("a"))
        let rv = await store.currentResourceVersion
        let same = try await store.update(configMaps, namespace: "default", object: a)
        #expect(same.resourceVersion == a.resourceVersion)
        #expect(await store.currentResourceVersion == rv)
    }

    @Test func finalizersHoldDeletion() async throws {
        let store = await ObjectStore()
        var object = configMap("held")
        object.setMetadata("finalizers", ["example.com/hold"])
        _ = try await store.create(configMaps, namespace: "default", object: object)
        let outcome = try await store.delete(configMaps, namespace: "default", name: "held")
        guard case .pending(let pending) = outcome else { Issue.record("expected pending"); return }
        #expect(pending.isDeleting)
        var release = pending
        release.setMetadata("finalizers", nil)
        _ = try await store.update(configMaps, namespace: "default", object: release)
        await #expect(throws: APIError.self) { try await store.get(configMaps, namespace: "default", name: "held") }
    }

    func ownedReplicaSet(_ owner: Value, block: Bool = true) -> Value {
        var rs: Value = ["apiVersion": "apps/v1", "kind": "ReplicaSet",
                         "metadata": ["name": .string(owner.name + "-abc"),
                                      "ownerReferences": [["apiVersion": "apps/v1", "kind": "Deployment", "name": .string(owner.name),
                                                           "uid": .string(owner.uid), "controller": true, "blockOwnerDeletion": .bool(block)]]],
                         "spec": owner["spec"]!]
        rs["spec"]?["strategy"] = nil
        rs["spec"]?["progressDeadlineSeconds"] = nil
        return rs
    }

    @Test func backgroundDeletionCollectsDependents() async throws {
        let store = await ObjectStore()
        let d = try await store.create(deployments, namespace: "default", object: deployment("web"))
        _ = try await store.create(replicaSets, namespace: "default", object: ownedReplicaSet(d))
        _ = try await store.delete(deployments, namespace: "default", name: "web", options: .init(propagationPolicy: .background))
        #expect(try await store.list(replicaSets, namespace: "default").items.isEmpty)
    }

    @Test func orphanDeletionKeepsDependentsWithoutOwner() async throws {
        let store = await ObjectStore()
        let d = try await store.create(deployments, namespace: "default", object: deployment("web"))
        _ = try await store.create(replicaSets, namespace: "default", object: ownedReplicaSet(d))
        _ = try await store.delete(deployments, namespace: "default", name: "web", options: .init(propagationPolicy: .orphan))
        await #expect(throws: APIError.self) { try await store.get(deployments, namespace: "default", name: "web") }
        let rs = try await store.get(replicaSets, namespace: "default", name: "web-abc")
        #expect(rs.ownerReferences.isEmpty)
    }

    @Test func foregroundDeletionWaitsForBlockingDependents() async throws {
        let store = await ObjectStore()
        let d = try await store.create(deployments, namespace: "default", object: deployment("web"))
        var rs = ownedReplicaSet(d)
        rs.setMetadata("finalizers", ["example.com/slow"])
        _ = try await store.create(replicaSets, namespace: "default", object: rs)
        let outcome = try await store.delete(deployments, namespace: "default", name: "web", options: .init(propagationPolicy: .foreground))
        guard case .pending(let owner) = outcome else { Issue.record("owner should wait"); return }
        #expect(owner.finalizers == ["foregroundDeletion"])
        let child = try await store.get(replicaSets, namespace: "default", name: "web-abc")
        #expect(child.isDeleting)
        var release = child
        release.setMetadata("finalizers", nil)
        _ = try await store.update(replicaSets, namespace: "default", object: release)
        await #expect(throws: APIError.self) { try await store.get(deployments, namespace: "default", name: "web") }
    }

    @Test func namespaceDeletionRemovesContents() async throws {
        let store = await ObjectStore()
        _ = try await store.create(namespaces, namespace: nil, object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "demo"]])
        var held = configMap("held")
        held.setMetadata("finalizers", ["example.com/hold"])
        _ = try await store.create(configMaps, namespace: "demo", object: held)
        _ = try await store.create(configMaps, namespace: "demo", object: configMap("plain"))
        _ = try await store.delete(namespaces, namespace: nil, name: "demo")
        let ns = try await store.get(namespaces, namespace: nil, name: "demo")
        #expect(ns[path: "status", "phase"] == "Terminating")
        #expect(try await store.list(configMaps, namespace: "demo").items.map(\.name) == ["held"])
        do {
            _ = try await store.create(configMaps, namespace: "demo", object: configMap("new"))
            Issue.record("expected 403")
        } catch { #expect(error.code == 403) }
        var release = try await store.get(configMaps, namespace: "demo", name: "held")
        release.setMetadata("finalizers", nil)
        _ = try await store.update(configMaps, namespace: "demo", object: release)
        await #expect(throws: APIError.self) { try await store.get(namespaces, namespace: nil, name: "demo") }
    }

    @Test func watchReplaysAndExpires() async throws {
        let store = await ObjectStore(historyLimit: 3)
        let first = try await store.create(configMaps, namespace: "default", object: configMap("a"))
        let stream = try await store.watch(configMaps.groupResource, namespace: "default", since: Int64(first.resourceVersion)!)
        _ = try await store.create(configMaps, namespace: "default", object: configMap("b"))
        var iterator = stream.makeAsyncIterator()
        let event = await iterator.next()
        #expect(event?.type == .added && event?.object.name == "b")
        for i in 0..<5 { _ = try await store.create(configMaps, namespace: "default", object: configMap("x\(i)")) }
        do {
            _ = try await store.watch(configMaps.groupResource, since: Int64(first.resourceVersion)!)
            Issue.record("expected 410")
        } catch { #expect(error.code == 410 && error.reason == "Expired") }
    }

    @Test func listPaginates() async throws {
        let store = await ObjectStore()
        for i in 0..<5 { _ = try await store.create(configMaps, namespace: "default", object: configMap("cm\(i)")) }
        let mine: @Sendable (Value) -> Bool = { $0.name.hasPrefix("cm") }
        let page1 = try await store.list(configMaps, namespace: "default", limit: 2, filter: mine)
        #expect(page1.items.map(\.name) == ["cm0", "cm1"])
        #expect(page1.remainingItemCount == 3)
        let page2 = try await store.list(configMaps, namespace: "default", limit: 2, continueToken: page1.continueToken, filter: mine)
        #expect(page2.items.map(\.name) == ["cm2", "cm3"])
        let page3 = try await store.list(configMaps, namespace: "default", limit: 2, continueToken: page2.continueToken, filter: mine)
        #expect(page3.items.map(\.name) == ["cm4"] && page3.continueToken == nil)
    }

    @Test func crdRegistersKindAndConditions() async throws {
        let store = await ObjectStore()
        let crd: Value = [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": "widgets.example.com"],
            "spec": ["group": "example.com", "scope": "Namespaced",
                     "names": ["plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"]],
                     "versions": [["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": ["type": "object"]]]]],
        ]
        _ = try await store.create(crds, namespace: nil, object: crd)
        let live = try await store.get(crds, namespace: nil, name: "widgets.example.com")
        let conditions = live[path: "status", "conditions"]?.arrayValue ?? []
        #expect(conditions.contains { $0["type"] == "Established" && $0["status"] == "True" })
        let widgets = try #require(await store.registry.lookup(group: "example.com", version: "v1", plural: "widgets"))
        #expect(widgets.shortNames == ["wd"] && widgets.namespaced)
        let w = try await store.create(widgets, namespace: "default", object: ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w1"], "spec": ["size": 1]])
        #expect(w[path: "metadata", "generation"] == 1)
        _ = try await store.delete(crds, namespace: nil, name: "widgets.example.com")
        #expect(await store.registry.lookup(group: "example.com", version: "v1", plural: "widgets") == nil)
    }

    @Test func validationRejectsBadNamesAndImmutableSelector() async throws {
        let store = await ObjectStore()
        do {
            _ = try await store.create(configMaps, namespace: "default", object: configMap("Bad_Name"))
            Issue.record("expected 422")
        } catch {
            #expect(error.code == 422)
            #expect(error.message.hasPrefix("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"))
        }
        var d = try await store.create(deployments, namespace: "default", object: deployment("web"))
        d.set(path: ["spec", "selector"], to: ["matchLabels": ["app": "other"]])
        d.set(path: ["spec", "template", "metadata", "labels"], to: ["app": "other"])
        do {
            _ = try await store.update(deployments, namespace: "default", object: d)
            Issue.record("expected 422")
        } catch {
            #expect(error.code == 422)
            #expect(error.causes.map(\.field) == ["spec.selector"])
            #expect(error.message.hasPrefix("Deployment.apps \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"other\"}"))
        }
    }
}

extension ObjectStoreTests {
    @Test func compactionExpiresEveryResume() async throws {
        let store = await ObjectStore()
        let a = try await store.create(configMaps, namespace: "default", object: configMap("a"))
        _ = try await store.create(configMaps, namespace: "default", object: configMap("b"))
        await store.compactHistory()
        await #expect(throws: APIError.self) { try await store.watch(configMaps.groupResource, since: Int64(a.resourceVersion)!) }
        // Resuming from now on works again.
        let now = await store.currentResourceVersion
        _ = try await store.watch(configMaps.groupResource, since: now)
    }

    @Test func generateNameAndDryRun() async throws {
        let store = await ObjectStore()
        var object = configMap("")
        object.setMetadata("name", nil)
        object.setMetadata("generateName", "gen-")
        let created = try await store.create(configMaps, namespace: "default", object: object)
        #expect(created.name.hasPrefix("gen-") && created.name.count == 9)
        let before = await store.currentResourceVersion
        let dry = try await store.create(configMaps, namespace: "default", object: configMap("dry"), dryRun: true)
        #expect(dry.resourceVersion.isEmpty && !dry.uid.isEmpty)
        #expect(await store.currentResourceVersion == before)
        await #expect(throws: APIError.self) { try await store.get(configMaps, namespace: "default", name: "dry") }
    }
}

/// Metadata normalization: empty fields dropped, server order; already-normal metadata untouched.
@Suite struct ObjectStoreNormalizeMetadataTests {
    @Test func ordersAndDropsEmptyFields() {
        let object: Value = ["kind": "ConfigMap", "metadata": ["labels": ["a": "b"], "custom": 1, "name": "x", "annotations": [:],
                                                               "finalizers": [], "namespace": "ns", "managedFields": nil]]
        let normal = ObjectStore.normalizeMetadata(object)
        #expect(JSON.wireString(normal) == #"{"kind":"ConfigMap","metadata":{"name":"x","namespace":"ns","labels":{"a":"b"},"custom":1}}"#)
        #expect(JSON.wireString(ObjectStore.normalizeMetadata(normal)) == JSON.wireString(normal))
    }

    @Test func leavesNormalMetadataAsItIs() {
        let object: Value = ["metadata": ["name": "x", "uid": "u", "labels": ["a": "b"], "managedFields": [["manager": "m"]], "zzz": 1, "aaa": 2]]
        #expect(JSON.wireString(ObjectStore.normalizeMetadata(object)) == JSON.wireString(object))
        let unordered: Value = ["metadata": ["uid": "u", "name": "x"]]
        #expect(JSON.wireString(ObjectStore.normalizeMetadata(unordered)) == #"{"metadata":{"name":"x","uid":"u"}}"#)
        let empty: Value = ["metadata": ["name": "x", "labels": [:]]]
        #expect(JSON.wireString(ObjectStore.normalizeMetadata(empty)) == #"{"metadata":{"name":"x"}}"#)
    }
}

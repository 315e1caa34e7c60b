import Foundation
import KubeSim
import Structured
import Testing
import TestSupport

@testable import Kube

@Suite struct HTTPKubeClientTests {
    func expectKubeError(
        _ message: String, reason: String? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async {
        do {
            try await body()
            Issue.record("expected: \(message)", sourceLocation: sourceLocation)
        } catch let error as KubeError {
            #expect(error.description == message, sourceLocation: sourceLocation)
            if let reason { #expect(error.reason == reason, sourceLocation: sourceLocation) }
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func createGetUpdateDeleteWithKubectlMessages() async throws {
        try await SimHarness.with { sim in
            try await withClient(try sim.client()) { client in
                let created = try await client.create(configMap("app", labels: ["tier": "web"]))
                #expect(created[path: "metadata", "uid"]?.stringValue?.isEmpty == false)
                let ref = ObjectReference(apiVersion: "v1", kind: "ConfigMap", name: "app")
                var live = try await client.get(ref)
                #expect(live["data"] == ["k": "v"])

                await expectKubeError("configmaps \"app\" already exists", reason: "AlreadyExists") {
                    _ = try await client.create(configMap("app"))
                }
                await expectKubeError("configmaps \"nope\" not found", reason: "NotFound") {
                    _ = try await client.get(ObjectReference(apiVersion: "v1", kind: "ConfigMap", name: "nope"))
                }

                live["data"] = ["k": "v2"]
                let updated = try await client.update(live)
                #expect(updated["data"] == ["k": "v2"])
                // `live` still carries the old resourceVersion: optimistic concurrency says no.
                await expectKubeError(
                    "Operation cannot be fulfilled on configmaps \"app\": the object has been modified; please apply your changes to the latest version and try again",
                    reason: "Conflict"
                ) { _ = try await client.update(live) }

                await expectKubeError(
                    "Operation cannot be fulfilled on configmaps \"app\": Precondition failed: UID in precondition: wrong-uid, UID in object meta: \(created[path: "metadata", "uid"]!.stringValue!)",
                    reason: "Conflict"
                ) { _ = try await client.delete(ref, options: DeleteOptions(preconditionUID: "wrong-uid")) }
                _ = try await client.delete(
                    ref, options: DeleteOptions(propagationPolicy: .foreground, gracePeriodSeconds: 0,
                        preconditionUID: created[path: "metadata", "uid"]!.stringValue!))
                await expectKubeError("configmaps \"app\" not found") { _ = try await client.get(ref) }
            }
        }
    }

    @Test func deletePropagationDryRunAndFinalizers() async throws {
        try await SimHarness.with { sim in
            try await withClient(try sim.client()) { client in
                func ref(_ name: String) -> ObjectReference { ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: name) }
                func dependent(_ name: String, of owner: Value) -> Value {
                    var object = configMap(name)
                    object["metadata"]?["ownerReferences"] = [[
                        "apiVersion": "v1", "kind": "ConfigMap", "name": owner[path: "metadata", "name"]!,
                        "uid": owner[path: "metadata", "uid"]!,
                    ]]
                    return object
                }
                // Orphan: the dependent stays, without its ownerReference.
                let owner = try await client.create(configMap("owner"))
                _ = try await client.create(dependent("child", of: owner))
                _ = try await client.delete(ref("owner"), options: DeleteOptions(propagationPolicy: .orphan))
                let orphan = try await client.get(ref("child"))
                #expect((orphan[path: "metadata", "ownerReferences"]?.arrayValue ?? []).isEmpty)

                // Background: the dependent goes too.
                let owner2 = try await client.create(configMap("owner2"))
                _ = try await client.create(dependent("child2", of: owner2))
                #expect(try await client.delete(ref("owner2"), options: DeleteOptions(propagationPolicy: .background)) == nil)
                let deadline = ContinuousClock.now + .seconds(10)
                while (try? await client.get(ref("child2"))) != nil && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                await expectKubeError("configmaps \"child2\" not found") { _ = try await client.get(ref("child2")) }

                // Dry run: the answer, nothing deleted.
                _ = try await client.delete(ref("child"), options: DeleteOptions(dryRun: true))
                #expect(try await client.get(ref("child"))[path: "metadata", "name"] == "child")

                // A finalizer keeps the object: delete returns it, marked for deletion.
                var held = configMap("held")
                held["metadata"]?["finalizers"] = ["example.com/hold"]
                _ = try await client.create(held)
                let pending = try await client.delete(ref("held"))
                #expect(pending?[path: "metadata", "deletionTimestamp"] != nil)
                _ = try await client.patch(ref("held"), .merge(["metadata": ["finalizers": nil]]))
                await expectKubeError("configmaps \"held\" not found") { _ = try await client.get(ref("held")) }
            }
        }
    }

    @Test func serverSideApplyDryRunForceAndValidation() async throws {
        try await SimHarness.with { sim in
            try await withClient(try sim.client()) { client in
                func deployment(replicas: Int64, image: String = "nginx:1") -> Value {
                    [
                        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default"],
                        "spec": [
                            "replicas": .int(replicas), "selector": ["matchLabels": ["app": "web"]],
                            "template": [
                                "metadata": ["labels": ["app": "web"]],
                                "spec": ["containers": [["name": "web", "image": .string(image)]]],
                            ],
                        ],
                    ]
                }
                let dry = try await client.apply(deployment(replicas: 2), options: ApplyOptions(fieldManager: "bosun", dryRun: true))
                #expect(dry[path: "spec", "replicas"] == 2)
                let ref = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", name: "web")
                await expectKubeError("deployments.apps \"web\" not found") { _ = try await client.get(ref) }

                let applied = try await client.apply(deployment(replicas: 2), options: ApplyOptions(fieldManager: "bosun"))
                #expect(applied[path: "spec", "replicas"] == 2)
                let managers = applied[path: "metadata", "managedFields"]?.arrayValue?.compactMap { $0["manager"]?.stringValue }
                #expect(managers == ["bosun"])

                // Another manager changing a field bosun owns conflicts unless forced.
                do {
                    _ = try await client.apply(deployment(replicas: 3), options: ApplyOptions(fieldManager: "other"))
                    Issue.record("expected an apply conflict")
                } catch let error as KubeError {
                    #expect(error.isConflict)
                    #expect(error.description.contains("conflict"))
                }
                let forced = try await client.apply(deployment(replicas: 3), options: ApplyOptions(fieldManager: "other", force: true))
                #expect(forced[path: "spec", "replicas"] == 3)

                // The server's Status message is passed through verbatim (kubesim's wording of a real check).
                var mismatched = deployment(replicas: 1)
                var spec = mismatched["spec"]!
                var template = spec["template"]!
                template["metadata"] = ["labels": ["app": "other"]]
                spec["template"] = template
                mismatched["spec"] = spec
                do {
                    _ = try await client.apply(mismatched, options: ApplyOptions(fieldManager: "bosun", force: true))
                    Issue.record("expected Invalid")
                } catch let error as KubeError {
                    #expect(error.isInvalid && error.code == 422)
                    #expect(error.description.hasPrefix("Deployment.apps \"web\" is invalid: spec.template.metadata.labels: Invalid value: "))
                    #expect(error.status?.causes.first?.field == "spec.template.metadata.labels")
                }
            }
        }
    }

    @Test func patchKinds() async throws {
        try await SimHarness.with { sim in
            try await withClient(try sim.client()) { client in
                _ = try await client.create(configMap("p", data: ["a": "1", "b": "2"]))
                let ref = ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "p")
                let merged = try await client.patch(ref, .merge(["data": ["a": nil, "c": "3"]]))
                #expect(merged["data"] == ["b": "2", "c": "3"])
                let jsonPatched = try await client.patch(ref, .json([["op": "replace", "path": "/data/b", "value": "20"]]))
                #expect(jsonPatched[path: "data", "b"] == "20")
                let strategic = try await client.patch(ref, .strategicMerge(["metadata": ["labels": ["x": "y"]]]))
                #expect(strategic[path: "metadata", "labels"] == ["x": "y"])
                let dry = try await client.patch(ref, .merge(["data": ["d": "4"]]), options: WriteOptions(dryRun: true))
                #expect(dry[path: "data", "d"] == "4")
                #expect(try await client.get(ref)[path: "data", "d"] == nil)
            }
        }
    }

    @Test func listFollowsContinueTokensAndSelectors() async throws {
        try await SimHarness.with { sim in
            try await withClient(try sim.client()) { client in
                for i in 0..<25 {
                    _ = try await client.create(configMap("cm-\(i)", labels: ["parity": i % 2 == 0 ? "even" : "odd"]))
                }
                let selector = ResourceSelector(apiVersion: "v1", kind: "ConfigMap", namespace: "default")
                let all = try await client.list(selector, options: ListOptions(limit: 10))
                #expect(all.items.count >= 25)  // kube-root-ca.crt may be there too
                let names = Set(all.items.compactMap { $0[path: "metadata", "name"]?.stringValue })
                #expect(names.isSuperset(of: (0..<25).map { "cm-\($0)" }))
                #expect(all.items.allSatisfy { $0["kind"] == "ConfigMap" && $0["apiVersion"] == "v1" })
                #expect(!all.resourceVersion.isEmpty)
                let lists = try sim.audit().filter { $0["verb"] == "list" && $0["resource"] == "configmaps" }
                #expect(lists.count == 3)
                #expect(lists.dropFirst().allSatisfy { $0["query"]?.stringValue?.contains("continue=") == true })

                let even = try await client.list(selector, options: ListOptions(labelSelector: "parity=even"))
                #expect(even.items.count == 13)
                let named = try await client.list(selector, options: ListOptions(fieldSelector: "metadata.name=cm-7"))
                #expect(named.items.map { $0[path: "metadata", "name"] } == ["cm-7"])
            }
        }
    }

    @Test func clusterScopedObjectsAndDefaultNamespace() async throws {
        try await SimHarness.with { sim in
            let path = try sim.writeKubeconfig(user: sim.certificateUser, name: "ns.json", namespace: "team")
            try await withClient(try sim.client(kubeconfig: path)) { client in
                #expect(client.defaultNamespace == "team")
                _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
                let ns = try await client.get(ObjectReference(apiVersion: "v1", kind: "Namespace", namespace: "ignored", name: "team"))
                #expect(ns[path: "metadata", "name"] == "team")
                // No namespace on the object: the context's namespace is used.
                let cm = try await client.create(configMap("in-team", namespace: nil))
                #expect(cm[path: "metadata", "namespace"] == "team")
                let resource = try await client.resource(apiVersion: "v1", kind: "Namespace")
                #expect(!resource.namespaced && resource.name == "namespaces")
            }
        }
    }

    @Test func eventsForAnObject() async throws {
        try await SimHarness.with { sim in
            try await withClient(try sim.client()) { client in
                let cm = try await client.create(configMap("watched"))
                let uid = cm[path: "metadata", "uid"]!
                for (i, reason) in ["Second", "First"].enumerated() {
                    _ = try await client.create([
                        "apiVersion": "v1", "kind": "Event",
                        "metadata": ["name": .string("watched.\(i)"), "namespace": "default"],
                        "involvedObject": ["kind": "ConfigMap", "name": "watched", "namespace": "default", "uid": uid, "apiVersion": "v1"],
                        "reason": .string(reason), "message": "m", "type": "Normal",
                        "lastTimestamp": .string(i == 0 ? "2026-01-01T00:00:02Z" : "2026-01-01T00:00:01Z"),
                    ])
                }
                _ = try await client.create([
                    "apiVersion": "v1", "kind": "Event", "metadata": ["name": "other.1", "namespace": "default"],
                    "involvedObject": ["kind": "ConfigMap", "name": "other", "namespace": "default", "uid": "x"],
                    "reason": "Other", "message": "m", "type": "Normal",
                ])
                let events = try await client.events(for: cm)
                #expect(events.map { $0["reason"] } == ["First", "Second"])
            }
        }
    }
}

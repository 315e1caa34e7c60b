import Foundation
import Kube
import KubeSim
import SimClusterSupport
import Structured
import TestSupport
@testable import Tracking

/// An in-process kubesim and a real HTTP client to it. Bare (no controllers: the test writes every
/// status itself, so states are deterministic) or simulated (controllers and kubelet, fast clock).
struct TestCluster {
    let sim: SimCluster
    var server: KubeSimServer { sim.server }
    var client: HTTPKubeClient { sim.client }

    /// Runs `body` against a fresh cluster and shuts it down whatever happens.
    static func with<T>(
        simulated: Bool = false, scale: Double = 4, _ body: (TestCluster) async throws -> T
    ) async throws -> T {
        let simulation = simulated
            ? SimulationOptions(podStartDelay: 0.2, seedSystemObjects: false, clock: SimClock(scale: scale)) : nil
        return try await SimCluster.with(KubeSimServer.Options(simulation: simulation)) { sim in
            try await body(TestCluster(sim: sim))
        }
    }

    func create(_ object: Value) async throws -> Value {
        try await client.create(object, options: WriteOptions())
    }

    private func type(_ object: Value) async throws -> ResourceType {
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let kind = object["kind"]?.stringValue ?? ""
        guard let type = await server.store.registry.lookup(apiVersion: apiVersion, kind: kind) else {
            throw TrackingError("no type for \(apiVersion) \(kind)")
        }
        return type
    }

    /// Write `status` through the status subresource, as a controller or the kubelet would.
    @discardableResult
    func setStatus(_ object: Value, _ status: Value) async throws -> Value {
        let type = try await type(object)
        let ns = object[path: "metadata", "namespace"]?.stringValue ?? "default"
        var live = try await server.store.get(type, namespace: ns, name: object[path: "metadata", "name"]!.stringValue!)
        live["status"] = status
        return try await server.store.update(type, namespace: ns, object: live, subresource: "status")
    }

    func delete(_ object: Value) async throws {
        _ = try await client.delete(try ObjectReference(of: object), options: DeleteOptions())
    }

    /// A core/v1 Event about `object` (or a pod), as a controller records it.
    func recordEvent(about object: Value, type: String = "Normal", reason: String, message: String, fieldPath: String? = nil) async throws {
        let ns = object[path: "metadata", "namespace"]?.stringValue ?? "default"
        var involved: Value = [
            "apiVersion": object["apiVersion"] ?? "v1", "kind": object["kind"] ?? "", "namespace": .string(ns),
            "name": object[path: "metadata", "name"] ?? "", "uid": object[path: "metadata", "uid"] ?? "",
        ]
        if let fieldPath { involved["fieldPath"] = .string(fieldPath) }
        let name = (object[path: "metadata", "name"]?.stringValue ?? "x") + "." + String(UInt64.random(in: 1..<UInt64.max), radix: 16)
        _ = try await create([
            "apiVersion": "v1", "kind": "Event", "metadata": ["name": .string(name), "namespace": .string(ns)],
            "involvedObject": involved, "reason": .string(reason), "message": .string(message), "type": .string(type),
            "count": 1, "source": ["component": "test"],
        ])
    }

    /// Audit entries so far: (verb, resource).
    func auditEntries() throws -> [(verb: String, resource: String, query: String)] {
        try sim.auditLines().map { ($0["verb"]?.stringValue ?? "", $0["resource"]?.stringValue ?? "", $0["query"]?.stringValue ?? "") }
    }
}

/// Builders for the objects the session tests track.
enum Manifests {
    static func deployment(
        _ name: String, replicas: Int = 1, annotations: [String: String] = [:], podAnnotations: [String: String] = [:],
        containers: [String] = ["app"], image: String = "nginx:1.27"
    ) -> Value {
        var template: Value = ["metadata": ["labels": ["app": .string(name)]],
                               "spec": ["containers": .array(containers.map { ["name": .string($0), "image": .string(image)] })]]
        if !podAnnotations.isEmpty { template["metadata"]?["annotations"] = object(podAnnotations) }
        return [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": .string(name), "namespace": "default", "annotations": object(annotations)],
            "spec": ["replicas": .int(Int64(replicas)), "selector": ["matchLabels": ["app": .string(name)]], "template": template],
        ]
    }

    static func job(_ name: String, annotations: [String: String] = [:], podAnnotations: [String: String] = [:], backoffLimit: Int = 0) -> Value {
        [
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": ["name": .string(name), "namespace": "default", "annotations": object(annotations)],
            "spec": ["backoffLimit": .int(Int64(backoffLimit)),
                     "template": ["metadata": ["annotations": object(podAnnotations)],
                                  "spec": ["restartPolicy": "Never", "containers": [["name": "app", "image": "busybox"]]]]],
        ]
    }

    /// A Job's status once its one pod succeeded.
    static let completeJob: Value = ["succeeded": 1, "conditions": [["type": "Complete", "status": "True"]]]

    static func configMap(_ name: String, annotations: [String: String] = [:]) -> Value {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "default", "annotations": object(annotations)],
         "data": ["k": "v"]]
    }

    static func pod(_ name: String, annotations: [String: String] = [:], owner: Value? = nil) -> Value {
        var metadata: Value = ["name": .string(name), "namespace": "default", "annotations": object(annotations), "labels": ["app": .string(name)]]
        if let owner {
            metadata["ownerReferences"] = [["apiVersion": owner["apiVersion"]!, "kind": owner["kind"]!, "name": owner[path: "metadata", "name"]!,
                                            "uid": owner[path: "metadata", "uid"]!, "controller": true]]
        }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata,
                "spec": ["restartPolicy": "Never", "containers": [["name": "app", "image": "busybox"]]]]
    }

    static func object(_ map: [String: String]) -> Value {
        .object(.init(uniqueKeysWithValues: map.sorted { $0.key < $1.key }.map { ($0.key, Value.string($0.value)) }))
    }

    /// A finished Deployment status for `replicas`.
    static func rolledOut(_ replicas: Int, generation: Int = 1) -> Value {
        let n = Value.int(Int64(replicas))
        return ["observedGeneration": .int(Int64(generation)), "replicas": n, "updatedReplicas": n, "readyReplicas": n, "availableReplicas": n]
    }

    /// A pod status with one container `app` waiting for `reason`.
    static func waitingPod(_ reason: String, message: String = "", restarts: Int = 0, phase: String = "Pending") -> Value {
        ["phase": .string(phase), "containerStatuses": [["name": "app", "ready": false, "restartCount": .int(Int64(restarts)),
                                                         "state": ["waiting": ["reason": .string(reason), "message": .string(message)]]]]]
    }
}

/// Collects a whole session.
struct Collected {
    var events: [TrackingEvent] = []

    var result: TrackingResult? {
        for e in events { if case .result(let r) = e { return r } }
        return nil
    }

    func states(_ name: String) -> [ResourceState] {
        events.compactMap { if case .state(let id, let s) = $0, id.name == name { return s } else { return nil } }
    }

    var logs: [LogLine] { events.compactMap { if case .log(_, let l) = $0 { return l } else { return nil } } }
    var objectEvents: [(ResourceID, ObjectEvent)] { events.compactMap { if case .event(let id, let e) = $0 { return (id, e) } else { return nil } } }
    var notices: [String] { events.compactMap { if case .notice(_, let n) = $0 { return n.text } else { return nil } } }

    static func run(_ stream: AsyncThrowingStream<TrackingEvent, any Error>, until: ((TrackingEvent) -> Bool)? = nil) async throws -> Collected {
        var c = Collected()
        for try await e in stream {
            c.events.append(e)
            if let until, until(e) { break }
        }
        return c
    }
}

import Foundation
import Structured
import TestSupport
@testable import Tracking

/// Object builders and fixture loading for the tracking tests.
enum TrackingFixtures {
    static let directory = Repository.root + "/Tests/Fixtures/Tracking"

    /// One object from YAML text.
    static func object(_ yaml: String) -> Value {
        try! YAML.decode(yaml, mode: .manifest)
    }

    /// A fixture file: the first document is the tracked object, the rest its pods, ReplicaSets and events.
    static func snapshot(file: String) throws -> ResourceSnapshot {
        let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
        let docs = try YAML.decodeAll(text, mode: .manifest, file: file).filter { !$0.isNull }
        var snapshot = ResourceSnapshot(object: docs[0])
        for doc in docs.dropFirst() {
            switch doc["kind"]?.stringValue {
            case "Pod": snapshot.pods.append(doc)
            case "ReplicaSet": snapshot.replicaSets.append(doc)
            case "Event": snapshot.events.append(doc)
            default: break
            }
        }
        return snapshot
    }

    static func state(_ object: Value, pods: [Value] = [], replicaSets: [Value] = [], events: [Value] = []) throws -> ResourceState {
        try ReadinessRules.state(of: ResourceSnapshot(object: object, pods: pods, replicaSets: replicaSets, events: events))
    }

    /// A pod with `containers` statuses given as (name, state object, ready, restarts).
    static func pod(
        _ name: String, namespace: String = "default", labels: [String: String] = [:], owner: (kind: String, name: String, uid: String)? = nil,
        phase: String = "Running", ready: Bool = false, containers: [Value] = [], initContainers: [Value] = [],
        initSpecs: [Value]? = nil, reason: String? = nil, deleting: Bool = false, extraConditions: [Value] = []
    ) -> Value {
        var metadata: Value = ["name": .string(name), "namespace": .string(namespace)]
        if !labels.isEmpty { metadata["labels"] = .object(.init(uniqueKeysWithValues: labels.sorted { $0.key < $1.key }.map { ($0.key, Value.string($0.value)) })) }
        if let owner {
            metadata["ownerReferences"] = [["apiVersion": "apps/v1", "kind": .string(owner.kind), "name": .string(owner.name), "uid": .string(owner.uid), "controller": true]]
        }
        if deleting { metadata["deletionTimestamp"] = "2026-01-01T00:00:00Z" }
        var status: Value = ["phase": .string(phase)]
        if let reason { status["reason"] = .string(reason) }
        var conditions: [Value] = [["type": "Ready", "status": ready ? "True" : "False"]]
        conditions += extraConditions
        status["conditions"] = .array(conditions)
        if !containers.isEmpty { status["containerStatuses"] = .array(containers) }
        if !initContainers.isEmpty { status["initContainerStatuses"] = .array(initContainers) }
        let specContainers: [Value] = containers.isEmpty ? [["name": "app"]] : containers.map { ["name": $0["name"] ?? "app"] }
        var spec: Value = ["containers": .array(specContainers)]
        if let initSpecs { spec["initContainers"] = .array(initSpecs) } else if !initContainers.isEmpty {
            spec["initContainers"] = .array(initContainers.map { ["name": $0["name"] ?? "init"] })
        }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec, "status": status]
    }

    static func running(_ name: String = "app", ready: Bool = true, restarts: Int64 = 0) -> Value {
        ["name": .string(name), "ready": .bool(ready), "restartCount": .int(restarts), "state": ["running": ["startedAt": "2026-01-01T00:00:00Z"]]]
    }

    static func waiting(_ name: String = "app", reason: String, message: String = "", restarts: Int64 = 0) -> Value {
        ["name": .string(name), "ready": false, "restartCount": .int(restarts), "state": ["waiting": ["reason": .string(reason), "message": .string(message)]]]
    }

    static func terminated(_ name: String = "app", exitCode: Int64, reason: String? = nil, signal: Int64? = nil, restarts: Int64 = 0) -> Value {
        var t: Value = ["exitCode": .int(exitCode)]
        if let reason { t["reason"] = .string(reason) }
        if let signal { t["signal"] = .int(signal) }
        return ["name": .string(name), "ready": false, "restartCount": .int(restarts), "state": ["terminated": t]]
    }
}

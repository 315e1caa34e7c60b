import Foundation
import Structured

/// Resource types and small object helpers the controllers share.
enum Kinds {
    static let registry = ResourceRegistry.builtIn
    static let pods = registry.lookup(group: "", version: "v1", plural: "pods")!
    static let nodes = registry.lookup(group: "", version: "v1", plural: "nodes")!
    static let events = registry.lookup(group: "", version: "v1", plural: "events")!
    static let eventsV1 = registry.lookup(group: "events.k8s.io", version: "v1", plural: "events")!
    static let services = registry.lookup(group: "", version: "v1", plural: "services")!
    static let endpoints = registry.lookup(group: "", version: "v1", plural: "endpoints")!
    static let endpointSlices = registry.lookup(group: "discovery.k8s.io", version: "v1", plural: "endpointslices")!
    static let pvcs = registry.lookup(group: "", version: "v1", plural: "persistentvolumeclaims")!
    static let pvs = registry.lookup(group: "", version: "v1", plural: "persistentvolumes")!
    static let storageClasses = registry.lookup(group: "storage.k8s.io", version: "v1", plural: "storageclasses")!
    static let deployments = registry.lookup(group: "apps", version: "v1", plural: "deployments")!
    static let replicaSets = registry.lookup(group: "apps", version: "v1", plural: "replicasets")!
    static let statefulSets = registry.lookup(group: "apps", version: "v1", plural: "statefulsets")!
    static let daemonSets = registry.lookup(group: "apps", version: "v1", plural: "daemonsets")!
    static let controllerRevisions = registry.lookup(group: "apps", version: "v1", plural: "controllerrevisions")!
    static let jobs = registry.lookup(group: "batch", version: "v1", plural: "jobs")!
    static let cronJobs = registry.lookup(group: "batch", version: "v1", plural: "cronjobs")!
}

extension Value {
    var spec: Value { self["spec"] ?? .object([:]) }
    var status: Value { self["status"] ?? .object([:]) }
    var generation: Int64 { self[path: "metadata", "generation"]?.intValue ?? 0 }
    var kind: String { self["kind"]?.stringValue ?? "" }
    var objectKey: ObjectKey { ObjectKey(namespace: namespace, name: name) }

    /// The ownerReference with `controller: true`, if any.
    var controllerRef: Value? { ownerReferences.first { $0["controller"]?.boolValue == true } }

    func isControlled(by owner: Value) -> Bool { controllerRef?["uid"]?.stringValue == owner.uid }

    /// Key of the controlling owner when it is of `kind`.
    func controllerKey(kind: String) -> ObjectKey? {
        guard let ref = controllerRef, ref["kind"]?.stringValue == kind, let name = ref["name"]?.stringValue else { return nil }
        return ObjectKey(namespace: namespace, name: name)
    }

    func int(_ path: String...) -> Int64? {
        var current: Value? = self
        for key in path { current = current?[key] }
        return current?.intValue
    }

    func conditions(at path: [String] = ["status", "conditions"]) -> [Value] { value(at: path)?.arrayValue ?? [] }
    func condition(_ type: String) -> Value? { conditions().first { $0["type"]?.stringValue == type } }
    func conditionIsTrue(_ type: String) -> Bool { condition(type)?["status"]?.stringValue == "True" }
}

/// An ownerReference as controllers write it.
func controllerReference(to owner: Value, apiVersion: String, kind: String) -> Value {
    ["apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(owner.name), "uid": .string(owner.uid),
     "controller": true, "blockOwnerDeletion": true]
}

/// Set a condition in a list, keeping `lastTransitionTime` when the status does not change.
/// `withUpdateTime` adds `lastUpdateTime` (Deployments); `probeTime` adds `lastProbeTime` (Pods, Jobs).
func setCondition(_ list: inout [Value], type: String, status: String, reason: String?, message: String?, now: String,
                  withUpdateTime: Bool = false, probeTime: Bool = false, touchUpdate: Bool = true) {
    let existing = list.firstIndex { $0["type"]?.stringValue == type }
    let old = existing.map { list[$0] }
    var c: Value = ["type": .string(type), "status": .string(status)]
    if probeTime { c["lastProbeTime"] = .null }
    if withUpdateTime {
        let same = old?["status"]?.stringValue == status && old?["reason"]?.stringValue == reason && old?["message"]?.stringValue == message
        c["lastUpdateTime"] = (same || !touchUpdate) ? (old?["lastUpdateTime"] ?? .string(now)) : .string(now)
    }
    c["lastTransitionTime"] = old?["status"]?.stringValue == status ? (old?["lastTransitionTime"] ?? .string(now)) : .string(now)
    if let reason { c["reason"] = .string(reason) }
    if let message { c["message"] = .string(message) }
    if let existing { list[existing] = c } else { list.append(c) }
}

/// A Kubernetes IntOrString that is a count or a percentage of `total`.
func scaledValue(_ value: Value?, total: Int64, roundUp: Bool, default fallback: Int64) -> Int64 {
    guard let value else { return fallback }
    if let i = value.intValue { return i }
    if let s = value.stringValue, s.hasSuffix("%"), let p = Double(s.dropLast()) {
        let raw = Double(total) * p / 100
        return Int64(roundUp ? raw.rounded(.up) : raw.rounded(.down))
    }
    if let s = value.stringValue, let i = Int64(s) { return i }
    return fallback
}

/// The hash controllers put in `pod-template-hash` / `controller-revision-hash`: FNV-32a of the
/// template (keys sorted, so equal templates hash equally whatever wrote them), printed in decimal and
/// mapped onto the alphabet the real controllers use (no vowels, no ambiguous digits).
func templateHash(_ template: Value, collisionCount: Int64 = 0) -> String {
    var hash: UInt32 = 2_166_136_261
    func feed(_ bytes: [UInt8]) { for b in bytes { hash ^= UInt32(b); hash = hash &* 16_777_619 } }
    feed(JSON.wireBytes(sortedKeys(template)))
    if collisionCount > 0 { feed(Array(String(collisionCount).utf8)) }
    return safeEncode(String(hash))
}

func safeEncode(_ text: String) -> String {
    let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
    return String(text.utf8.map { alphabet[Int($0) % alphabet.count] })
}

func sortedKeys(_ value: Value) -> Value {
    switch value {
    case .object(let o):
        var result: Value = .object([:])
        for key in o.keys.sorted() { result[key] = sortedKeys(o[key]!) }
        return result
    case .array(let a): return .array(a.map(sortedKeys))
    default: return value
    }
}

/// Does `selector` (a LabelSelector object: matchLabels + matchExpressions) select `labels`?
func selectorMatches(_ selector: Value?, _ labels: [String: String]) -> Bool {
    guard let selector, selector.objectValue != nil else { return false }
    for (k, v) in selector["matchLabels"]?.objectValue ?? [:] where labels[k] != v.stringValue { return false }
    for expr in selector["matchExpressions"]?.arrayValue ?? [] {
        let key = expr["key"]?.stringValue ?? ""
        let values = expr["values"]?.arrayValue?.compactMap(\.stringValue) ?? []
        switch expr["operator"]?.stringValue ?? "" {
        case "In": if !(labels[key].map(values.contains) ?? false) { return false }
        case "NotIn": if let v = labels[key], values.contains(v) { return false }
        case "Exists": if labels[key] == nil { return false }
        case "DoesNotExist": if labels[key] != nil { return false }
        default: return false
        }
    }
    return true
}

/// Pod readiness and availability as workload controllers count them.
enum PodState {
    static func isActive(_ pod: Value) -> Bool {
        let phase = pod[path: "status", "phase"]?.stringValue
        return !pod.isDeleting && phase != "Succeeded" && phase != "Failed"
    }
    static func isReady(_ pod: Value) -> Bool { pod.conditionIsTrue("Ready") }
    /// Ready for at least `minReadySeconds` at `now`; returns also when it will become available.
    static func availability(_ pod: Value, minReadySeconds: Int64, now: Date) -> (available: Bool, at: Date?) {
        guard isReady(pod) else { return (false, nil) }
        if minReadySeconds <= 0 { return (true, nil) }
        let since = pod.condition("Ready")?["lastTransitionTime"]?.stringValue.flatMap(Timestamp.parse) ?? now
        let at = since.addingTimeInterval(Double(minReadySeconds))
        return (at <= now, at)
    }
}

extension ObjectStore {
    /// Objects of a type in a namespace (all pages), optionally filtered.
    func all(_ type: ResourceType, namespace: String?, where filter: (@Sendable (Value) -> Bool)? = nil) -> [Value] {
        (try? list(type, namespace: namespace, filter: filter).items) ?? []
    }

    /// Write `status` if it differs from the stored one; the store ignores no-op writes anyway.
    @discardableResult
    func writeStatus(_ type: ResourceType, _ object: Value, _ status: Value) -> Value? {
        if object["status"] == status { return object }
        var updated = object
        updated["status"] = status
        updated.setMetadata("resourceVersion", nil)
        return try? update(type, namespace: object.namespace.isEmpty ? nil : object.namespace, object: updated, subresource: "status")
    }

    /// Replace the main resource. By default the object's resourceVersion is a precondition (a
    /// concurrent user edit wins and the controller looks again on its event); `force` drops it for
    /// fields the controller alone owns (a ReplicaSet's replicas under a Deployment).
    @discardableResult
    func overwrite(_ type: ResourceType, _ object: Value, force: Bool = false) -> Value? {
        var updated = object
        if force { updated.setMetadata("resourceVersion", nil) }
        return try? update(type, namespace: object.namespace.isEmpty ? nil : object.namespace, object: updated)
    }
}

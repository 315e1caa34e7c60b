import Foundation
import Structured

/// Writes Events as the real components do: a core/v1 Event named `<object>.<hex nanoseconds>`,
/// repeated events (same object, reason, message, source) folded into `count`/`lastTimestamp`, and
/// the same event mirrored to events.k8s.io/v1 (`regarding`, `note`, `deprecated*` fields).
actor EventRecorder {
    private let store: ObjectStore
    private let clock: SimClock
    private var seen: [String: (name: String, count: Int64, first: String)] = [:]

    init(store: ObjectStore, clock: SimClock) {
        self.store = store
        self.clock = clock
    }

    enum Severity: String { case normal = "Normal", warning = "Warning" }

    func record(_ object: Value, _ type: Severity = .normal, reason: String, message: String,
                component: String, host: String? = nil, fieldPath: String? = nil, action: String? = nil) async {
        let namespace = object.namespace.isEmpty ? "default" : object.namespace
        let now = clock.now()
        let stamp = Timestamp.format(now)
        let key = [object.uid, reason, message, component, fieldPath ?? ""].joined(separator: "\u{1}")
        var involved: Value = ["kind": .string(object.kind)]
        if !object.namespace.isEmpty { involved["namespace"] = .string(object.namespace) }
        involved["name"] = .string(object.name)
        involved["uid"] = .string(object.uid)
        involved["apiVersion"] = object["apiVersion"] ?? "v1"
        involved["resourceVersion"] = .string(object.resourceVersion)
        if let fieldPath { involved["fieldPath"] = .string(fieldPath) }
        var source: Value = ["component": .string(component)]
        if let host { source["host"] = .string(host) }

        if let prior = seen[key],
           var existing = try? await store.get(Kinds.events, namespace: namespace, name: prior.name) {
            let count = prior.count + 1
            seen[key] = (prior.name, count, prior.first)
            existing["count"] = .int(count)
            existing["lastTimestamp"] = .string(stamp)
            existing.setMetadata("resourceVersion", nil)
            _ = try? await store.update(Kinds.events, namespace: namespace, object: existing)
            if var mirror = try? await store.get(Kinds.eventsV1, namespace: namespace, name: prior.name) {
                mirror["deprecatedCount"] = .int(count)
                mirror["deprecatedLastTimestamp"] = .string(stamp)
                mirror.setMetadata("resourceVersion", nil)
                _ = try? await store.update(Kinds.eventsV1, namespace: namespace, object: mirror)
            }
            return
        }
        let nanos = UInt64(now.timeIntervalSince1970 * 1e9) &+ UInt64.random(in: 0..<1000)
        let name = "\(object.name).\(String(nanos, radix: 16))"
        seen[key] = (name, 1, stamp)
        let event: Value = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "involvedObject": involved, "reason": .string(reason), "message": .string(message), "source": source,
            "firstTimestamp": .string(stamp), "lastTimestamp": .string(stamp), "count": 1, "type": .string(type.rawValue),
            "eventTime": .null, "reportingComponent": .string(component), "reportingInstance": .string(host ?? ""),
        ]
        _ = try? await store.create(Kinds.events, namespace: namespace, object: event)
        var regarding = involved
        regarding["fieldPath"] = involved["fieldPath"]
        let mirror: Value = [
            "apiVersion": "events.k8s.io/v1", "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "eventTime": .null, "reportingController": .string(component), "reportingInstance": .string(host ?? ""),
            "action": .string(action ?? reason), "reason": .string(reason), "regarding": regarding, "note": .string(message),
            "type": .string(type.rawValue), "deprecatedSource": source, "deprecatedFirstTimestamp": .string(stamp),
            "deprecatedLastTimestamp": .string(stamp), "deprecatedCount": 1,
        ]
        _ = try? await store.create(Kinds.eventsV1, namespace: namespace, object: mirror)
    }
}

import Foundation
import Structured

/// Keeps `spec.replicas` pods of a ReplicaSet's template running: creates `<rs>-<5 random>` pods
/// controlled by the set, deletes surplus ones (not ready and newest first), and reports counts.
struct ReplicaSetController: Reconciler {
    var name: String { "replicaset-controller" }

    func keys(for event: StoreEvent) -> [ObjectKey] {
        if event.resource == Kinds.replicaSets.groupResource { return [event.object.objectKey] }
        if event.resource == Kinds.pods.groupResource, let key = event.object.controllerKey(kind: "ReplicaSet") { return [key] }
        return []
    }

    func reconcile(_ key: ObjectKey, _ context: SimContext) async -> Double? {
        let store = context.store
        guard let rs = try? await store.get(Kinds.replicaSets, namespace: key.namespace, name: key.name) else { return nil }
        let pods = await store.all(Kinds.pods, namespace: key.namespace).filter { $0.isControlled(by: rs) }
        var active = pods.filter(PodState.isActive)
        let desired = rs.int("spec", "replicas") ?? 1
        if !rs.isDeleting {
            if active.count < desired {
                for _ in 0..<(desired - Int64(active.count)) {
                    guard let pod = await createPod(for: rs, context) else { break }
                    active.append(pod)
                }
            } else if active.count > desired {
                let surplus = active.sorted(by: Self.deletionOrder).prefix(active.count - Int(desired))
                for pod in surplus {
                    _ = try? await store.delete(Kinds.pods, namespace: key.namespace, name: pod.name)
                    await context.events.record(rs, reason: "SuccessfulDelete", message: "Deleted pod: \(pod.name)", component: "replicaset-controller")
                }
                let gone = Set(surplus.map(\.name))
                active.removeAll { gone.contains($0.name) }
            }
        }
        let minReady = rs.int("spec", "minReadySeconds") ?? 0
        let now = context.clock.now()
        let availability = active.map { PodState.availability($0, minReadySeconds: minReady, now: now) }
        let templateLabels = rs[path: "spec", "template", "metadata", "labels"]?.objectValue ?? [:]
        var status = rs.status
        status["replicas"] = .int(Int64(active.count))
        status["fullyLabeledReplicas"] = .int(Int64(active.filter { p in templateLabels.allSatisfy { p.labels[$0.key] == $0.value.stringValue } }.count))
        status["readyReplicas"] = .int(Int64(active.filter(PodState.isReady).count))
        status["availableReplicas"] = .int(Int64(availability.filter(\.available).count))
        status["terminatingReplicas"] = nil
        status["observedGeneration"] = .int(rs.generation)
        for field in ["readyReplicas", "availableReplicas", "fullyLabeledReplicas"] where status[field]?.intValue == 0 { status[field] = nil }
        await store.writeStatus(Kinds.replicaSets, rs, status)
        // Look again when a ready pod passes minReadySeconds.
        let pending = availability.compactMap { $0.available ? nil : $0.at }.min()
        return pending.map { max($0.timeIntervalSince(now), 0.05) }
    }

    private func createPod(for rs: Value, _ context: SimContext) async -> Value? {
        let template = rs[path: "spec", "template"] ?? .object([:])
        var metadata = template["metadata"] ?? .object([:])
        metadata["name"] = nil
        metadata["generateName"] = .string(rs.name + "-")
        metadata["namespace"] = .string(rs.namespace)
        metadata["ownerReferences"] = [controllerReference(to: rs, apiVersion: "apps/v1", kind: "ReplicaSet")]
        let pod: Value = ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": template["spec"] ?? .object([:])]
        do {
            let created = try await context.store.create(Kinds.pods, namespace: rs.namespace, object: pod)
            await context.events.record(rs, reason: "SuccessfulCreate", message: "Created pod: \(created.name)", component: "replicaset-controller")
            return created
        } catch {
            await context.events.record(rs, .warning, reason: "FailedCreate", message: "Error creating: \(error.message)", component: "replicaset-controller")
            return nil
        }
    }

    /// Which pods go first when scaling down: unscheduled, pending, not ready, then the newest.
    static func deletionOrder(_ a: Value, _ b: Value) -> Bool {
        func rank(_ p: Value) -> Int {
            if p[path: "spec", "nodeName"]?.stringValue == nil { return 0 }
            if p[path: "status", "phase"]?.stringValue == "Pending" { return 1 }
            return PodState.isReady(p) ? 3 : 2
        }
        let (ra, rb) = (rank(a), rank(b))
        if ra != rb { return ra < rb }
        let ta = a[path: "metadata", "creationTimestamp"]?.stringValue ?? "", tb = b[path: "metadata", "creationTimestamp"]?.stringValue ?? ""
        return ta != tb ? ta > tb : a.name > b.name
    }
}

import Foundation
import Structured

/// DaemonSets: one pod per eligible Ready node (pinned with node-name affinity, as the real
/// controller does), the `pod-template-generation` label, RollingUpdate bounded by maxUnavailable,
/// OnDelete, and the status counts.
struct DaemonSetController: Reconciler {
    var name: String { "daemonset-controller" }

    func keys(for event: StoreEvent) -> [ObjectKey] {
        if event.resource == Kinds.daemonSets.groupResource { return [event.object.objectKey] }
        if event.resource == Kinds.pods.groupResource, let key = event.object.controllerKey(kind: "DaemonSet") { return [key] }
        return []
    }

    func reconcile(_ key: ObjectKey, _ context: SimContext) async -> Double? {
        let store = context.store
        guard let ds = try? await store.get(Kinds.daemonSets, namespace: key.namespace, name: key.name), !ds.isDeleting else { return nil }
        let template = ds[path: "spec", "template"] ?? .object([:])
        let generation = String(ds.generation)
        let hash = templateHash(template)
        let probe: Value = ["spec": template["spec"] ?? .object([:])]
        let nodes = await store.all(Kinds.nodes, namespace: nil).filter { $0.conditionIsTrue("Ready") && Kubelet.fits(probe, node: $0) }
        let pods = await store.all(Kinds.pods, namespace: key.namespace).filter { $0.isControlled(by: ds) && PodState.isActive($0) }
        func node(of pod: Value) -> String {
            pod[path: "spec", "nodeName"]?.stringValue
                ?? pod[path: "spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]?
                    .arrayValue?.first?["matchFields"]?.arrayValue?.first?["values"]?.arrayValue?.first?.stringValue ?? ""
        }
        var byNode: [String: Value] = [:]
        for p in pods { byNode[node(of: p)] = p }
        for n in nodes where byNode[n.name] == nil {
            if let pod = await createPod(ds, node: n.name, template: template, generation: generation, hash: hash, context) { byNode[n.name] = pod }
        }
        // Pods on nodes that no longer qualify.
        let eligible = Set(nodes.map(\.name))
        for (n, p) in byNode where !eligible.contains(n) {
            _ = try? await store.delete(Kinds.pods, namespace: key.namespace, name: p.name)
            byNode[n] = nil
        }
        func isUpdated(_ p: Value) -> Bool { p.labels["pod-template-generation"] == generation || p.labels["controller-revision-hash"] == hash }
        if ds[path: "spec", "updateStrategy", "type"]?.stringValue != "OnDelete" {
            let maxUnavailable = scaledValue(ds[path: "spec", "updateStrategy", "rollingUpdate", "maxUnavailable"], total: Int64(nodes.count), roundUp: true, default: 1)
            let unavailable = byNode.values.filter { !PodState.isReady($0) }.count
            var budget = max(Int(maxUnavailable), 1) - unavailable
            for (n, p) in byNode.sorted(by: { $0.key < $1.key }) where !isUpdated(p) {
                // Unready old pods go at once; ready ones within the budget.
                if PodState.isReady(p) { guard budget > 0 else { continue }; budget -= 1 }
                _ = try? await store.delete(Kinds.pods, namespace: key.namespace, name: p.name)
                await context.events.record(ds, reason: "SuccessfulDelete", message: "Deleted pod: \(p.name)", component: "daemonset-controller")
                byNode[n] = nil
            }
        }
        let now = context.clock.now()
        let minReady = ds.int("spec", "minReadySeconds") ?? 0
        let scheduled = Array(byNode.values)
        let ready = scheduled.filter(PodState.isReady).count
        let available = scheduled.filter { PodState.availability($0, minReadySeconds: minReady, now: now).available }.count
        var status: Value = [:]
        status["currentNumberScheduled"] = .int(Int64(scheduled.count))
        status["desiredNumberScheduled"] = .int(Int64(nodes.count))
        status["numberAvailable"] = .int(Int64(available))
        status["numberMisscheduled"] = 0
        status["numberReady"] = .int(Int64(ready))
        status["numberUnavailable"] = .int(Int64(max(nodes.count - available, 0)))
        status["observedGeneration"] = .int(ds.generation)
        status["updatedNumberScheduled"] = .int(Int64(scheduled.filter(isUpdated).count))
        for field in ["numberAvailable", "numberUnavailable", "updatedNumberScheduled"] where status[field]?.intValue == 0 { status[field] = nil }
        await store.writeStatus(Kinds.daemonSets, ds, status)
        return minReady > 0 && available < ready ? Double(minReady) / 2 : nil
    }

    private func createPod(_ ds: Value, node: String, template: Value, generation: String, hash: String, _ context: SimContext) async -> Value? {
        var metadata = template["metadata"] ?? .object([:])
        var labels = metadata["labels"]?.objectValue ?? [:]
        labels["controller-revision-hash"] = .string(hash)
        labels["pod-template-generation"] = .string(generation)
        metadata["labels"] = .object(labels)
        metadata["generateName"] = .string(ds.name + "-")
        metadata["namespace"] = .string(ds.namespace)
        metadata["ownerReferences"] = [controllerReference(to: ds, apiVersion: "apps/v1", kind: "DaemonSet")]
        var spec = template["spec"] ?? .object([:])
        spec["affinity"] = ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
            ["matchFields": [["key": "metadata.name", "operator": "In", "values": [.string(node)]]]],
        ]]]]
        var tolerations = spec["tolerations"]?.arrayValue ?? []
        for taint in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
            tolerations.append(["key": .string(taint), "operator": "Exists", "effect": "NoExecute"])
        }
        spec["tolerations"] = .array(tolerations)
        do {
            let pod = try await context.store.create(Kinds.pods, namespace: ds.namespace, object: ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec])
            await context.events.record(ds, reason: "SuccessfulCreate", message: "Created pod: \(pod.name)", component: "daemonset-controller")
            return pod
        } catch {
            await context.events.record(ds, .warning, reason: "FailedCreate", message: "Error creating: \(error.message)", component: "daemonset-controller")
            return nil
        }
    }
}

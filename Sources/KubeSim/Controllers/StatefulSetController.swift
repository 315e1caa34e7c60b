import Crypto
import Foundation
import Structured

/// StatefulSets: pods `<sts>-<ordinal>` created in order (OrderedReady waits for each to be Ready;
/// Parallel does not), PVCs from volumeClaimTemplates, ControllerRevisions named
/// `<sts>-<hash>` with the `controller-revision-hash` label, RollingUpdate from the highest ordinal
/// down to the partition, OnDelete, and the status fields `kubectl rollout status` reads.
struct StatefulSetController: Reconciler {
    var name: String { "statefulset-controller" }

    func keys(for event: StoreEvent) -> [ObjectKey] {
        if event.resource == Kinds.statefulSets.groupResource { return [event.object.objectKey] }
        if event.resource == Kinds.pods.groupResource, let key = event.object.controllerKey(kind: "StatefulSet") { return [key] }
        return []
    }

    func reconcile(_ key: ObjectKey, _ context: SimContext) async -> Double? {
        let store = context.store
        guard let sts = try? await store.get(Kinds.statefulSets, namespace: key.namespace, name: key.name), !sts.isDeleting else { return nil }
        let template = sts[path: "spec", "template"] ?? .object([:])
        let revision = await ensureRevision(sts, template: template, context)
        let desired = Int(sts.int("spec", "replicas") ?? 1)
        let parallel = sts[path: "spec", "podManagementPolicy"]?.stringValue == "Parallel"
        let onDelete = sts[path: "spec", "updateStrategy", "type"]?.stringValue == "OnDelete"
        let partition = Int(sts.int("spec", "updateStrategy", "rollingUpdate", "partition") ?? 0)
        var pods = await store.all(Kinds.pods, namespace: key.namespace).filter { $0.isControlled(by: sts) }
        func ordinal(_ p: Value) -> Int { Int(p.name.split(separator: "-").last ?? "") ?? -1 }
        var byOrdinal: [Int: Value] = [:]
        for p in pods { byOrdinal[ordinal(p)] = p }

        // Create missing pods in order.
        for i in 0..<desired where byOrdinal[i] == nil {
            if !parallel, (0..<i).contains(where: { byOrdinal[$0].map { !PodState.isReady($0) || $0.isDeleting } ?? true }) { break }
            // Pods below the partition keep the current revision when recreated.
            let current = sts[path: "status", "currentRevision"]?.stringValue
            let useRevision = (!onDelete && i < partition && current != nil) ? current! : revision.name
            var podTemplate = template
            if useRevision != revision.name,
               let old = try? await store.get(Kinds.controllerRevisions, namespace: key.namespace, name: useRevision),
               var oldTemplate = old[path: "data", "spec", "template"] {
                oldTemplate["$patch"] = nil
                podTemplate = oldTemplate
            }
            if let pod = await createPod(sts, ordinal: i, template: podTemplate, revision: useRevision, context) { byOrdinal[i] = pod; pods.append(pod) }
            if !parallel { break }
        }
        // Scale down from the highest ordinal.
        let surplus = byOrdinal.keys.filter { $0 >= desired }.sorted(by: >)
        for i in surplus.prefix(parallel ? surplus.count : 1) where !(byOrdinal[i]!.isDeleting) {
            _ = try? await store.delete(Kinds.pods, namespace: key.namespace, name: byOrdinal[i]!.name)
            await context.events.record(sts, reason: "SuccessfulDelete", message: "delete Pod \(byOrdinal[i]!.name) in StatefulSet \(sts.name) successful", component: "statefulset-controller")
            byOrdinal[i] = nil
        }
        // Rolling update: replace the highest outdated ordinal >= partition once all pods are ready.
        let live = (0..<desired).compactMap { byOrdinal[$0] }
        if !onDelete, live.count == desired, live.allSatisfy(PodState.isReady) {
            if let target = (partition..<max(desired, partition)).reversed().compactMap({ byOrdinal[$0] })
                .first(where: { $0.labels["controller-revision-hash"] != revision.name }) {
                _ = try? await store.delete(Kinds.pods, namespace: key.namespace, name: target.name)
                byOrdinal[ordinal(target)] = nil
            }
        }
        let now = context.clock.now()
        let minReady = sts.int("spec", "minReadySeconds") ?? 0
        let current = (0..<max(desired, (byOrdinal.keys.max() ?? -1) + 1)).compactMap { byOrdinal[$0] }.filter(PodState.isActive)
        let ready = current.filter(PodState.isReady).count
        let available = current.filter { PodState.availability($0, minReadySeconds: minReady, now: now).available }.count
        let updated = current.filter { $0.labels["controller-revision-hash"] == revision.name }.count
        var status = sts.status
        var currentRevision = status["currentRevision"]?.stringValue ?? revision.name
        if updated == desired && ready == desired && current.count == desired { currentRevision = revision.name }
        let atCurrent = current.filter { $0.labels["controller-revision-hash"] == currentRevision }.count
        status["observedGeneration"] = .int(sts.generation)
        status["replicas"] = .int(Int64(current.count))
        status["readyReplicas"] = .int(Int64(ready))
        status["currentReplicas"] = .int(Int64(atCurrent))
        status["updatedReplicas"] = .int(Int64(updated))
        status["availableReplicas"] = .int(Int64(available))
        status["currentRevision"] = .string(currentRevision)
        status["updateRevision"] = .string(revision.name)
        status["collisionCount"] = .int(0)
        for field in ["readyReplicas", "currentReplicas", "updatedReplicas"] where status[field]?.intValue == 0 { status[field] = nil }
        await store.writeStatus(Kinds.statefulSets, sts, status)
        return minReady > 0 && available < ready ? Double(minReady) / 2 : nil
    }

    private func ensureRevision(_ sts: Value, template: Value, _ context: SimContext) async -> (name: String, number: Int64) {
        let hash = templateHash(template)
        let name = "\(sts.name)-\(hash)"
        let existing = await context.store.all(Kinds.controllerRevisions, namespace: sts.namespace).filter { $0.isControlled(by: sts) }
        if let found = existing.first(where: { $0.name == name }) { return (name, found.int("revision") ?? 1) }
        let number = (existing.compactMap { $0.int("revision") }.max() ?? 0) + 1
        var labels = sts[path: "spec", "selector", "matchLabels"]?.objectValue ?? [:]
        labels["controller.kubernetes.io/hash"] = .string(hash)
        _ = try? await context.store.create(Kinds.controllerRevisions, namespace: sts.namespace, object: [
            "apiVersion": "apps/v1", "kind": "ControllerRevision",
            "metadata": ["name": .string(name), "namespace": .string(sts.namespace), "labels": .object(labels),
                         "ownerReferences": [controllerReference(to: sts, apiVersion: "apps/v1", kind: "StatefulSet")]],
            "data": ["spec": ["template": template.with(key: "$patch", "replace")]], "revision": .int(number),
        ])
        return (name, number)
    }

    private func createPod(_ sts: Value, ordinal: Int, template: Value, revision: String, _ context: SimContext) async -> Value? {
        let store = context.store
        let podName = "\(sts.name)-\(ordinal)"
        var spec = template["spec"] ?? .object([:])
        var volumes = spec["volumes"]?.arrayValue ?? []
        for claim in sts[path: "spec", "volumeClaimTemplates"]?.arrayValue ?? [] {
            let claimName = claim[path: "metadata", "name"]?.stringValue ?? "data"
            let pvcName = "\(claimName)-\(podName)"
            if (try? await store.get(Kinds.pvcs, namespace: sts.namespace, name: pvcName)) == nil {
                var labels = claim[path: "metadata", "labels"]?.objectValue ?? [:]
                for (k, v) in sts[path: "spec", "selector", "matchLabels"]?.objectValue ?? [:] { labels[k] = v }
                var pvc: Value = ["apiVersion": "v1", "kind": "PersistentVolumeClaim",
                                  "metadata": ["name": .string(pvcName), "namespace": .string(sts.namespace), "labels": .object(labels)],
                                  "spec": claim["spec"] ?? .object([:])]
                if sts[path: "spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"]?.stringValue == "Delete" {
                    pvc.setMetadata("ownerReferences", [controllerReference(to: sts, apiVersion: "apps/v1", kind: "StatefulSet")])
                }
                do {
                    _ = try await store.create(Kinds.pvcs, namespace: sts.namespace, object: pvc)
                    await context.events.record(sts, reason: "SuccessfulCreate", message: "create Claim \(pvcName) Pod \(podName) in StatefulSet \(sts.name) success", component: "statefulset-controller")
                } catch {
                    await context.events.record(sts, .warning, reason: "FailedCreate", message: "create Claim \(pvcName) for Pod \(podName) in StatefulSet \(sts.name) failed error: \(error.message)", component: "statefulset-controller")
                }
            }
            volumes.removeAll { $0["name"]?.stringValue == claimName }
            volumes.append(["name": .string(claimName), "persistentVolumeClaim": ["claimName": .string(pvcName)]])
        }
        if !volumes.isEmpty { spec["volumes"] = .array(volumes) }
        spec["hostname"] = .string(podName)
        if let service = sts[path: "spec", "serviceName"]?.stringValue, !service.isEmpty { spec["subdomain"] = .string(service) }
        var metadata = template["metadata"] ?? .object([:])
        var labels = metadata["labels"]?.objectValue ?? [:]
        labels["controller-revision-hash"] = .string(revision)
        labels["statefulset.kubernetes.io/pod-name"] = .string(podName)
        labels["apps.kubernetes.io/pod-index"] = .string(String(ordinal))
        metadata["labels"] = .object(labels)
        metadata["name"] = .string(podName)
        metadata["namespace"] = .string(sts.namespace)
        metadata["ownerReferences"] = [controllerReference(to: sts, apiVersion: "apps/v1", kind: "StatefulSet")]
        do {
            let pod = try await store.create(Kinds.pods, namespace: sts.namespace, object: ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec])
            await context.events.record(sts, reason: "SuccessfulCreate", message: "create Pod \(podName) in StatefulSet \(sts.name) successful", component: "statefulset-controller")
            return pod
        } catch {
            await context.events.record(sts, .warning, reason: "FailedCreate", message: "create Pod \(podName) in StatefulSet \(sts.name) failed error: \(error.message)", component: "statefulset-controller")
            return nil
        }
    }
}

extension Value {
    func with(key: String, _ value: Value) -> Value {
        var copy = self
        copy[key] = value
        return copy
    }
}

import Foundation
import OrderedCollections
import Structured

/// Rolls Deployments out through ReplicaSets as the real controller does: one ReplicaSet per template
/// (`<deploy>-<pod-template-hash>`), RollingUpdate bounded by maxSurge/maxUnavailable or Recreate,
/// revision annotations, history cleanup, status counts and the Available/Progressing conditions
/// (with ProgressDeadlineExceeded), paused deployments, and ScalingReplicaSet events.
struct DeploymentController: Reconciler {
    static let revisionKey = "deployment.kubernetes.io/revision"
    var name: String { "deployment-controller" }

    func keys(for event: StoreEvent) -> [ObjectKey] {
        if event.resource == Kinds.deployments.groupResource { return [event.object.objectKey] }
        if event.resource == Kinds.replicaSets.groupResource, let key = event.object.controllerKey(kind: "Deployment") { return [key] }
        return []
    }

    func reconcile(_ key: ObjectKey, _ context: SimContext) async -> Double? {
        let store = context.store
        guard var d = try? await store.get(Kinds.deployments, namespace: key.namespace, name: key.name), !d.isDeleting else { return nil }
        var sets = await store.all(Kinds.replicaSets, namespace: key.namespace).filter { $0.isControlled(by: d) }
        let template = d[path: "spec", "template"] ?? .object([:])
        let hash = templateHash(template, collisionCount: d.int("status", "collisionCount") ?? 0)
        var newRS = sets.first { Self.sameTemplate($0, template) }
        let desired = d.int("spec", "replicas") ?? 1
        let paused = d[path: "spec", "paused"]?.boolValue == true
        var progressReason: (String, String)?
        var recreateWait: Double?

        // Revision bookkeeping: the new ReplicaSet carries max(old)+1.
        let oldSets = { sets.filter { $0.uid != newRS?.uid } }
        let maxOld = oldSets().compactMap { Int64($0.annotations[Self.revisionKey] ?? "") }.max() ?? 0
        if !paused {
            if newRS == nil {
                newRS = await createReplicaSet(d, template: template, hash: hash, revision: maxOld + 1, context)
                if let rs = newRS {
                    sets.append(rs)
                    progressReason = ("NewReplicaSetCreated", "Created new replica set \"\(rs.name)\"")
                }
            } else if let rs = newRS, (Int64(rs.annotations[Self.revisionKey] ?? "") ?? 0) <= maxOld {
                var bumped = rs
                bumped.setMetadata("annotations", .object(Self.merged(rs.annotations, [Self.revisionKey: String(maxOld + 1)])))
                newRS = await store.overwrite(Kinds.replicaSets, bumped, force: true) ?? rs
            }
        }
        if let rs = newRS, d.annotations[Self.revisionKey] != rs.annotations[Self.revisionKey] {
            var annotated = d
            annotated.setMetadata("annotations", .object(Self.merged(d.annotations, [Self.revisionKey: rs.annotations[Self.revisionKey] ?? "1"])))
            d = await store.overwrite(Kinds.deployments, annotated) ?? d
        }

        if paused {
            // Only proportional scaling of the newest set while paused.
            if let rs = newRS, oldSets().allSatisfy({ ($0.int("spec", "replicas") ?? 0) == 0 }) {
                await scale(rs, to: desired, d, context)
            }
        } else if d[path: "spec", "strategy", "type"]?.stringValue == "Recreate" {
            var oldRunning = false
            for rs in oldSets() {
                if (rs.int("spec", "replicas") ?? 0) > 0 { await scale(rs, to: 0, d, context) }
                if (rs.int("status", "replicas") ?? 0) > 0 { oldRunning = true }
            }
            let oldPods = await store.all(Kinds.pods, namespace: d.namespace).filter { p in oldSets().contains { p.isControlled(by: $0) } }
            if !oldRunning && oldPods.isEmpty, let rs = newRS { await scale(rs, to: desired, d, context) }
            // Terminating old pods do not change their ReplicaSet's status when they finally go:
            // look again until they are gone.
            if !oldPods.isEmpty { recreateWait = 0.5 }
        } else if let rs = newRS {
            await rollingUpdate(d, newRS: rs, old: oldSets(), desired: desired, context)
        }

        sets = await store.all(Kinds.replicaSets, namespace: key.namespace).filter { $0.isControlled(by: d) }
        newRS = sets.first { Self.sameTemplate($0, template) }
        await cleanup(d, sets: sets, newRS: newRS, context)
        let next = await writeStatus(d, sets: sets, newRS: newRS, progress: progressReason, context)
        guard let recreateWait else { return next }
        return min(next ?? recreateWait, recreateWait)
    }

    static func sameTemplate(_ rs: Value, _ template: Value) -> Bool {
        var t = rs[path: "spec", "template"] ?? .object([:])
        var labels = t[path: "metadata", "labels"]?.objectValue ?? [:]
        labels["pod-template-hash"] = nil
        t.set(path: ["metadata", "labels"], to: labels.isEmpty ? nil : .object(labels))
        if t[path: "metadata"]?.objectValue?.isEmpty == true { t["metadata"] = nil }
        var other = template
        if other[path: "metadata"]?.objectValue?.isEmpty == true { other["metadata"] = nil }
        return sortedKeys(t) == sortedKeys(other)
    }

    static func merged(_ base: [String: String], _ extra: [String: String]) -> OrderedDictionaryBridge {
        var result = OrderedDictionaryBridge()
        for (k, v) in base.sorted(by: { $0.key < $1.key }) { result[k] = .string(v) }
        for (k, v) in extra { result[k] = .string(v) }
        return result
    }

    private func createReplicaSet(_ d: Value, template: Value, hash: String, revision: Int64, _ context: SimContext) async -> Value? {
        var podTemplate = template
        var labels = template[path: "metadata", "labels"]?.objectValue ?? [:]
        labels["pod-template-hash"] = .string(hash)
        podTemplate.set(path: ["metadata", "labels"], to: .object(labels))
        var selector = d[path: "spec", "selector"] ?? .object([:])
        var matchLabels = selector["matchLabels"]?.objectValue ?? [:]
        matchLabels["pod-template-hash"] = .string(hash)
        selector["matchLabels"] = .object(matchLabels)
        let desired = d.int("spec", "replicas") ?? 1
        let surge = Self.maxSurge(d, desired)
        var annotations = Self.merged(d.annotations.filter { $0.key != Self.revisionKey && $0.key != "kubectl.kubernetes.io/last-applied-configuration" }, [:])
        annotations["deployment.kubernetes.io/desired-replicas"] = .string(String(desired))
        annotations["deployment.kubernetes.io/max-replicas"] = .string(String(desired + surge))
        annotations[Self.revisionKey] = .string(String(revision))
        var spec: Value = ["replicas": 0, "selector": selector, "template": podTemplate]
        if let minReady = d[path: "spec", "minReadySeconds"] { spec["minReadySeconds"] = minReady }
        let rs: Value = [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": ["name": .string("\(d.name)-\(hash)"), "namespace": .string(d.namespace), "labels": .object(labels),
                         "annotations": .object(annotations),
                         "ownerReferences": [controllerReference(to: d, apiVersion: "apps/v1", kind: "Deployment")]],
            "spec": spec,
        ]
        do {
            return try await context.store.create(Kinds.replicaSets, namespace: d.namespace, object: rs)
        } catch {
            if error.code == 409 {
                // A name clash with a foreign ReplicaSet: bump collisionCount so the next hash differs.
                var status = d.status
                status["collisionCount"] = .int((d.int("status", "collisionCount") ?? 0) + 1)
                await context.store.writeStatus(Kinds.deployments, d, status)
            }
            return nil
        }
    }

    static func maxSurge(_ d: Value, _ desired: Int64) -> Int64 {
        guard d[path: "spec", "strategy", "type"]?.stringValue != "Recreate" else { return 0 }
        return scaledValue(d[path: "spec", "strategy", "rollingUpdate", "maxSurge"], total: desired, roundUp: true, default: Int64((Double(desired) * 0.25).rounded(.up)))
    }

    static func maxUnavailable(_ d: Value, _ desired: Int64) -> Int64 {
        guard d[path: "spec", "strategy", "type"]?.stringValue != "Recreate" else { return 0 }
        let surge = maxSurge(d, desired)
        var unavailable = scaledValue(d[path: "spec", "strategy", "rollingUpdate", "maxUnavailable"], total: desired, roundUp: false,
                                      default: Int64((Double(desired) * 0.25).rounded(.down)))
        if surge == 0 && unavailable == 0 { unavailable = 1 }
        return min(unavailable, desired)
    }

    private func rollingUpdate(_ d: Value, newRS: Value, old: [Value], desired: Int64, _ context: SimContext) async {
        let surge = Self.maxSurge(d, desired), unavailable = Self.maxUnavailable(d, desired)
        let newReplicas = newRS.int("spec", "replicas") ?? 0
        let total = ([newRS] + old).reduce(Int64(0)) { $0 + ($1.int("spec", "replicas") ?? 0) }
        // Scale the new set up within the surge budget (or down when over the desired count).
        if newReplicas > desired {
            await scale(newRS, to: desired, d, context)
        } else if newReplicas < desired {
            let room = desired + surge - total
            if room > 0 { await scale(newRS, to: newReplicas + min(room, desired - newReplicas), d, context) }
        }
        // Scale old sets down while keeping desired - maxUnavailable pods available.
        let fresh = (try? await context.store.get(Kinds.replicaSets, namespace: d.namespace, name: newRS.name)) ?? newRS
        let allPods = ([fresh] + old).reduce(Int64(0)) { $0 + ($1.int("spec", "replicas") ?? 0) }
        let minAvailable = desired - unavailable
        let newUnavailable = max((fresh.int("spec", "replicas") ?? 0) - (fresh.int("status", "availableReplicas") ?? 0), 0)
        var budget = allPods - minAvailable - newUnavailable
        guard budget > 0 else { return }
        let ordered = old.filter { ($0.int("spec", "replicas") ?? 0) > 0 }.sorted {
            ($0[path: "metadata", "creationTimestamp"]?.stringValue ?? "") < ($1[path: "metadata", "creationTimestamp"]?.stringValue ?? "")
        }
        // First drop old pods that are not available anyway, then available ones within the budget.
        var scaled: [String: Int64] = [:]
        for rs in ordered where budget > 0 {
            let replicas = rs.int("spec", "replicas") ?? 0
            let unhealthy = max(replicas - (rs.int("status", "availableReplicas") ?? 0), 0)
            let cut = min(unhealthy, budget)
            if cut > 0 { scaled[rs.name] = replicas - cut; budget -= cut }
        }
        let available = ([fresh] + old).reduce(Int64(0)) { $0 + ($1.int("status", "availableReplicas") ?? 0) }
        var extra = min(available - minAvailable, budget)
        for rs in ordered where extra > 0 {
            let replicas = scaled[rs.name] ?? (rs.int("spec", "replicas") ?? 0)
            let cut = min(replicas, extra)
            if cut > 0 { scaled[rs.name] = replicas - cut; extra -= cut }
        }
        for rs in ordered { if let target = scaled[rs.name] { await scale(rs, to: target, d, context) } }
    }

    private func scale(_ stale: Value, to replicas: Int64, _ d: Value, _ context: SimContext) async {
        let rs = (try? await context.store.get(Kinds.replicaSets, namespace: stale.namespace, name: stale.name)) ?? stale
        let current = rs.int("spec", "replicas") ?? 0
        let desired = d.int("spec", "replicas") ?? 1
        var updated = rs
        updated.set(path: ["spec", "replicas"], to: .int(replicas))
        var annotations = rs[path: "metadata", "annotations"]?.objectValue ?? [:]
        annotations["deployment.kubernetes.io/desired-replicas"] = .string(String(desired))
        annotations["deployment.kubernetes.io/max-replicas"] = .string(String(desired + Self.maxSurge(d, desired)))
        updated.setMetadata("annotations", .object(annotations))
        guard updated != rs, await context.store.overwrite(Kinds.replicaSets, updated, force: true) != nil else { return }
        if current != replicas {
            let direction = replicas > current ? "up" : "down"
            await context.events.record(d, reason: "ScalingReplicaSet",
                                        message: "Scaled \(direction) replica set \(rs.name) from \(current) to \(replicas)",
                                        component: "deployment-controller")
        }
    }

    private func cleanup(_ d: Value, sets: [Value], newRS: Value?, _ context: SimContext) async {
        let limit = d.int("spec", "revisionHistoryLimit") ?? 10
        let idle = sets.filter { $0.uid != newRS?.uid && ($0.int("spec", "replicas") ?? 0) == 0 && ($0.int("status", "replicas") ?? 0) == 0 }
            .sorted { (Int64($0.annotations[Self.revisionKey] ?? "") ?? 0) < (Int64($1.annotations[Self.revisionKey] ?? "") ?? 0) }
        guard idle.count > limit else { return }
        for rs in idle.prefix(idle.count - Int(limit)) {
            _ = try? await context.store.delete(Kinds.replicaSets, namespace: rs.namespace, name: rs.name)
        }
    }

    private func writeStatus(_ d: Value, sets: [Value], newRS: Value?, progress: (String, String)?, _ context: SimContext) async -> Double? {
        let desired = d.int("spec", "replicas") ?? 1
        func sum(_ field: String) -> Int64 { sets.reduce(Int64(0)) { $0 + ($1.int("status", field) ?? 0) } }
        let replicas = sum("replicas"), ready = sum("readyReplicas"), available = sum("availableReplicas")
        let updated = newRS?.int("status", "replicas") ?? 0
        let old = d.status
        var status: Value = [:]
        status["observedGeneration"] = .int(d.generation)
        status["replicas"] = .int(replicas)
        status["updatedReplicas"] = .int(updated)
        status["readyReplicas"] = .int(ready)
        status["availableReplicas"] = .int(available)
        status["unavailableReplicas"] = .int(max(desired - available, 0))
        for field in ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas"] where status[field]?.intValue == 0 {
            status[field] = nil
        }
        if let collisions = old["collisionCount"] { status["collisionCount"] = collisions }
        let now = context.clock.timestamp()
        var conditions = old["conditions"]?.arrayValue ?? []
        let minAvailable = desired - Self.maxUnavailable(d, desired)
        if available >= minAvailable {
            setCondition(&conditions, type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability.", now: now, withUpdateTime: true)
        } else {
            setCondition(&conditions, type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability.", now: now, withUpdateTime: true)
        }
        let rsName = newRS?.name ?? ""
        let complete = newRS != nil && updated == desired && replicas == desired && available == desired
            && (newRS?.int("status", "availableReplicas") ?? 0) == desired
        let current = conditions.first { $0["type"]?.stringValue == "Progressing" }
        let deadline = d.int("spec", "progressDeadlineSeconds") ?? 600
        var requeue: Double?
        if d[path: "spec", "paused"]?.boolValue == true {
            setCondition(&conditions, type: "Progressing", status: "Unknown", reason: "DeploymentPaused", message: "Deployment is paused", now: now, withUpdateTime: true)
        } else if current?["reason"]?.stringValue == "DeploymentPaused" {
            setCondition(&conditions, type: "Progressing", status: "Unknown", reason: "DeploymentResumed", message: "Deployment is resumed", now: now, withUpdateTime: true)
        } else if complete {
            setCondition(&conditions, type: "Progressing", status: "True", reason: "NewReplicaSetAvailable", message: "ReplicaSet \"\(rsName)\" has successfully progressed.", now: now, withUpdateTime: true)
        } else if let progress {
            setCondition(&conditions, type: "Progressing", status: "True", reason: progress.0, message: progress.1, now: now, withUpdateTime: true)
        } else if current == nil {
            setCondition(&conditions, type: "Progressing", status: "True", reason: "FoundNewReplicaSet", message: "Found new replica set \"\(rsName)\"", now: now, withUpdateTime: true)
        } else if current?["reason"]?.stringValue != "ProgressDeadlineExceeded" {
            let moved = updated > (old["updatedReplicas"]?.intValue ?? 0) || ready > (old["readyReplicas"]?.intValue ?? 0)
                || available > (old["availableReplicas"]?.intValue ?? 0) || replicas < (old["replicas"]?.intValue ?? 0)
                || current?["reason"]?.stringValue == "NewReplicaSetAvailable" || d.generation != (old["observedGeneration"]?.intValue ?? 0)
            let lastUpdate = current?["lastUpdateTime"]?.stringValue.flatMap(Timestamp.parse) ?? context.clock.now()
            if moved {
                setCondition(&conditions, type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message: "ReplicaSet \"\(rsName)\" is progressing.", now: now, withUpdateTime: true)
                if current?["reason"]?.stringValue == "ReplicaSetUpdated" { touchUpdate(&conditions, now) }
                requeue = Double(deadline) + 1
            } else if context.clock.now().timeIntervalSince(lastUpdate) > Double(deadline) {
                setCondition(&conditions, type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: "ReplicaSet \"\(rsName)\" has timed out progressing.", now: now, withUpdateTime: true)
            } else {
                requeue = lastUpdate.addingTimeInterval(Double(deadline) + 1).timeIntervalSince(context.clock.now())
            }
        }
        conditions.sort { ($0["type"]?.stringValue == "Available" ? 0 : 1) < ($1["type"]?.stringValue == "Available" ? 0 : 1) }
        status["conditions"] = .array(conditions)
        await context.store.writeStatus(Kinds.deployments, d, status)
        return requeue.map { max($0, 0.05) }
    }

    private func touchUpdate(_ conditions: inout [Value], _ now: String) {
        if let i = conditions.firstIndex(where: { $0["type"]?.stringValue == "Progressing" }) { conditions[i]["lastUpdateTime"] = .string(now) }
    }
}

typealias OrderedDictionaryBridge = OrderedDictionary<String, Value>

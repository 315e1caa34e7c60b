import Foundation
import Structured

/// The scheduler and the kubelets of every simulated node, in one reconciler over pods.
///
/// Unscheduled pods get a node (nodeSelector and node-name affinity honoured, fewest pods first),
/// `PodScheduled` and a `Scheduled` event. Scheduled pods get their status from `PodTimeline`
/// sampled now, and the kubelet events that happened since the last look; the pod is looked at
/// again when its timeline next changes.
struct Kubelet: Reconciler {
    let runtime: KubeletRuntime
    var name: String { "kubelet" }

    func keys(for event: StoreEvent) -> [ObjectKey] {
        guard event.resource == Kinds.pods.groupResource else { return [] }
        if event.type == .deleted {
            runtime.podDeleted(event.object)
        }
        return [event.object.objectKey]
    }

    func reconcile(_ key: ObjectKey, _ context: SimContext) async -> Double? {
        let store = context.store
        if let gone = runtime.takeDeleted(key) { await stopContainers(gone, context) }
        guard let pod = try? await store.get(Kinds.pods, namespace: key.namespace, name: key.name) else { return nil }
        if pod.isDeleting { return await terminate(pod, context) }
        guard let node = pod[path: "spec", "nodeName"]?.stringValue, !node.isEmpty else {
            return await schedule(pod, context)
        }
        let entry = runtime.entry(for: pod, node: node)
        let timeline = runtime.timeline(pod)
        let t = context.clock.now().timeIntervalSince(entry.base)
        let old = pod.status
        if old["phase"]?.stringValue == "Succeeded" || old["phase"]?.stringValue == "Failed" { return nil }
        let status = timeline.statusObject(at: t, base: entry.base, old: old,
                                           hostIP: KubeletRuntime.hostIP(node, nodes: context.options.nodes),
                                           podIP: entry.podIP, qosClass: Self.qosClass(pod), now: context.clock.timestamp())
        await store.writeStatus(Kinds.pods, pod, status)
        for event in timeline.events(until: t) where event.time > entry.eventsUntil {
            await context.events.record(pod, event.warning ? .warning : .normal, reason: event.reason, message: event.message,
                                        component: "kubelet", host: node, fieldPath: event.fieldPath)
        }
        runtime.markEvents(pod.uid, until: t)
        if status["phase"]?.stringValue == "Succeeded" || status["phase"]?.stringValue == "Failed" { return nil }
        guard let next = timeline.nextChange(after: t) else { return nil }
        return max(next - context.clock.now().timeIntervalSince(entry.base), 0.001)
    }

    /// A deleted pod's running containers get a `Killing` event, as the kubelet stops them.
    private func stopContainers(_ pod: Value, _ context: SimContext) async {
        let node = pod[path: "spec", "nodeName"]?.stringValue
        for status in pod[path: "status", "containerStatuses"]?.arrayValue ?? [] where status[path: "state", "running"] != nil {
            let name = status["name"]?.stringValue ?? ""
            await context.events.record(pod, reason: "Killing", message: "Stopping container \(name)", component: "kubelet",
                                        host: node, fieldPath: "spec.containers{\(name)}")
        }
    }

    // MARK: - Termination

    /// A pod deleted gracefully: `Killing` events at once, then each container exits when its
    /// shutdown time (`shutdown=` / `ignore-sigterm` behaviour, else the start delay) or the grace
    /// period runs out (exit 137); then the kubelet deletes the pod for good (grace period 0).
    private func terminate(_ pod: Value, _ context: SimContext) async -> Double? {
        guard let grace = pod[path: "metadata", "deletionGracePeriodSeconds"]?.intValue, grace > 0 else { return nil }
        let node = pod[path: "spec", "nodeName"]?.stringValue
        let started = runtime.terminationStarted(pod.uid, now: context.clock.now())
        if started.first {
            for status in pod[path: "status", "containerStatuses"]?.arrayValue ?? [] where status[path: "state", "running"] != nil {
                let name = status["name"]?.stringValue ?? ""
                await context.events.record(pod, reason: "Killing", message: "Stopping container \(name)", component: "kubelet",
                                            host: node, fieldPath: "spec.containers{\(name)}")
            }
        }
        let behavior = PodBehavior(pod.annotations[PodBehavior.annotation])
        let names = (pod[path: "spec", "containers"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let shutdown = names.map { behavior.container($0).shutdown ?? context.options.podStartDelay }.max() ?? 0
        let killed = shutdown >= Double(grace)
        let remaining = min(shutdown, Double(grace)) - context.clock.now().timeIntervalSince(started.at)
        if remaining > 0 { return remaining }
        let now = context.clock.timestamp()
        var status = pod.status
        status["containerStatuses"] = status["containerStatuses"]?.arrayValue.map { list in
            .array(list.map { container -> Value in
                guard let running = container[path: "state", "running"] else { return container }
                var c = container
                c["state"] = ["terminated": [
                    "exitCode": .int(killed ? 137 : 0), "reason": .string(killed ? "Error" : "Completed"),
                    "startedAt": running["startedAt"] ?? .string(now), "finishedAt": .string(now),
                    "containerID": container["containerID"] ?? .null,
                ]]
                c["ready"] = false
                c["started"] = false
                return c
            })
        }
        var conditions = pod.conditions()
        for type in ["Ready", "ContainersReady"] where pod.condition(type) != nil {
            setCondition(&conditions, type: type, status: "False", reason: "PodCompleted", message: nil, now: now, probeTime: false)
        }
        status["conditions"] = .array(conditions)
        await context.store.writeStatus(Kinds.pods, pod, status)
        _ = try? await context.store.delete(Kinds.pods, namespace: pod.namespace, name: pod.name,
                                            options: DeleteOptions(preconditionUID: pod.uid, gracePeriodSeconds: 0))
        return nil
    }

    // MARK: - Scheduling

    private func schedule(_ pod: Value, _ context: SimContext) async -> Double? {
        let store = context.store
        let nodes = await store.all(Kinds.nodes, namespace: nil).filter { node in
            node.conditionIsTrue("Ready") && node[path: "spec", "unschedulable"]?.boolValue != true
        }
        let now = context.clock.timestamp()
        // Claims must exist; bound, or waiting for this very pod (WaitForFirstConsumer).
        for volume in pod[path: "spec", "volumes"]?.arrayValue ?? [] {
            guard let claim = volume[path: "persistentVolumeClaim", "claimName"]?.stringValue else { continue }
            guard let pvc = try? await store.get(Kinds.pvcs, namespace: pod.namespace, name: claim) else {
                return await unschedulable(pod, context, message: "0/\(nodes.count) nodes are available: persistentvolumeclaim \"\(claim)\" not found. preemption: 0/\(nodes.count) nodes are available: \(nodes.count) Preemption is not helpful for scheduling.", now: now)
            }
            if pvc[path: "status", "phase"]?.stringValue != "Bound",
               await PersistentVolumeBinder.bindingMode(pvc, store) != "WaitForFirstConsumer" {
                return await unschedulable(pod, context, message: "0/\(nodes.count) nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/\(nodes.count) nodes are available: \(nodes.count) Preemption is not helpful for scheduling.", now: now)
            }
        }
        let fitting = nodes.filter { Self.fits(pod, node: $0) }
        guard !fitting.isEmpty else {
            let n = nodes.count
            return await unschedulable(pod, context, message: "0/\(n) nodes are available: \(n) node(s) didn't match Pod's node affinity/selector. preemption: 0/\(n) nodes are available: \(n) Preemption is not helpful for scheduling.", now: now)
        }
        let pods = await store.all(Kinds.pods, namespace: nil)
        var load: [String: Int] = [:]
        for p in pods { if let n = p[path: "spec", "nodeName"]?.stringValue { load[n, default: 0] += 1 } }
        let chosen = fitting.min { (load[$0.name] ?? 0, $0.name) < (load[$1.name] ?? 0, $1.name) }!
        var bound = pod
        bound.set(path: ["spec", "nodeName"], to: .string(chosen.name))
        guard let written = await store.overwrite(Kinds.pods, bound) else { return 0.5 }
        var conditions: [Value] = []
        setCondition(&conditions, type: "PodScheduled", status: "True", reason: nil, message: nil, now: now, probeTime: true)
        await store.writeStatus(Kinds.pods, written, ["phase": "Pending", "conditions": .array(conditions), "qosClass": .string(Self.qosClass(pod))])
        await context.events.record(written, reason: "Scheduled",
                                    message: "Successfully assigned \(pod.namespace)/\(pod.name) to \(chosen.name)",
                                    component: "default-scheduler")
        return nil
    }

    private func unschedulable(_ pod: Value, _ context: SimContext, message: String, now: String) async -> Double? {
        var conditions = pod.conditions()
        let before = pod.condition("PodScheduled")?["message"]?.stringValue
        setCondition(&conditions, type: "PodScheduled", status: "False", reason: "Unschedulable", message: message, now: now, probeTime: true)
        await context.store.writeStatus(Kinds.pods, pod, ["phase": "Pending", "conditions": .array(conditions), "qosClass": .string(Self.qosClass(pod))])
        if before != message {
            await context.events.record(pod, .warning, reason: "FailedScheduling", message: message, component: "default-scheduler")
        }
        return 1
    }

    static func fits(_ pod: Value, node: Value) -> Bool {
        let labels = node.labels
        for (k, v) in pod[path: "spec", "nodeSelector"]?.objectValue ?? [:] where labels[k] != v.stringValue { return false }
        let terms = pod[path: "spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]?.arrayValue ?? []
        guard !terms.isEmpty else { return true }
        return terms.contains { term in
            let fields = term["matchFields"]?.arrayValue ?? []
            let exprs = term["matchExpressions"]?.arrayValue ?? []
            let fieldsOK = fields.allSatisfy { f in
                f["key"]?.stringValue != "metadata.name" || (f["values"]?.arrayValue?.contains(.string(node.name)) ?? false) == (f["operator"]?.stringValue != "NotIn")
            }
            let exprsOK = selectorMatches(["matchExpressions": .array(exprs)], labels)
            return fieldsOK && exprsOK
        }
    }

    static func qosClass(_ pod: Value) -> String {
        let containers = pod[path: "spec", "containers"]?.arrayValue ?? []
        let resources = containers.map { $0["resources"] ?? .object([:]) }
        if resources.allSatisfy({ ($0["requests"]?.objectValue?.isEmpty ?? true) && ($0["limits"]?.objectValue?.isEmpty ?? true) }) { return "BestEffort" }
        let guaranteed = resources.allSatisfy { r in
            guard let limits = r["limits"]?.objectValue, limits["cpu"] != nil, limits["memory"] != nil else { return false }
            let requests = r["requests"]?.objectValue ?? limits
            return requests.allSatisfy { limits[$0.key] == $0.value }
        }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}

import Foundation
import Structured

/// Jobs: pods up to `parallelism` until `completions` succeed; failures counted against
/// `backoffLimit`; `activeDeadlineSeconds`; the 1.35 terminal conditions (SuccessCriteriaMet then
/// Complete, FailureTarget then Failed); ttlSecondsAfterFinished; suspend.
struct JobController: Reconciler {
    var name: String { "job-controller" }

    func keys(for event: StoreEvent) -> [ObjectKey] {
        if event.resource == Kinds.jobs.groupResource { return [event.object.objectKey] }
        if event.resource == Kinds.pods.groupResource, let key = event.object.controllerKey(kind: "Job") { return [key] }
        return []
    }

    func reconcile(_ key: ObjectKey, _ context: SimContext) async -> Double? {
        let store = context.store
        guard let job = try? await store.get(Kinds.jobs, namespace: key.namespace, name: key.name), !job.isDeleting else { return nil }
        let now = context.clock.now()
        let stamp = Timestamp.format(now)
        var status = job.status
        var conditions = status["conditions"]?.arrayValue ?? []
        let finished = conditions.contains { ["Complete", "Failed"].contains($0["type"]?.stringValue ?? "") && $0["status"]?.stringValue == "True" }
        if finished {
            guard let ttl = job.int("spec", "ttlSecondsAfterFinished"),
                  let done = status["completionTime"]?.stringValue.flatMap(Timestamp.parse)
                      ?? conditions.compactMap({ $0["lastTransitionTime"]?.stringValue.flatMap(Timestamp.parse) }).max() else { return nil }
            let due = done.addingTimeInterval(Double(ttl))
            if due <= now {
                _ = try? await store.delete(Kinds.jobs, namespace: key.namespace, name: key.name, options: DeleteOptions(propagationPolicy: .background))
                return nil
            }
            return due.timeIntervalSince(now)
        }
        let pods = await store.all(Kinds.pods, namespace: key.namespace).filter { $0.isControlled(by: job) }
        let active = pods.filter(PodState.isActive)
        let completions = job.int("spec", "completions").map(Int.init)
        let indexed = job[path: "spec", "completionMode"]?.stringValue == "Indexed"
        let succeededPods = pods.filter { $0[path: "status", "phase"]?.stringValue == "Succeeded" }
        let succeededIndexes = Set(succeededPods.compactMap(Self.completionIndex).filter { $0 < (completions ?? 0) })
        let succeeded = indexed ? succeededIndexes.count : succeededPods.count
        // Failed pods, classified by the podFailurePolicy: Ignore rules do not count, FailJob ends the Job.
        var failed = 0
        var policyFailure: (reason: String, message: String)?
        for pod in pods where pod[path: "status", "phase"]?.stringValue == "Failed" {
            switch PodFailurePolicy(job[path: "spec", "podFailurePolicy"]).action(for: pod) {
            case (.ignore, _): continue
            case (.failJob, let message):
                failed += 1
                if policyFailure == nil { policyFailure = ("PodFailurePolicy", message) }
            default: failed += 1
            }
        }
        if job[path: "spec", "template", "spec", "restartPolicy"]?.stringValue == "OnFailure" {
            // With OnFailure the kubelet restarts in place; each restart counts as a failure.
            failed += active.reduce(0) { sum, p in
                sum + (p[path: "status", "containerStatuses"]?.arrayValue ?? []).reduce(0) { $0 + Int($1["restartCount"]?.intValue ?? 0) }
            }
        }
        let parallelism = Int(job.int("spec", "parallelism") ?? 1)
        let backoffLimit = Int(job.int("spec", "backoffLimit") ?? 6)
        let suspended = job[path: "spec", "suspend"]?.boolValue == true
        if status["startTime"] == nil && !suspended { status["startTime"] = .string(stamp) }
        let start = status["startTime"]?.stringValue.flatMap(Timestamp.parse) ?? now

        var requeue: Double?
        var failure: (reason: String, message: String)?
        if let policyFailure {
            failure = policyFailure
        } else if failed > backoffLimit {
            failure = ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
        } else if let deadline = job.int("spec", "activeDeadlineSeconds"), !suspended {
            let due = start.addingTimeInterval(Double(deadline))
            if due <= now { failure = ("DeadlineExceeded", "Job was active longer than specified deadline") } else { requeue = due.timeIntervalSince(now) }
        }
        let complete = completions.map { succeeded >= $0 && (!indexed || active.isEmpty) } ?? (succeeded > 0 && active.isEmpty)
        if let failure {
            for p in active { _ = try? await store.delete(Kinds.pods, namespace: key.namespace, name: p.name) }
            setCondition(&conditions, type: "FailureTarget", status: "True", reason: failure.reason, message: failure.message, now: stamp, probeTime: true)
            setCondition(&conditions, type: "Failed", status: "True", reason: failure.reason, message: failure.message, now: stamp, probeTime: true)
            await context.events.record(job, .warning, reason: failure.reason, message: failure.message, component: "job-controller")
        } else if complete {
            setCondition(&conditions, type: "SuccessCriteriaMet", status: "True", reason: "CompletionsReached", message: "Reached expected number of succeeded pods", now: stamp, probeTime: true)
            setCondition(&conditions, type: "Complete", status: "True", reason: "CompletionsReached", message: "Reached expected number of succeeded pods", now: stamp, probeTime: true)
            status["completionTime"] = .string(stamp)
            await context.events.record(job, reason: "Completed", message: "Job completed", component: "job-controller")
            if let ttl = job.int("spec", "ttlSecondsAfterFinished") { requeue = Double(ttl) }
        } else if suspended {
            for p in active { _ = try? await store.delete(Kinds.pods, namespace: key.namespace, name: p.name) }
            setCondition(&conditions, type: "Suspended", status: "True", reason: "JobSuspended", message: "Job suspended", now: stamp, probeTime: true)
        } else {
            let remaining = completions.map { $0 - succeeded } ?? (succeeded > 0 ? 0 : parallelism)
            let want = max(min(parallelism, remaining) - active.count, 0)
            if indexed {
                // The lowest indexes with neither a succeeded nor an active pod.
                let busy = succeededIndexes.union(active.compactMap(Self.completionIndex))
                let missing = (0..<(completions ?? 0)).filter { !busy.contains($0) }
                for index in missing.prefix(want) { await createPod(job, index: index, context) }
            } else {
                for _ in 0..<want { await createPod(job, index: nil, context) }
            }
        }
        if indexed {
            status["completedIndexes"] = .string(Self.intervals(succeededIndexes))
        }
        let live = await store.all(Kinds.pods, namespace: key.namespace).filter { $0.isControlled(by: job) && PodState.isActive($0) }
        status["active"] = live.isEmpty ? nil : .int(Int64(live.count))
        status["succeeded"] = succeeded == 0 ? nil : .int(Int64(succeeded))
        status["failed"] = failed == 0 ? nil : .int(Int64(failed))
        status["ready"] = .int(Int64(live.filter(PodState.isReady).count))
        status["terminating"] = .int(Int64(pods.filter { $0.isDeleting }.count))
        status["uncountedTerminatedPods"] = .object([:])
        status["conditions"] = conditions.isEmpty ? nil : .array(conditions)
        await store.writeStatus(Kinds.jobs, job, status)
        return requeue
    }

    static let indexKey = "batch.kubernetes.io/job-completion-index"

    static func completionIndex(_ pod: Value) -> Int? {
        pod.annotations[indexKey].flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil }
    }

    /// `completedIndexes` as the controller writes it: sorted, runs collapsed (`0-2,4,6-7`).
    static func intervals(_ indexes: Set<Int>) -> String {
        var parts: [String] = []
        var run: (Int, Int)?
        for i in indexes.sorted() {
            if let r = run, r.1 + 1 == i { run = (r.0, i); continue }
            if let r = run { parts.append(r.0 == r.1 ? "\(r.0)" : "\(r.0)-\(r.1)") }
            run = (i, i)
        }
        if let r = run { parts.append(r.0 == r.1 ? "\(r.0)" : "\(r.0)-\(r.1)") }
        return parts.joined(separator: ",")
    }

    /// A pod from the template; Indexed Jobs name it `<job>-<index>-xxxxx` and give it the index
    /// annotation and label, hostname `<job>-<index>` and `JOB_COMPLETION_INDEX` in every container.
    private func createPod(_ job: Value, index: Int?, _ context: SimContext) async {
        let template = job[path: "spec", "template"] ?? .object([:])
        var metadata = template["metadata"] ?? .object([:])
        var spec = template["spec"] ?? .object([:])
        metadata["generateName"] = .string(job.name + "-" + (index.map { "\($0)-" } ?? ""))
        metadata["namespace"] = .string(job.namespace)
        metadata["ownerReferences"] = [controllerReference(to: job, apiVersion: "batch/v1", kind: "Job")]
        if let index {
            metadata.set(path: ["annotations", Self.indexKey], to: .string(String(index)))
            metadata.set(path: ["labels", Self.indexKey], to: .string(String(index)))
            if spec["hostname"]?.stringValue?.isEmpty ?? true { spec["hostname"] = .string("\(job.name)-\(index)") }
            let env: Value = ["name": "JOB_COMPLETION_INDEX",
                              "valueFrom": ["fieldRef": ["fieldPath": .string("metadata.labels['\(Self.indexKey)']")]]]
            for list in ["initContainers", "containers"] {
                guard let containers = spec[list]?.arrayValue else { continue }
                spec[list] = .array(containers.map { c in
                    var c = c
                    let envs = c["env"]?.arrayValue ?? []
                    if !envs.contains(where: { $0["name"]?.stringValue == "JOB_COMPLETION_INDEX" }) { c["env"] = .array(envs + [env]) }
                    return c
                })
            }
        }
        do {
            let pod = try await context.store.create(Kinds.pods, namespace: job.namespace, object: ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec])
            await context.events.record(job, reason: "SuccessfulCreate", message: "Created pod: \(pod.name)", component: "job-controller")
        } catch {
            await context.events.record(job, .warning, reason: "FailedCreate", message: "Error creating: \(error.message)", component: "job-controller")
        }
    }
}

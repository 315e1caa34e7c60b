import Foundation
import Structured

/// CronJobs: a Job `<cronjob>-<minutes since epoch>` at each scheduled time, honouring suspend,
/// concurrencyPolicy (Allow, Forbid, Replace), startingDeadlineSeconds and the history limits;
/// status active/lastScheduleTime/lastSuccessfulTime.
struct CronJobController: Reconciler {
    var name: String { "cronjob-controller" }

    func keys(for event: StoreEvent) -> [ObjectKey] {
        if event.resource == Kinds.cronJobs.groupResource { return [event.object.objectKey] }
        if event.resource == Kinds.jobs.groupResource, let key = event.object.controllerKey(kind: "CronJob") { return [key] }
        return []
    }

    func reconcile(_ key: ObjectKey, _ context: SimContext) async -> Double? {
        let store = context.store
        guard let cj = try? await store.get(Kinds.cronJobs, namespace: key.namespace, name: key.name), !cj.isDeleting else { return nil }
        let now = context.clock.now()
        var jobs = await store.all(Kinds.jobs, namespace: key.namespace).filter { $0.isControlled(by: cj) }
        func finished(_ j: Value) -> String? {
            j.conditions().first { ["Complete", "Failed"].contains($0["type"]?.stringValue ?? "") && $0["status"]?.stringValue == "True" }?["type"]?.stringValue
        }
        var status = cj.status
        guard let schedule = CronSchedule(cj[path: "spec", "schedule"]?.stringValue ?? "") else {
            await context.events.record(cj, .warning, reason: "UnparseableSchedule", message: "unparseable schedule: \(cj[path: "spec", "schedule"]?.stringValue ?? "")", component: "cronjob-controller")
            return nil
        }
        let last = status["lastScheduleTime"]?.stringValue.flatMap(Timestamp.parse)
            ?? cj[path: "metadata", "creationTimestamp"]?.stringValue.flatMap(Timestamp.parse) ?? now
        var due: Date?
        var cursor = last
        while let n = schedule.next(after: cursor), n <= now { due = n; cursor = n }
        if let due, cj[path: "spec", "suspend"]?.boolValue != true {
            let tooLate = cj.int("spec", "startingDeadlineSeconds").map { now.timeIntervalSince(due) > Double($0) } ?? false
            let running = jobs.filter { finished($0) == nil }
            let policy = cj[path: "spec", "concurrencyPolicy"]?.stringValue ?? "Allow"
            if !tooLate && !(policy == "Forbid" && !running.isEmpty) {
                if policy == "Replace" {
                    for j in running {
                        _ = try? await store.delete(Kinds.jobs, namespace: key.namespace, name: j.name, options: DeleteOptions(propagationPolicy: .background))
                        await context.events.record(cj, reason: "SuccessfulDelete", message: "Deleted job \(j.name)", component: "cronjob-controller")
                    }
                    jobs.removeAll { j in running.contains { $0.uid == j.uid } }
                }
                let name = "\(cj.name)-\(Int(due.timeIntervalSince1970 / 60))"
                var metadata = cj[path: "spec", "jobTemplate", "metadata"] ?? .object([:])
                metadata["name"] = .string(name)
                metadata["namespace"] = .string(cj.namespace)
                metadata["ownerReferences"] = [controllerReference(to: cj, apiVersion: "batch/v1", kind: "CronJob")]
                var annotations = metadata["annotations"]?.objectValue ?? [:]
                annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"] = .string(Timestamp.format(due))
                metadata["annotations"] = .object(annotations)
                let job: Value = ["apiVersion": "batch/v1", "kind": "Job", "metadata": metadata, "spec": cj[path: "spec", "jobTemplate", "spec"] ?? .object([:])]
                if let created = try? await store.create(Kinds.jobs, namespace: key.namespace, object: job) {
                    jobs.append(created)
                    await context.events.record(cj, reason: "SuccessfulCreate", message: "Created job \(name)", component: "cronjob-controller")
                }
            }
            status["lastScheduleTime"] = .string(Timestamp.format(due))
        }
        // History limits.
        for (kind, limit) in [("Complete", cj.int("spec", "successfulJobsHistoryLimit") ?? 3), ("Failed", cj.int("spec", "failedJobsHistoryLimit") ?? 1)] {
            let done = jobs.filter { finished($0) == kind }.sorted { $0.name < $1.name }
            for j in done.prefix(max(done.count - Int(limit), 0)) {
                _ = try? await store.delete(Kinds.jobs, namespace: key.namespace, name: j.name, options: DeleteOptions(propagationPolicy: .background))
                jobs.removeAll { $0.uid == j.uid }
            }
        }
        let active = jobs.filter { finished($0) == nil }
        status["active"] = active.isEmpty ? nil : .array(active.map {
            ["kind": "Job", "namespace": .string($0.namespace), "name": .string($0.name), "uid": .string($0.uid),
             "apiVersion": "batch/v1"]
        })
        if let success = jobs.filter({ finished($0) == "Complete" }).compactMap({ $0[path: "status", "completionTime"]?.stringValue }).max() {
            status["lastSuccessfulTime"] = .string(success)
        }
        await store.writeStatus(Kinds.cronJobs, cj, status)
        return schedule.next(after: now).map { max($0.timeIntervalSince(now), 0.05) }
    }
}

import Structured

/// Readiness of the pod-owning controllers: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job.
enum WorkloadRules {
    static func deployment(_ s: ResourceSnapshot) -> Verdict {
        let d = s.object
        var v = Verdict()
        let spec = Meta.int(d, "spec", "replicas")
        let replicas = Meta.int(d, "status", "replicas") ?? 0
        let updated = Meta.int(d, "status", "updatedReplicas") ?? 0
        let available = Meta.int(d, "status", "availableReplicas") ?? 0
        v.counts = ResourceCounts(
            desired: spec, replicas: replicas, upToDate: updated, available: available,
            ready: Meta.int(d, "status", "readyReplicas") ?? 0)

        let current = v.requireObservedGeneration(d)
        if current, let progressing = Meta.condition(d, "Progressing"), progressing["status"]?.stringValue == "False",
            progressing["reason"]?.stringValue == "ProgressDeadlineExceeded"
        {
            // kubedog never looks at this; without it a stuck rollout waits for the global timeout.
            v.errors.append(TrackingFailure(
                reason: "ProgressDeadlineExceeded", message: progressing["message"]?.stringValue ?? "", isFatal: true))
        }
        if let spec {
            // Exact equality: the rollout is done only once old pods are gone too.
            if updated != spec { v.wait("up-to-date \(updated)->\(spec)") }
            if replicas != spec { v.wait("replicas \(replicas)->\(spec)") }
            if available != spec { v.wait("available \(available)->\(spec)") }
            if spec == 0 { v.waitingFor.removeAll { !$0.hasPrefix("observed generation") } }
        } else {
            v.wait("spec replicas should be set")
        }
        v.ready = v.waitingFor.isEmpty

        var warnings = v.warnings
        v.errors += ProbeEvents.controllerFailures(s.events(about: d), warnings: &warnings)
        v.warnings = warnings
        let newRS = newReplicaSet(of: d, among: s.replicaSets)
        let anyKnownRS = s.replicaSets.contains { Meta.isOwned($0, by: d) || LabelSelector(selector: d[path: "spec", "selector"] ?? .null).matches($0) }
        let podErrors = v.addPods(s.childPods(), isNew: { pod in
            guard anyKnownRS else { return true }  // no ReplicaSet seen yet: every pod counts as new
            guard let newRS else { return false }
            return Meta.isOwned(pod, by: newRS)
        }, snapshot: s)
        v.errors += podErrors
        return v
    }

    /// The ReplicaSet of the current template: the oldest selector-matched one whose pod template
    /// equals the Deployment's once `pod-template-hash` is ignored (as the deployment controller picks it).
    static func newReplicaSet(of deployment: Value, among replicaSets: [Value]) -> Value? {
        let selector = LabelSelector(selector: deployment[path: "spec", "selector"] ?? .null)
        let template = withoutHash(deployment[path: "spec", "template"] ?? .null)
        let namespace = deployment[path: "metadata", "namespace"]?.stringValue
        return replicaSets
            .filter { rs in
                if let namespace, let ns = rs[path: "metadata", "namespace"]?.stringValue, ns != namespace { return false }
                return (Meta.isOwned(rs, by: deployment) || selector.matches(rs))
                    && withoutHash(rs[path: "spec", "template"] ?? .null).semanticallyEquals(template)
            }
            .min { a, b in
                let ta = a[path: "metadata", "creationTimestamp"]?.stringValue ?? ""
                let tb = b[path: "metadata", "creationTimestamp"]?.stringValue ?? ""
                return ta != tb ? ta < tb : Meta.name(a) < Meta.name(b)
            }
    }

    private static func withoutHash(_ template: Value) -> Value {
        var t = template
        if var labels = t[path: "metadata", "labels"]?.objectValue {
            labels.removeValue(forKey: "pod-template-hash")
            var metadata = t["metadata"] ?? .emptyObject
            metadata["labels"] = labels.isEmpty ? nil : .object(labels)  // nil removes the key
            t["metadata"] = metadata
        }
        return t
    }

    static func statefulSet(_ s: ResourceSnapshot) -> Verdict {
        let o = s.object
        var v = Verdict()
        let spec = Meta.int(o, "spec", "replicas")
        let ready = Meta.int(o, "status", "readyReplicas") ?? 0
        let updated = Meta.int(o, "status", "updatedReplicas") ?? 0
        let currentRevision = o[path: "status", "currentRevision"]?.stringValue ?? ""
        let updateRevision = o[path: "status", "updateRevision"]?.stringValue ?? ""
        v.counts = ResourceCounts(
            desired: spec, replicas: Meta.int(o, "status", "replicas") ?? 0, upToDate: updated,
            available: Meta.int(o, "status", "availableReplicas"), ready: ready)

        v.requireObservedGeneration(o, nonZero: true)
        if let spec {
            if ready < spec { v.wait("ready \(ready)->\(spec)") }
            let strategy = o[path: "spec", "updateStrategy", "type"]?.stringValue ?? "RollingUpdate"
            switch strategy {
            case "RollingUpdate":
                let partition = Meta.int(o, "spec", "updateStrategy", "rollingUpdate", "partition") ?? 0
                if partition > 0 {
                    let target = max(0, spec - partition)
                    if updated < target { v.wait("up-to-date \(updated)->\(target) (partitioned roll out)") }
                } else if updateRevision != currentRevision {
                    v.wait("up-to-date \(updated)->\(spec)")
                }
            case "OnDelete":
                if !((updated == 0 && updateRevision == currentRevision) || updated >= spec) {
                    v.wait("up-to-date \(updated)->\(spec) (user should delete old pods manually now!)")
                }
            default:
                // kubedog panics here; an unknown strategy is a failure of this resource instead.
                v.errors.append(TrackingFailure(
                    reason: "UnknownUpdateStrategy", message: "unknown StatefulSet update strategy \"\(strategy)\"", isFatal: true))
            }
        } else {
            v.wait("spec replicas should be set")
        }
        v.ready = v.waitingFor.isEmpty

        var warnings = v.warnings
        v.errors += ProbeEvents.controllerFailures(s.events(about: o), warnings: &warnings)
        v.warnings = warnings
        let podErrors = v.addPods(s.childPods(), isNew: { pod in
            guard !updateRevision.isEmpty else { return true }
            return pod[path: "metadata", "labels", "controller-revision-hash"]?.stringValue == updateRevision
        }, snapshot: s)
        v.errors += podErrors
        return v
    }

    static func daemonSet(_ s: ResourceSnapshot) -> Verdict {
        let o = s.object
        var v = Verdict()
        let desired = Meta.int(o, "status", "desiredNumberScheduled") ?? 0
        let updated = Meta.int(o, "status", "updatedNumberScheduled") ?? 0
        let available = Meta.int(o, "status", "numberAvailable") ?? 0
        v.counts = ResourceCounts(
            desired: desired,
            replicas: (Meta.int(o, "status", "currentNumberScheduled") ?? 0) + (Meta.int(o, "status", "numberMisscheduled") ?? 0),
            upToDate: updated, available: available, ready: Meta.int(o, "status", "numberReady") ?? 0)

        let strategy = o[path: "spec", "updateStrategy", "type"]?.stringValue ?? "RollingUpdate"
        if strategy == "RollingUpdate" {
            v.requireObservedGeneration(o)
            if updated != desired { v.wait("up-to-date \(updated)->\(desired)") }
            if available != desired { v.wait("available \(available)->\(desired)") }
        }
        v.ready = v.waitingFor.isEmpty

        var warnings = v.warnings
        v.errors += ProbeEvents.controllerFailures(s.events(about: o), warnings: &warnings)
        v.warnings = warnings
        let generation = Meta.generation(o).map { String($0) }
        let podErrors = v.addPods(s.childPods(), isNew: { pod in
            guard let generation else { return true }
            return pod[path: "metadata", "labels", "pod-template-generation"]?.stringValue == generation
        }, snapshot: s)
        v.errors += podErrors
        return v
    }

    /// kubedog leaves ReplicaSets to the generic tracker (ready at once); a bare ReplicaSet is a
    /// workload, so it waits for its replicas like a Deployment does.
    static func replicaSet(_ s: ResourceSnapshot) -> Verdict {
        let o = s.object
        var v = Verdict()
        let spec = Meta.int(o, "spec", "replicas") ?? 1
        let replicas = Meta.int(o, "status", "replicas") ?? 0
        let available = Meta.int(o, "status", "availableReplicas") ?? 0
        let ready = Meta.int(o, "status", "readyReplicas") ?? 0
        v.counts = ResourceCounts(desired: spec, replicas: replicas, available: available, ready: ready)
        v.requireObservedGeneration(o)
        if replicas != spec { v.wait("replicas \(replicas)->\(spec)") }
        if available != spec { v.wait("available \(available)->\(spec)") }
        v.ready = v.waitingFor.isEmpty
        var warnings = v.warnings
        v.errors += ProbeEvents.controllerFailures(s.events(about: o), warnings: &warnings)
        v.warnings = warnings
        let podErrors = v.addPods(s.childPods(), isNew: { _ in true }, snapshot: s)
        v.errors += podErrors
        return v
    }

    static func job(_ s: ResourceSnapshot) -> Verdict {
        let o = s.object
        var v = Verdict()
        let succeeded = Meta.int(o, "status", "succeeded") ?? 0
        let failed = Meta.int(o, "status", "failed") ?? 0
        let completions = Meta.int(o, "spec", "completions")
        let parallelism = Meta.int(o, "spec", "parallelism") ?? 1
        v.counts = ResourceCounts(
            desired: completions, active: Meta.int(o, "status", "active") ?? 0, succeeded: succeeded, failed: failed)

        // A failed Job is final whatever its pods still do: the controller kills them.
        for type in ["Failed", "FailureTarget"] {
            if let c = Meta.condition(o, type), c["status"]?.stringValue == "True" {
                v.errors.append(TrackingFailure(
                    reason: c["reason"]?.stringValue ?? type, message: c["message"]?.stringValue ?? "", isFatal: true))
                break
            }
        }
        let backoffLimit = Meta.int(o, "spec", "backoffLimit") ?? 6
        if v.errors.isEmpty, failed > backoffLimit, o[path: "spec", "backoffLimitPerIndex"] == nil {
            v.errors.append(TrackingFailure(
                reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", isFatal: true))
        }

        let pods = s.childPods()
        // Conditions are only trusted once every pod has terminated (kubedog: a Complete condition can
        // precede the last pod's termination being recorded).
        if !pods.allSatisfy(PodStatus.isTerminated) {
            v.wait("pods should be terminated")
        } else if Meta.condition(o, "Complete")?["status"]?.stringValue != "True" {
            v.wait("condition Complete->True")
        }
        if !v.waitingFor.isEmpty {
            if let completions {
                if succeeded < completions { v.wait("succeeded \(succeeded)->\(completions)") }
            } else if succeeded < 1 {
                v.wait(parallelism > 1 ? "succeeded \(succeeded)->1 of \(parallelism)" : "succeeded \(succeeded)->1")
            }
        }
        v.ready = v.waitingFor.isEmpty

        var warnings = v.warnings
        v.errors += ProbeEvents.controllerFailures(s.events(about: o), warnings: &warnings)
        v.warnings = warnings
        let podErrors = v.addPods(pods, isNew: { _ in true }, snapshot: s)
        v.errors += podErrors
        return v
    }

    static func pod(_ s: ResourceSnapshot) -> Verdict {
        let p = s.object
        var v = Verdict()
        let phase = p[path: "status", "phase"]?.stringValue ?? ""
        var summary = PodStatus.summary(p)
        summary.errors += ProbeEvents.errors(for: p, events: s.events(about: p), windows: s.readinessProbeWindows)
        v.pods = [summary]
        v.counts = ResourceCounts(watchedField: "status.phase: \(phase)")
        if PodStatus.isReady(p) || phase == "Succeeded" {
            v.ready = true
            return v
        }
        if phase == "Failed" {
            let reason = p[path: "status", "reason"]?.stringValue ?? "Failed"
            let message = p[path: "status", "message"]?.stringValue ?? "pod phase is Failed (\(summary.status))"
            v.errors.append(TrackingFailure(subject: "po/\(Meta.name(p))", reason: reason, message: message, isFatal: true))
        }
        // kubedog ignores a standalone pod's container errors; they are errors here too.
        v.errors += summary.errors
        v.wait("condition Ready->True")
        return v
    }
}

import Structured

/// The deciding piece of tracking: a pure function from a snapshot to a `ResourceState`.
///
/// Watching the API and printing live elsewhere; nothing here does I/O or keeps time.
public enum ReadinessRules {
    /// Decide the state of `snapshot.object`.
    ///
    /// Throws when a werf annotation on the object has an invalid value.
    public static func state(of snapshot: ResourceSnapshot) throws(TrackingError) -> ResourceState {
        let annotations = try TrackingAnnotations(of: snapshot.object)
        return state(of: snapshot, annotations: annotations)
    }

    /// Decide with annotations already parsed (the session parses them once per resource).
    public static func state(
        of snapshot: ResourceSnapshot, annotations: TrackingAnnotations, goal: TrackingGoal = .ready
    ) -> ResourceState {
        var snapshot = snapshot
        snapshot.readinessProbeWindows = annotations.ignoreReadinessProbeFailsFor
        var verdict = verdict(snapshot)
        if goal == .completed { completion(snapshot.object, &verdict) }
        let allowed = failuresAllowed(snapshot.object, annotations: annotations)
        var state = ResourceState(
            phase: .progressing, waitingFor: verdict.waitingFor, errors: verdict.errors, warnings: verdict.warnings,
            failuresAllowed: allowed, counts: verdict.counts, pods: verdict.pods)
        state.goal = goal
        let fatal = verdict.errors.contains(where: \.isFatal)
        if verdict.ready && !fatal {
            state.phase = .ready
        } else if annotations.failMode == .ignoreAndContinueDeployProcess {
            state.phase = .progressing  // errors are shown but never fail; it still blocks until ready
        } else if fatal || verdict.errors.count > allowed {
            state.phase = .failed
        }
        return state
    }

    /// Hooks: a Pod counts only once it has Succeeded (a Ready pod is still running); Jobs already
    /// wait for completion.
    private static func completion(_ object: Value, _ verdict: inout Verdict) {
        guard ResourceID(object).kind == "Pod", ResourceID(object).group == "" else { return }
        let phase = object[path: "status", "phase"]?.stringValue ?? ""
        if phase != "Succeeded" {
            verdict.ready = false
            verdict.waitingFor = ["phase \(phase.isEmpty ? "Pending" : phase)->Succeeded"]
        }
    }

    static func verdict(_ s: ResourceSnapshot) -> Verdict {
        let id = s.id
        switch (id.group, id.kind) {
        case ("apps", "Deployment"), ("extensions", "Deployment"): return WorkloadRules.deployment(s)
        case ("apps", "StatefulSet"): return WorkloadRules.statefulSet(s)
        case ("apps", "DaemonSet"), ("extensions", "DaemonSet"): return WorkloadRules.daemonSet(s)
        case ("apps", "ReplicaSet"), ("extensions", "ReplicaSet"): return WorkloadRules.replicaSet(s)
        case ("batch", "Job"): return WorkloadRules.job(s)
        case ("", "Pod"): return WorkloadRules.pod(s)
        case ("apiextensions.k8s.io", "CustomResourceDefinition"): return GenericRules.customResourceDefinition(s)
        case ("flagger.app", "Canary"): return GenericRules.canary(s)
        default: return GenericRules.evaluate(s)
        }
    }

    /// nelm's allowance: per-replica (annotation, else 1 for Deployment/StatefulSet/DaemonSet/Canary and
    /// 0 for the rest) times `spec.replicas` when present; always 0 for Jobs and `restartPolicy: Never`.
    public static func failuresAllowed(_ object: Value, annotations: TrackingAnnotations) -> Int {
        let id = ResourceID(object)
        if id.kind == "Job" || object[path: "spec", "template", "spec", "restartPolicy"]?.stringValue == "Never" {
            return 0
        }
        let defaultPerReplica: Int
        switch id.kind {
        case "Deployment", "StatefulSet", "DaemonSet", "Canary": defaultPerReplica = 1
        default: defaultPerReplica = 0
        }
        let perReplica = annotations.failuresAllowedPerReplica ?? defaultPerReplica
        if let replicas = Meta.int(object, "spec", "replicas") { return perReplica * replicas }
        return perReplica
    }
}

import Structured

/// kubedog's generic heuristic for every kind without a dedicated tracker, with the
/// observedGeneration check kubedog lacks and CamelCase condition types accepted.
enum GenericRules {
    /// The universal condition types, in priority order (kubedog writes them in lower case).
    static let conditionTypes = [
        "ready", "success", "succeeded", "complete", "completed", "finished", "finalized", "done", "available",
        "running", "ok", "active", "live", "healthy", "started", "initialized", "approved",
    ]
    static let valueFields = ["phase", "currentPhase", "state", "currentState", "status", "currentStatus", "health", "currentHealth"]
    static let readyValues = Set(conditionTypes)
    static let pendingValues: Set<String> = [
        "creating", "updating", "waiting", "awaiting", "pending", "finishing", "starting", "readying", "inprogress",
        "progressing", "initialization", "initializing", "approving", "unknown",
    ]
    static let failedValues: Set<String> = [
        "failure", "failed", "abort", "aborted", "terminated", "error", "errored", "rejection", "rejected",
    ]
    static let failedValueMessage = "Resource status field value matched failed condition."

    /// Kinds that are ready as soon as they exist.
    static let presenceOnly: Set<String> = [
        "Service", "Ingress", "HorizontalPodAutoscaler", "CronJob", "ConfigMap", "Secret", "ServiceAccount",
    ]

    static func evaluate(_ s: ResourceSnapshot) -> Verdict {
        let o = s.object
        var v = Verdict()
        if presenceOnly.contains(s.kind) { v.ready = true; return v }
        guard let status = o["status"], status.objectValue != nil else { v.ready = true; return v }

        // A status written for an older spec says nothing about the current one.
        if let observed = Meta.observedGeneration(o), let generation = Meta.generation(o), observed < generation {
            v.wait("observed generation \(observed) should be >= \(generation)")
            return v
        }

        if let rule = ContribRules.rule(for: ResourceID(o)) {
            return rule.evaluate(o)
        }
        if let decided = conditions(o) { return decided }
        if let decided = valueFields(status) { return decided }
        if let decided = lowPriority(status) { return decided }
        v.ready = true
        return v
    }

    private static func conditions(_ o: Value) -> Verdict? {
        let conditions = o[path: "status", "conditions"]?.arrayValue ?? []
        guard !conditions.isEmpty else { return nil }
        for type in conditionTypes {
            // CamelCase first (what real controllers write), then kubedog's lower case.
            for candidate in [type.prefix(1).uppercased() + type.dropFirst(), type] {
                guard let c = conditions.first(where: { $0["type"]?.stringValue == candidate }) else { continue }
                var v = Verdict()
                let value = c["status"]?.stringValue ?? ""
                v.counts.watchedField = "status.conditions[type=\(candidate)].status: \(value)"
                if value == "True" { v.ready = true } else { v.wait("condition \(candidate)->True") }
                return v
            }
        }
        return nil
    }

    /// Lower case with separators dropped, so every case style (CamelCase, snake, kebab, dot, UPPER) matches.
    static func normalize(_ text: String) -> String {
        String(text.lowercased().filter { !" _-.".contains($0) })
    }

    private static func valueFields(_ status: Value) -> Verdict? {
        for field in valueFields {
            guard let raw = status[field]?.stringValue else { continue }
            let value = normalize(raw)
            var v = Verdict()
            v.counts.watchedField = "status.\(field): \(raw)"
            if readyValues.contains(value) {
                v.ready = true
            } else if pendingValues.contains(value) {
                v.wait("status.\(field) \(raw)->ready")
            } else if failedValues.contains(value) {
                v.errors.append(TrackingFailure(reason: "status.\(field)=\(raw)", message: failedValueMessage, isFatal: true))
            } else {
                continue
            }
            return v
        }
        return nil
    }

    private static func lowPriority(_ status: Value) -> Verdict? {
        for (fields, ready, pending) in [
            (["state", "currentState"], ["valid"], ["invalid", "unknown"]),
            (["health", "currentHealth"], ["green"], ["yellow", "red", "unknown"]),
        ] {
            for field in fields {
                guard let raw = status[field]?.stringValue else { continue }
                let value = normalize(raw)
                var v = Verdict()
                v.counts.watchedField = "status.\(field): \(raw)"
                if ready.contains(value) { v.ready = true; return v }
                if pending.contains(value) { v.wait("status.\(field) \(raw)->ready"); return v }
            }
        }
        return nil
    }

    /// CRDs: kubedog/nelm never track them; here they are ready once the API server has established
    /// them (an object without the condition yet is still in progress only if the condition says False).
    static func customResourceDefinition(_ s: ResourceSnapshot) -> Verdict {
        var v = Verdict()
        for type in ["NamesAccepted", "Established"] {
            if let c = Meta.condition(s.object, type), c["status"]?.stringValue != "True" {
                v.wait("condition \(type)->True")
            }
        }
        v.ready = v.waitingFor.isEmpty
        return v
    }

    /// Flagger Canary: phase Initialized/Succeeded is ready, Failed fails at once.
    static func canary(_ s: ResourceSnapshot) -> Verdict {
        var v = Verdict()
        let phase = s.object[path: "status", "phase"]?.stringValue ?? ""
        v.counts.watchedField = "status.phase: \(phase)"
        switch phase {
        case "Initialized", "Succeeded": v.ready = true
        case "Failed":
            let messages = (s.object[path: "status", "conditions"]?.arrayValue ?? []).compactMap { $0["message"]?.stringValue }
            v.errors.append(TrackingFailure(reason: "Failed", message: "Failed - " + messages.joined(separator: ", "), isFatal: true))
        default: v.wait("status.phase \(phase.isEmpty ? "\"\"" : phase)->Succeeded")
        }
        return v
    }
}

import Structured

/// What a per-kind rule decides before errors are weighed against the allowance.
struct Verdict {
    var ready = false
    var waitingFor: [String] = []
    /// Errors of the resource itself (conditions, Failed events).
    var errors: [TrackingFailure] = []
    var warnings: [String] = []
    var counts = ResourceCounts()
    var pods: [PodSummary] = []

    mutating func wait(_ text: String) { waitingFor.append(text) }

    /// `observed generation X should be >= Y` unless the controller has seen the current spec.
    /// Returns whether the status is current.
    @discardableResult
    mutating func requireObservedGeneration(_ object: Value, nonZero: Bool = false) -> Bool {
        let generation = Meta.generation(object) ?? 0
        let observed = Meta.observedGeneration(object) ?? 0
        if observed < generation || (nonZero && observed == 0) {
            wait("observed generation \(observed) should be >= \(max(generation, nonZero ? 1 : 0))")
            return false
        }
        return true
    }

    /// Adds the pods, marking which are new, and returns the error signals of the new ones.
    mutating func addPods(_ pods: [Value], isNew: (Value) -> Bool, snapshot: ResourceSnapshot) -> [TrackingFailure] {
        var errors: [TrackingFailure] = []
        for pod in pods.sorted(by: { Meta.name($0) < Meta.name($1) }) {
            let new = isNew(pod)
            var summary = PodStatus.summary(pod, isNew: new)
            summary.errors += ProbeEvents.errors(for: pod, events: snapshot.events(about: pod), windows: snapshot.readinessProbeWindows)
            self.pods.append(summary)
            if new { errors += summary.errors }
        }
        return errors
    }
}

/// Controller events with a `Failed…` reason, and pod probe events that restart a container.
enum ProbeEvents {
    /// Reasons containing "Failed" that kubedog does not count.
    static let ignoredFailedReasons: Set<String> = ["RecreatingFailedPod", "FailedDelete"]
    /// A StatefulSet Failed event with this text is only a warning (a transient API refusal).
    static let transientPostMessage = "The POST operation against Pod could not be completed at this time, please try again."

    static func controllerFailures(_ events: [Value], warnings: inout [String]) -> [TrackingFailure] {
        var errors: [TrackingFailure] = []
        for event in events {
            let reason = event["reason"]?.stringValue ?? ""
            guard reason.contains("Failed"), !ignoredFailedReasons.contains(reason) else { continue }
            let message = event["message"]?.stringValue ?? ""
            if message.contains(transientPostMessage) {
                warnings.append("\(reason): \(message)")
            } else {
                errors.append(TrackingFailure(reason: reason, message: message))
            }
        }
        return errors
    }

    /// `Liveness probe failed … will be restarted` style events (the kubelet is restarting a container),
    /// and `Readiness probe failed:` events once the container's ignore window has passed.
    /// `windows`: `werf.io/ignore-readiness-probe-fails-for-<container>` in seconds.
    static func errors(for pod: Value, events: [Value], windows: [String: Double] = [:]) -> [TrackingFailure] {
        events.compactMap { event in
            let message = event["message"]?.stringValue ?? ""
            var container = ""
            if let path = event[path: "involvedObject", "fieldPath"]?.stringValue,
                let open = path.firstIndex(of: "{"), let close = path.lastIndex(of: "}"), open < close
            {
                container = String(path[path.index(after: open)..<close])
            }
            let restart = message.contains("failed startup probe, will be restarted") || message.contains("failed liveness probe, will be restarted")
            let readiness = message.hasPrefix("Readiness probe failed:")
                && ReadinessProbeWindow.counts(event: event, pod: pod, container: container, override: windows[container])
            guard restart || readiness else { return nil }
            let subject = "po/\(Meta.name(pod))" + (container.isEmpty ? "" : " container/\(container)")
            return TrackingFailure(subject: subject, reason: event["reason"]?.stringValue ?? "Unhealthy", message: message)
        }
    }
}

import Foundation
import Structured

/// When a `Readiness probe failed:` event counts as an error (kubedog): never before the container
/// has started; at once when `failureThreshold` is 1; otherwise only after `startedAt + D`, where D is
/// the annotation or the time the kubelet needs to mark the container unready on its own:
/// `max(0, initialDelay' + timeout + (failure + success − 3)·period + period/2 + timeout)` seconds,
/// with `initialDelay' = period + initialDelay`, shortened by a startup probe's own duration S
/// (`period` when S exceeds it, else `period + initialDelay − S`).
enum ReadinessProbeWindow {
    static func counts(event: Value, pod: Value, container: String, override: Double?) -> Bool {
        let specs = pod[path: "spec", "containers"]?.arrayValue ?? []
        guard let spec = specs.first(where: { $0["name"]?.stringValue == container }) else { return false }
        let statuses = pod[path: "status", "containerStatuses"]?.arrayValue ?? []
        guard let started = statuses.first(where: { $0["name"]?.stringValue == container })?[path: "state", "running", "startedAt"]?.stringValue,
            let startedAt = parse(started)
        else { return false }  // not started: the kubelet has not judged it yet
        let probe = spec["readinessProbe"] ?? .null
        let failure = number(probe, "failureThreshold", 3)
        if failure == 1 && override == nil { return true }
        let window = override ?? ignoreWindow(probe: probe, startup: spec["startupProbe"])
        let when = event["lastTimestamp"]?.stringValue ?? event["eventTime"]?.stringValue ?? event["firstTimestamp"]?.stringValue
        guard let when, let time = parse(when) else { return false }
        return time > startedAt + window
    }

    static func ignoreWindow(probe: Value, startup: Value?) -> Double {
        let period = number(probe, "periodSeconds", 10)
        let initialDelay = number(probe, "initialDelaySeconds", 0)
        let timeout = number(probe, "timeoutSeconds", 1)
        let failure = number(probe, "failureThreshold", 3)
        let success = number(probe, "successThreshold", 1)
        var realInitialDelay = period + initialDelay
        if let startup, startup.objectValue != nil {
            let sPeriod = number(startup, "periodSeconds", 10)
            let s = sPeriod + number(startup, "initialDelaySeconds", 0)
                + (number(startup, "failureThreshold", 3) + number(startup, "successThreshold", 1) - 1) * sPeriod
                + number(startup, "timeoutSeconds", 1) + period
            realInitialDelay = s > period + initialDelay ? period : period + initialDelay - s
        }
        return max(0, realInitialDelay + timeout + (failure + success - 3) * period + period / 2 + timeout)
    }

    private static func number(_ probe: Value, _ key: String, _ fallback: Double) -> Double {
        probe[key]?.doubleValue ?? fallback
    }

    /// RFC 3339 with or without fractional seconds.
    static func parse(_ text: String) -> Double? {
        let plain = ISO8601DateFormatter()
        if let d = plain.date(from: text) { return d.timeIntervalSince1970 }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)?.timeIntervalSince1970
    }
}

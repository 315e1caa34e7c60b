import Foundation
import Structured

/// The STATUS and RESTARTS columns of `kubectl get pods`, computed as the API server's pod printer
/// does: init container states first (`Init:0/1`, `Init:Error`, `Init:CrashLoopBackOff`), then app
/// containers from the last (`CrashLoopBackOff`, `ImagePullBackOff`, `Completed`, `Error`),
/// `Terminating` for pods being deleted; restarts with `(Xs ago)` of the last termination.
enum PodStatusPrinter {
    static func status(_ pod: Value) -> String {
        var reason = pod[path: "status", "reason"]?.stringValue ?? pod[path: "status", "phase"]?.stringValue ?? "Pending"
        let initSpecs = pod[path: "spec", "initContainers"]?.arrayValue ?? []
        var initializing = false
        for (i, s) in (pod[path: "status", "initContainerStatuses"]?.arrayValue ?? []).enumerated() {
            if let t = s[path: "state", "terminated"], t["exitCode"]?.intValue == 0 { continue }
            initializing = true
            if let t = s[path: "state", "terminated"] {
                let r = t["reason"]?.stringValue ?? ""
                reason = r.isEmpty ? "Init:ExitCode:\(t["exitCode"]?.intValue ?? 0)" : "Init:" + r
            } else if let w = s[path: "state", "waiting", "reason"]?.stringValue, !w.isEmpty, w != "PodInitializing" {
                reason = "Init:" + w
            } else {
                reason = "Init:\(i)/\(initSpecs.count)"
            }
            break
        }
        if !initializing {
            var hasRunning = false
            for s in (pod[path: "status", "containerStatuses"]?.arrayValue ?? []).reversed() {
                if let w = s[path: "state", "waiting", "reason"]?.stringValue, !w.isEmpty {
                    reason = w
                } else if let t = s[path: "state", "terminated"] {
                    let r = t["reason"]?.stringValue ?? ""
                    reason = r.isEmpty ? "ExitCode:\(t["exitCode"]?.intValue ?? 0)" : r
                } else if s["ready"]?.boolValue == true, s[path: "state", "running"] != nil {
                    hasRunning = true
                }
            }
            if reason == "Completed" && hasRunning { reason = pod.conditionIsTrue("Ready") ? "Running" : "NotReady" }
        }
        if pod.isDeleting { reason = "Terminating" }
        return reason
    }

    static func restarts(_ pod: Value, now: Date = Date()) -> String {
        let statuses = (pod[path: "status", "initContainerStatuses"]?.arrayValue ?? []) + (pod[path: "status", "containerStatuses"]?.arrayValue ?? [])
        let count = statuses.reduce(Int64(0)) { $0 + ($1["restartCount"]?.intValue ?? 0) }
        let last = statuses.compactMap { $0[path: "lastState", "terminated", "finishedAt"]?.stringValue.flatMap(Timestamp.parse) }.max()
        guard count > 0, let last else { return String(count) }
        return "\(count) (\(shortDuration(now.timeIntervalSince(last))) ago)"
    }

    /// kubectl's HumanDuration for recent times: `5s`, `3m2s`, `2h`.
    static func shortDuration(_ seconds: Double) -> String {
        let s = max(Int(seconds), 0)
        if s < 120 { return "\(s)s" }
        if s < 600 { return "\(s / 60)m\(s % 60 == 0 ? "" : "\(s % 60)s")" }
        if s < 3 * 3600 { return "\(s / 60)m" }
        return "\(s / 3600)h"
    }
}

import Structured

/// One pod as `kubectl get pods` shows it, plus what tracking makes of it.
public struct PodSummary: Sendable, Hashable {
    public var name: String
    /// READY column: `1/2`.
    public var ready: String
    /// RESTARTS column count (kubectl adds ` (5m ago)`, which depends on the clock; see `restartsColumn`).
    public var restarts: Int
    /// STATUS column, computed exactly as kubectl's pod printer does.
    public var status: String
    /// Whether the pod belongs to the current rollout (new ReplicaSet / update revision).
    public var isNew: Bool
    /// Container and init-container error signals of this pod.
    public var errors: [TrackingFailure]

    public init(name: String, ready: String, restarts: Int, status: String, isNew: Bool, errors: [TrackingFailure]) {
        self.name = name
        self.ready = ready
        self.restarts = restarts
        self.status = status
        self.isNew = isNew
        self.errors = errors
    }
}

/// kubectl's pod columns and the pod-level failure signals.
public enum PodStatus {
    /// Container waiting reasons that count as errors. kubedog knows only the first four; the rest
    /// otherwise hang until the global timeout.
    public static let failingWaitingReasons: Set<String> = [
        "ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff", "ErrImageNeverPull",
        "CreateContainerConfigError", "CreateContainerError", "InvalidImageName", "RunContainerError",
    ]

    /// The pod as a table row; `isNew` is decided by the owner's rules.
    public static func summary(_ pod: Value, isNew: Bool = true) -> PodSummary {
        let columns = columns(pod)
        return PodSummary(
            name: pod[path: "metadata", "name"]?.stringValue ?? "", ready: columns.ready, restarts: columns.restarts,
            status: columns.status, isNew: isNew, errors: containerErrors(pod))
    }

    /// READY, RESTARTS and STATUS following kubectl's `printPod` (1.35).
    public static func columns(_ pod: Value) -> (ready: String, restarts: Int, status: String) {
        let spec = pod["spec"] ?? .null
        let status = pod["status"] ?? .null
        let phase = status["phase"]?.stringValue ?? ""
        var reason = phase
        if let r = status["reason"]?.stringValue, !r.isEmpty { reason = r }
        let conditions = status["conditions"]?.arrayValue ?? []
        for c in conditions where c["type"]?.stringValue == "PodScheduled" && c["reason"]?.stringValue == "SchedulingGated" {
            reason = "SchedulingGated"
        }

        let initSpecs = spec["initContainers"]?.arrayValue ?? []
        var restartable: Set<String> = []  // sidecars: init containers with restartPolicy Always
        for c in initSpecs where c["restartPolicy"]?.stringValue == "Always" {
            if let name = c["name"]?.stringValue { restartable.insert(name) }
        }
        var total = (spec["containers"]?.arrayValue ?? []).count + restartable.count
        var readyCount = 0
        var restarts = 0
        var sidecarRestarts = 0
        var initializing = false

        let initStatuses = status["initContainerStatuses"]?.arrayValue ?? []
        for (index, c) in initStatuses.enumerated() {
            let count = Int(c["restartCount"]?.intValue ?? 0)
            restarts += count
            let isSidecar = restartable.contains(c["name"]?.stringValue ?? "")
            if isSidecar { sidecarRestarts += count }
            let terminated = c[path: "state", "terminated"]
            let waiting = c[path: "state", "waiting"]
            if let terminated, terminated["exitCode"]?.intValue ?? 0 == 0 { continue }
            if isSidecar, c["started"]?.boolValue == true {
                if c["ready"]?.boolValue == true { readyCount += 1 }
                continue
            }
            if let terminated {
                if let r = terminated["reason"]?.stringValue, !r.isEmpty {
                    reason = "Init:" + r
                } else if let signal = terminated["signal"]?.intValue, signal != 0 {
                    reason = "Init:Signal:\(signal)"
                } else {
                    reason = "Init:ExitCode:\(terminated["exitCode"]?.intValue ?? 0)"
                }
            } else if let r = waiting?["reason"]?.stringValue, !r.isEmpty, r != "PodInitializing" {
                reason = "Init:" + r
            } else {
                reason = "Init:\(index)/\(initSpecs.count)"
            }
            initializing = true
            break
        }

        let initialized = conditions.contains { $0["type"]?.stringValue == "Initialized" && $0["status"]?.stringValue == "True" }
        if !initializing || initialized {
            restarts = sidecarRestarts
            var hasRunning = false
            for c in (status["containerStatuses"]?.arrayValue ?? []).reversed() {
                restarts += Int(c["restartCount"]?.intValue ?? 0)
                let waiting = c[path: "state", "waiting"]
                let terminated = c[path: "state", "terminated"]
                if let r = waiting?["reason"]?.stringValue, !r.isEmpty {
                    reason = r
                } else if let terminated, let r = terminated["reason"]?.stringValue, !r.isEmpty {
                    reason = r
                } else if let terminated {
                    if let signal = terminated["signal"]?.intValue, signal != 0 {
                        reason = "Signal:\(signal)"
                    } else {
                        reason = "ExitCode:\(terminated["exitCode"]?.intValue ?? 0)"
                    }
                } else if c["ready"]?.boolValue == true, c[path: "state", "running"] != nil {
                    hasRunning = true
                    readyCount += 1
                }
            }
            if reason == "Completed" && hasRunning {
                let podReady = conditions.contains { $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True" }
                reason = podReady ? "Running" : "NotReady"
            }
        }

        if let deletion = pod[path: "metadata", "deletionTimestamp"], !deletion.isNull {
            if status["reason"]?.stringValue == "NodeLost" {
                reason = "Unknown"
            } else if phase != "Succeeded" && phase != "Failed" {
                reason = "Terminating"
            }
        }
        if total < 0 { total = 0 }
        return ("\(readyCount)/\(total)", restarts, reason)
    }

    /// Error signals of one pod: failing waiting reasons of init and main containers, and init
    /// containers terminated with reason `Error`. Evictions and other Failed phases are not errors.
    public static func containerErrors(_ pod: Value) -> [TrackingFailure] {
        let name = pod[path: "metadata", "name"]?.stringValue ?? ""
        var errors: [TrackingFailure] = []
        let status = pod["status"] ?? .null
        for (field, isInit) in [("initContainerStatuses", true), ("containerStatuses", false)] {
            for c in status[field]?.arrayValue ?? [] {
                let container = c["name"]?.stringValue ?? ""
                let subject = "po/\(name) container/\(container)"
                if let waiting = c[path: "state", "waiting"], let reason = waiting["reason"]?.stringValue,
                    failingWaitingReasons.contains(reason)
                {
                    errors.append(TrackingFailure(subject: subject, reason: reason, message: waiting["message"]?.stringValue ?? ""))
                } else if isInit, let terminated = c[path: "state", "terminated"], terminated["reason"]?.stringValue == "Error" {
                    let code = terminated["exitCode"]?.intValue ?? 0
                    let message = terminated["message"]?.stringValue ?? "init container exited with code \(code)"
                    errors.append(TrackingFailure(subject: subject, reason: "Error", message: message))
                }
            }
        }
        return errors
    }

    /// `5 (3m ago)` like kubectl when the last restart time is known, else the bare count.
    public static func restartsColumn(_ pod: Value, now: Double, parseTime: (String) -> Double?) -> String {
        let count = columns(pod).restarts
        var last: Double?
        let status = pod["status"] ?? .null
        for field in ["initContainerStatuses", "containerStatuses"] {
            for c in status[field]?.arrayValue ?? [] {
                if let t = c[path: "lastState", "terminated", "finishedAt"]?.stringValue, let seconds = parseTime(t) {
                    last = max(last ?? seconds, seconds)
                }
            }
        }
        guard count > 0, let last else { return String(count) }
        return "\(count) (\(KubeDuration.humanShort(now - last)) ago)"
    }

    static func isTerminated(_ pod: Value) -> Bool {
        let phase = pod[path: "status", "phase"]?.stringValue
        return phase == "Succeeded" || phase == "Failed"
    }

    static func isReady(_ pod: Value) -> Bool {
        (pod[path: "status", "conditions"]?.arrayValue ?? []).contains {
            $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
        }
    }
}

/// Where a tracked resource stands, decided from one snapshot of it and its child pods.
public struct ResourceState: Sendable, Hashable {
    public enum Phase: String, Sendable, Hashable {
        case progressing, ready, failed
    }

    public var phase: Phase
    /// Why it is not ready yet, kubedog's "waiting for" items: `up-to-date 1->3`, `available 0->3`.
    public var waitingFor: [String]
    /// Every error signal seen in this snapshot (root and new pods), counted against `failuresAllowed`.
    public var errors: [TrackingFailure]
    /// Non-fatal notes shown as `warning: …`.
    public var warnings: [String]
    /// Errors tolerated before the resource counts as failed.
    public var failuresAllowed: Int
    /// Numbers for the progress table.
    public var counts: ResourceCounts
    /// The child pods, new and old, as `kubectl get pods` shows them.
    public var pods: [PodSummary]
    /// What tracking waits for: with `.absent`, phase `.ready` means the resource is gone.
    public var goal: TrackingGoal = .ready

    public init(
        phase: Phase, waitingFor: [String] = [], errors: [TrackingFailure] = [], warnings: [String] = [],
        failuresAllowed: Int = 0, counts: ResourceCounts = ResourceCounts(), pods: [PodSummary] = []
    ) {
        self.phase = phase
        self.waitingFor = waitingFor
        self.errors = errors
        self.warnings = warnings
        self.failuresAllowed = failuresAllowed
        self.counts = counts
        self.pods = pods
    }

    public var isReady: Bool { phase == .ready }
    public var isFailed: Bool { phase == .failed }

    /// kubedog's `Waiting for: a, b` text.
    public var waitingForText: String { waitingFor.joined(separator: ", ") }
}

/// One error signal: a container waiting reason, a failed condition, a Failed event.
public struct TrackingFailure: Sendable, Hashable, CustomStringConvertible {
    /// `po/web-1 container/app`, or empty when it is about the resource itself.
    public var subject: String
    public var reason: String
    public var message: String
    /// Fails the resource whatever the allowance (a failed Job condition, ProgressDeadlineExceeded).
    public var isFatal: Bool

    public init(subject: String = "", reason: String, message: String, isFatal: Bool = false) {
        self.subject = subject
        self.reason = reason
        self.message = message
        self.isFatal = isFatal
    }

    /// `po/x container/app: CrashLoopBackOff: back-off 10s …`.
    public var description: String {
        let text = message.isEmpty ? reason : "\(reason): \(message)"
        return subject.isEmpty ? text : "\(subject): \(text)"
    }
}

/// Kind-specific numbers for the progress table; `nil` where a kind has no such number.
public struct ResourceCounts: Sendable, Hashable {
    /// Desired replicas (spec.replicas, desiredNumberScheduled, completions).
    public var desired: Int?
    /// status.replicas (currentNumberScheduled + numberMisscheduled for DaemonSets).
    public var replicas: Int?
    public var upToDate: Int?
    public var available: Int?
    public var ready: Int?
    public var active: Int?
    public var succeeded: Int?
    public var failed: Int?
    /// Generic resources: the field that decided, `status.phase: Pending`.
    public var watchedField: String?

    public init(
        desired: Int? = nil, replicas: Int? = nil, upToDate: Int? = nil, available: Int? = nil, ready: Int? = nil,
        active: Int? = nil, succeeded: Int? = nil, failed: Int? = nil, watchedField: String? = nil
    ) {
        self.desired = desired
        self.replicas = replicas
        self.upToDate = upToDate
        self.available = available
        self.ready = ready
        self.active = active
        self.succeeded = succeeded
        self.failed = failed
        self.watchedField = watchedField
    }
}

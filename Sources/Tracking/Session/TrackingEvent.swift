/// What a `TrackingSession` reports, in order: states as they change, log lines and Kubernetes Events
/// while resources are not ready, notices (allowed errors, timeouts), the last log lines of failing
/// containers, then `.result` and `.finished` as the last two events.
public enum TrackingEvent: Sendable, Hashable {
    /// The decided state of one tracked resource changed (first state included).
    case state(ResourceID, ResourceState)
    /// The session is over. `ready` holds every resource that reached its goal (ready, complete or
    /// absent); `failed` every resource whose failure fails the deploy. Resources in neither list were
    /// canceled (NonBlocking, or stopped by another failure) or failed under `IgnoreAndContinueDeployProcess`;
    /// `.result` just before has the details.
    case finished(ready: [ResourceID], failed: [ResourceID])
    /// A line of a container log of a resource that is not ready yet.
    case log(ResourceID, LogLine)
    /// A Kubernetes Event about the resource or one of its pods (`werf.io/show-service-messages`), or a
    /// Warning that explains its failure.
    case event(ResourceID, ObjectEvent)
    /// Something the session decided: `1/2 allowed errors occurred`, `timed out`, `hoping`.
    case notice(ResourceID, Notice)
    /// The last lines of a failing container, fetched when its resource failed.
    case failureLogs(ResourceID, LogTail)
    /// The outcome of every tracked resource; sent once, right before `.finished`.
    case result(TrackingResult)
}

/// One log line of one container: `[pod/web-5d8f7-abcde/app] listening on :8080`.
public struct LogLine: Sendable, Hashable {
    public var pod: String
    public var container: String
    public var text: String

    public init(pod: String, container: String, text: String) {
        self.pod = pod
        self.container = container
        self.text = text
    }

    /// kubectl's `logs --prefix` prefix.
    public var prefix: String { "[pod/\(pod)/\(container)]" }
}

/// The last lines a failing container printed.
public struct LogTail: Sendable, Hashable {
    public var pod: String
    public var container: String
    public var lines: [String]

    public init(pod: String, container: String, lines: [String]) {
        self.pod = pod
        self.container = container
        self.lines = lines
    }
}

/// A core/v1 Event as shown to the user.
public struct ObjectEvent: Sendable, Hashable {
    /// `po/web-5d8f7-abcde` when about a child pod, empty when about the resource itself.
    public var subject: String
    /// `Normal` or `Warning`.
    public var type: String
    public var reason: String
    public var message: String
    public var count: Int

    public init(subject: String = "", type: String, reason: String, message: String, count: Int = 1) {
        self.subject = subject
        self.type = type
        self.reason = reason
        self.message = message
        self.count = count
    }

    public var isWarning: Bool { type == "Warning" }

    /// `po/x Reason: message` as kubedog prints service messages.
    public var text: String {
        let body = reason.isEmpty ? message : "\(reason): \(message)"
        return subject.isEmpty ? body : "\(subject) \(body)"
    }
}

/// A decision of the session worth a line of its own.
public struct Notice: Sendable, Hashable {
    public enum Level: String, Sendable, Hashable { case info, warning, error }
    public var level: Level
    public var text: String

    public init(_ level: Level, _ text: String) {
        self.level = level
        self.text = text
    }
}

/// How each tracked resource ended.
public struct ResourceOutcome: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// Ready, or complete for hooks.
        case ready
        /// Gone (absence tracking).
        case absent
        case failed
        /// Tracking stopped before a verdict: NonBlocking, or another resource failed the deploy first.
        case canceled
    }

    public var id: ResourceID
    public var kind: Kind
    /// Why it failed or was canceled: the errors counted, the timeout, the resource that failed first.
    public var reasons: [String]
    /// False for failures under `IgnoreAndContinueDeployProcess` and for cancellations.
    public var failsDeploy: Bool
    /// Seconds from the start of tracking to the outcome.
    public var seconds: Double

    public init(id: ResourceID, kind: Kind, reasons: [String] = [], failsDeploy: Bool = false, seconds: Double = 0) {
        self.id = id
        self.kind = kind
        self.reasons = reasons
        self.failsDeploy = failsDeploy
        self.seconds = seconds
    }
}

/// Every outcome, in the order the resources were given.
public struct TrackingResult: Sendable, Hashable {
    public var outcomes: [ResourceOutcome]
    /// The overall deadline (`TrackingOptions.timeout`) ended the session.
    public var timedOut: Bool

    public init(outcomes: [ResourceOutcome], timedOut: Bool = false) {
        self.outcomes = outcomes
        self.timedOut = timedOut
    }

    /// No outcome fails the deploy.
    public var succeeded: Bool { !outcomes.contains(where: \.failsDeploy) }
    public var failures: [ResourceOutcome] { outcomes.filter(\.failsDeploy) }
    public func outcome(of id: ResourceID) -> ResourceOutcome? { outcomes.first { $0.id == id } }
}

import Structured

/// What tracking a resource waits for.
public enum TrackingGoal: String, Sendable, Hashable {
    /// Ready by the rules of its kind (the default).
    case ready
    /// Hooks: a Job must complete, a Pod must reach phase Succeeded (Ready is not enough); other kinds
    /// wait for readiness.
    case completed
    /// Gone from the cluster (after a delete): NotFound is the only success.
    case absent
    /// Merely exists (external dependencies): no readiness rules, no logs.
    case present
}

/// One resource to track and what for.
public struct TrackingRequest: Sendable {
    /// The manifest or live object; only identity, annotations and `spec` are read up front.
    public var object: Value
    public var goal: TrackingGoal
    /// Overrides `werf.io/track-termination-mode` (nelm tracks a NonBlocking resource only when a
    /// dependency needs it ready, and then blocking).
    public var terminationMode: TrackTerminationMode?
    /// Overrides `werf.io/fail-mode` (nelm forces FailWholeDeployProcessImmediately in that case).
    public var failMode: FailMode?

    public init(_ object: Value, goal: TrackingGoal = .ready, terminationMode: TrackTerminationMode? = nil, failMode: FailMode? = nil) {
        self.object = object
        self.goal = goal
        self.terminationMode = terminationMode
        self.failMode = failMode
    }
}

/// Session-wide settings.
public struct TrackingOptions: Sendable {
    /// Overall deadline in seconds (the CLI's `--timeout`); nil waits forever.
    public var timeout: Double?
    /// Per-resource readiness deadline in seconds, counted from the start of tracking; nil: none.
    public var resourceTimeout: Double?
    /// Stream container logs of resources that are not ready yet (`--no-pod-logs` turns it off).
    public var followLogs: Bool
    /// Follow Kubernetes Events (service messages and failure warnings).
    public var followEvents: Bool
    /// Lines kept per failing container in `.failureLogs`.
    public var failureLogLines: Int
    /// How often timers (deadlines, no-activity) are checked, in seconds.
    public var tickInterval: Double

    public init(
        timeout: Double? = nil, resourceTimeout: Double? = nil, followLogs: Bool = true, followEvents: Bool = true,
        failureLogLines: Int = 5, tickInterval: Double = 0.1
    ) {
        self.timeout = timeout
        self.resourceTimeout = resourceTimeout
        self.followLogs = followLogs
        self.followEvents = followEvents
        self.failureLogLines = failureLogLines
        self.tickInterval = tickInterval
    }
}

/// Go's `time.Duration.String()` for the durations tracking prints: `4m0s`, `1.5s`, `1h0m0s`, `500ms`.
enum GoDuration {
    static func string(_ seconds: Double) -> String {
        if seconds <= 0 { return "0s" }
        if seconds < 1 { return trimmed(seconds * 1000) + "ms" }
        let hours = Int(seconds / 3600)
        let minutes = Int(seconds.truncatingRemainder(dividingBy: 3600) / 60)
        let rest = trimmed(seconds - Double(hours * 3600 + minutes * 60))
        if hours > 0 { return "\(hours)h\(minutes)m\(rest)s" }
        if minutes > 0 { return "\(minutes)m\(rest)s" }
        return rest + "s"
    }

    /// At most three decimals, without trailing zeros.
    private static func trimmed(_ value: Double) -> String {
        var text = String((value * 1000).rounded() / 1000)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

import Releases
import Tracking

/// What a deploy reports while it runs; the CLI's reporter renders these (the library never prints).
public enum DeployEvent: Sendable {
    /// A stage of the plan (`crds`, `pre-hooks`, `weight 0`, `cleanup`, `post-hooks`, ...) started or ended.
    case stageStarted(String)
    case stageFinished(String)
    case operationStarted(Operation)
    case operationFinished(Operation)
    case operationFailed(Operation, reason: String)
    /// Passed through from Tracking (resource states as they change).
    case tracking(TrackingEvent)
    /// A release record was written (pending, deployed, failed, superseded...).
    case releaseRecorded(revision: Int, status: ReleaseStatus, description: String)
    /// Anything else worth a line: namespace created, cleanup after failure, auto-rollback started.
    case note(String)
}

/// Where events go. Called from many tasks at once: it must be thread-safe.
public typealias DeployEventSink = @Sendable (DeployEvent) -> Void

/// What running a plan did.
public struct ExecutionReport: Sendable {
    /// One line per failed operation (`Job/default/app-pre-0: ...`), or the timeout.
    public var failures: [String] = []
    public var timedOut = false
    /// The run was cancelled (the process got SIGINT/SIGTERM) before it finished.
    public var interrupted = false
    /// Objects this run created that did not exist before (main resources, in creation order).
    public var created: [ResourceID] = []
    /// Hooks that ran, with their outcome, for the release record.
    public var hookRuns: [ResourceID: HookRun] = [:]
    /// Ids of the operations that completed.
    public var completed: Set<String> = []

    public var succeeded: Bool { failures.isEmpty && !timedOut }

    public init() {}
}

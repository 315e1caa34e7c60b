/// Every problem found in a set of rendered manifests, each naming its resource (`Deployment/web: ...`).
/// Collected in full before failing so that one run shows everything to fix.
public struct ManifestValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [String]

    public init(problems: [String]) { self.problems = problems }

    public var description: String {
        "invalid manifests:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// The Deploy module's error type.
public enum DeployError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `bosun plan`, plan files and werf flags: a bad flag, a git source, a plan file, drift.
    case plan(PlanProblem)
    /// Rendered manifests that cannot be deployed (bad annotations, names, duplicates).
    case invalidManifests(ManifestValidationError)
    /// Live objects that belong to another release or to no release (Helm refuses to adopt them).
    case ownershipConflicts([String])
    /// A change to an immutable field with no delete policy allowing a recreate.
    case immutableFieldConflicts([String])
    /// Dependency annotations that name nothing or form a cycle.
    case invalidDependencies([String])
    /// The chart could not be loaded, its values merged or its templates rendered (Helm's message).
    case render(String)
    /// A read or write against the cluster failed; the message names the resource and the request.
    case cluster(String)
    /// Release records or the release lock: locked, corrupt, missing revision.
    case release(String)
    /// Operations failed while deploying (each line names the resource and the reason).
    case failed([String])
    /// `--timeout` ran out; the message says during what.
    case timeout(String)
    /// The deploy was cancelled (SIGINT/SIGTERM): the release was recorded as failed, the lock released.
    case interrupted

    public var description: String {
        switch self {
        case .plan(let problem): return problem.description
        case .invalidManifests(let error): return error.description
        case .ownershipConflicts(let problems):
            return "resources cannot be adopted by this release:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .immutableFieldConflicts(let problems):
            return "immutable fields changed:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .invalidDependencies(let problems):
            return "invalid dependencies:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .render(let message), .cluster(let message), .release(let message): return message
        case .failed(let problems):
            if problems.count == 1 { return problems[0] }
            return "deploy failed:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .timeout(let message): return message
        case .interrupted: return "interrupted: the release was marked failed and its lock released"
        }
    }
}

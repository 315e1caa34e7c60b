/// What can go wrong with `bosun plan`, plan files and the werf compatibility flags
/// (carried by `DeployError.plan`).
public enum PlanProblem: Sendable, Hashable, CustomStringConvertible {
    /// A malformed flag value, e.g. `--image` without `=`.
    case invalidFlag(String)
    /// `--from-git`: not a repository, unknown revision, uncommitted files, git failing.
    case gitSource(String)
    /// A plan file that cannot be read, written or understood.
    case planFile(String)
    /// `--use-plan` after the cluster or the chart changed: each entry names a resource or input.
    case drift(planFile: String, changes: [String])

    public var description: String {
        switch self {
        case .invalidFlag(let message), .gitSource(let message), .planFile(let message):
            return message
        case .drift(let planFile, let changes):
            return "refusing to apply plan \(planFile): the cluster or the chart changed since it was made "
                + "(run `bosun plan --save-plan` again and review the new plan):\n"
                + changes.map { "  - \($0)" }.joined(separator: "\n")
        }
    }
}

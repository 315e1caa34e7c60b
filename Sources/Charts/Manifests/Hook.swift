/// A hook document: a rendered doc annotated `helm.sh/hook`.
public struct Hook: Sendable, Hashable {
    public enum Event: String, Sendable, Hashable {
        case preInstall = "pre-install", postInstall = "post-install"
        case preDelete = "pre-delete", postDelete = "post-delete"
        case preUpgrade = "pre-upgrade", postUpgrade = "post-upgrade"
        case preRollback = "pre-rollback", postRollback = "post-rollback"
        case test

        /// Helm's event table (`test-success` is an alias of `test`).
        init?(annotation: String) {
            if annotation == "test-success" { self = .test; return }
            self.init(rawValue: annotation)
        }
    }

    public var name: String
    public var kind: String
    /// Template path, e.g. `mychart/templates/job.yaml`.
    public var path: String
    public var manifest: String
    public var events: [Event]
    public var weight: Int
    /// Lower-cased values of `helm.sh/hook-delete-policy`, as written.
    public var deletePolicies: [String]
    /// Lower-cased values of `helm.sh/hook-output-log-policy`.
    public var outputLogPolicies: [String]

    public static let annotation = "helm.sh/hook"
    public static let weightAnnotation = "helm.sh/hook-weight"
    public static let deletePolicyAnnotation = "helm.sh/hook-delete-policy"
    public static let outputLogPolicyAnnotation = "helm.sh/hook-output-log-policy"

    public var isTest: Bool { events.contains(.test) }
}

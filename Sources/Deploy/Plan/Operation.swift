/// One step of a deploy. Operations form a DAG through `dependencies` (ids of operations that must
/// finish first); the executor runs every operation whose dependencies are done, in parallel.
public struct Operation: Sendable, Hashable, Identifiable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// No work: joins the end of a stage or group so later steps depend on one node, not many.
        case barrier
        /// Apply a CRD from `crds/` (create or update), then wait until its kinds are served.
        case createCRD, waitEstablished
        /// Hooks: apply, track to completion, delete (before creation or after success).
        case applyHook, trackHook, deleteHook
        /// Main resources. `apply` is a blind apply when the dry run could not tell what changes.
        case create, update, recreate, apply
        /// Wait for readiness.
        case track
        case delete
        /// Wait until the object is gone.
        case trackAbsence
        /// Wait until a non-release object exists and is ready.
        case waitExternalDependency
    }

    public var id: String
    public var kind: Kind
    /// The release resource acted on (nil for barriers and external dependencies).
    public var resource: ResourceID?
    /// The object waited for by `waitExternalDependency`.
    public var external: ExternalDependency?
    /// Ids of the operations that must complete first, sorted.
    public var dependencies: [String]
    /// For `track`/`trackHook`: delete the object if it fails (`hook-failed`, `werf.io/delete-policy: failed`).
    public var deleteOnFailure: Bool

    public init(id: String, kind: Kind, resource: ResourceID? = nil, external: ExternalDependency? = nil,
                dependencies: [String] = [], deleteOnFailure: Bool = false) {
        self.id = id
        self.kind = kind
        self.resource = resource
        self.external = external
        self.dependencies = dependencies
        self.deleteOnFailure = deleteOnFailure
    }

    /// `create Deployment/app/web`, `deleteHook Job/app/migrate (hook-succeeded)`.
    static func makeID(_ kind: Kind, _ subject: String, note: String? = nil) -> String {
        "\(kind.rawValue) \(subject)" + (note.map { " (\($0))" } ?? "")
    }
}

import Releases
import Structured

/// The server's answer to a dry-run server-side apply of one desired object.
public enum DryRunOutcome: Sendable, Hashable {
    /// The object as the apply would leave it.
    case applied(Value)
    /// The dry run was refused; `immutable` when an immutable field changed.
    case failed(message: String, immutable: Bool)

    public var object: Value? { if case .applied(let o) = self { return o } else { return nil } }
}

/// Everything read and decided before the first write: the validated manifests, the release
/// history, what the cluster holds, and the plan. `bosun plan` prints it; converge executes it.
public struct PreparedRelease: Sendable {
    public var releaseName: String
    public var namespace: String
    public var action: DeployPlanner.Action
    /// Record pieces (manifest text, hooks, chart, values, notes) and the rendered documents.
    public var desired: DesiredManifests
    /// Validated manifests, each carrying the object to apply (namespace, ownership and extra metadata added).
    public var manifests: ManifestSet
    /// Every revision, oldest first, as read (without the lock).
    public var history: [Release]
    /// Main resources of the last revision and of the last deployed one: deleted if they left the chart.
    public var previous: [ResourceMetadata]
    /// Live objects (GET) of every desired and previous resource that exists.
    public var live: [ResourceID: Value]
    /// Dry-run apply of every desired main resource and CRD that exists (hooks are always recreated).
    public var dryRun: [ResourceID: DryRunOutcome]
    /// What the planner was told about each live object.
    public var facts: [ResourceID: LiveObject]
    /// `metadata.resourceVersion` of every live object read: a saved plan is refused if one moved.
    public var resourceVersions: [ResourceID: String]
    /// Whether the release namespace existed (it is created first when not, with `--create-namespace`).
    public var namespaceExists: Bool
    public var plan: Plan

    /// The last revision, whatever its status.
    public var lastRelease: Release? { history.last }
    /// The highest deployed revision.
    public var deployedRelease: Release? { history.last { $0.status == .deployed } }

    /// Desired resources with the change the dry run found (`nil` for absent objects: a create).
    public func change(of id: ResourceID) -> LiveObject.Change? { facts[id]?.change }
}

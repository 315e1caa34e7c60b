import Foundation
import Structured
import Tracking

/// Hook information from `helm.sh/hook*` (and `werf.io/weight`, which beats `helm.sh/hook-weight`).
public struct HookInfo: Sendable, Hashable {
    public enum Event: String, Sendable, Hashable, CaseIterable {
        case preInstall = "pre-install", postInstall = "post-install"
        case preUpgrade = "pre-upgrade", postUpgrade = "post-upgrade"
        case preRollback = "pre-rollback", postRollback = "post-rollback"
        case preDelete = "pre-delete", postDelete = "post-delete"
        case test
    }

    /// Helm's `helm.sh/hook-delete-policy` values.
    public enum DeletePolicy: String, Sendable, Hashable {
        case beforeHookCreation = "before-hook-creation"
        case hookSucceeded = "hook-succeeded"
        case hookFailed = "hook-failed"
    }

    public var events: [Event]
    public var weight: Int
    /// As written; empty means Helm's default, `before-hook-creation`. Unknown values are ignored (as Helm).
    public var deletePolicies: [DeletePolicy]

    public var effectiveDeletePolicies: [DeletePolicy] { deletePolicies.isEmpty ? [.beforeHookCreation] : deletePolicies }
}

/// `werf.io/delete-policy` values.
public enum WerfDeletePolicy: String, Sendable, Hashable {
    case beforeCreation = "before-creation"
    case beforeCreationIfImmutable = "before-creation-if-immutable"
    case succeeded
    case failed
}

/// `werf.io/resource-policy` values (`helm.sh/resource-policy: keep` maps to `keep`).
public enum ResourcePolicy: String, Sendable, Hashable {
    case keep
    case skipCreate = "skip-create", skipUpdate = "skip-update", skipRecreate = "skip-recreate", skipDelete = "skip-delete"
}

/// `werf.io/ownership`.
public enum Ownership: String, Sendable, Hashable {
    /// Owned by this release: ownership metadata checked, deleted when it leaves the chart.
    case release
    /// Shared: never deleted, no ownership check.
    case anyone
}

/// What the deployer needs to know about one rendered manifest, from its identity and annotations.
public struct ResourceMetadata: Sendable, Hashable {
    public var id: ResourceID
    public var apiVersion: String
    public var version: String
    /// Where the manifest came from (template path), used in messages when known.
    public var source: String?
    /// Nil for a main resource or CRD.
    public var hook: HookInfo?
    /// `werf.io/weight` (0 when absent); for hooks the effective hook weight.
    public var weight: Int
    public var resourcePolicies: Set<ResourcePolicy>
    public var deletePolicies: Set<WerfDeletePolicy>
    public var ownership: Ownership
    public var sensitive: Bool
    public var deployDependencies: [DeployDependency]
    public var externalDependencies: [ExternalDependency]
    /// The werf tracking annotations, parsed by Tracking (the one parser of them).
    public var tracking: TrackingAnnotations
    /// The whole manifest, handed to the executor unchanged.
    public var manifest: Value

    public var isHook: Bool { hook != nil }
    public var isKept: Bool { resourcePolicies.contains(.keep) || resourcePolicies.contains(.skipDelete) }
    public var isCRD: Bool { id.kind == "CustomResourceDefinition" && id.group == "apiextensions.k8s.io" }

    /// Jobs default to recreate on an immutable-field error, as werf does.
    public var effectiveDeletePolicies: Set<WerfDeletePolicy> {
        if deletePolicies.isEmpty, id.kind == "Job", id.group == "batch" { return [.beforeCreationIfImmutable] }
        return deletePolicies
    }
}

import Foundation
import Structured

/// What the executor's read phase learnt about one object in the cluster (GET + dry-run apply).
/// An object absent from the planner's live map does not exist.
public struct LiveObject: Sendable, Hashable {
    /// Outcome of comparing the desired manifest with the live object through a server dry run.
    public enum Change: Sendable, Hashable {
        /// The dry run changed nothing.
        case unchanged
        case changed
        /// The dry run failed on an immutable field.
        case immutableConflict
        /// The dry run failed otherwise: apply blindly and let the real apply report.
        case unknown
    }

    /// `meta.helm.sh/release-name` / `-namespace` annotations.
    public var releaseName: String?
    public var releaseNamespace: String?
    /// Label `app.kubernetes.io/managed-by: Helm`.
    public var managedByHelm: Bool
    /// `helm.sh/resource-policy: keep` or `werf.io/resource-policy` skip-delete/keep on the live object.
    public var keep: Bool
    public var change: Change

    public init(releaseName: String? = nil, releaseNamespace: String? = nil, managedByHelm: Bool = false,
                keep: Bool = false, change: Change = .changed) {
        self.releaseName = releaseName
        self.releaseNamespace = releaseNamespace
        self.managedByHelm = managedByHelm
        self.keep = keep
        self.change = change
    }

    /// A live object owned by `release` in `namespace`, as Helm labels it.
    public static func owned(by release: String, in namespace: String, change: Change = .changed) -> LiveObject {
        LiveObject(releaseName: release, releaseNamespace: namespace, managedByHelm: true, change: change)
    }

    /// Reads ownership and keep markers from a live object.
    public init(object: Value, change: Change) {
        let annotations = object[path: "metadata", "annotations"]
        releaseName = annotations?["meta.helm.sh/release-name"]?.stringValue
        releaseNamespace = annotations?["meta.helm.sh/release-namespace"]?.stringValue
        managedByHelm = object[path: "metadata", "labels", "app.kubernetes.io/managed-by"]?.stringValue == "Helm"
        let helmKeep = annotations?["helm.sh/resource-policy"]?.stringValue?.lowercased() == "keep"
        let werfPolicies = (annotations?["werf.io/resource-policy"]?.stringValue ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        keep = helmKeep || werfPolicies.contains("keep") || werfPolicies.contains("skip-delete")
        self.change = change
    }
}

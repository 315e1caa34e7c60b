/// The status of one release revision, spelled as Helm stores it (also in the `status` label).
public enum ReleaseStatus: String, Sendable, CaseIterable, Codable {
    case unknown
    case deployed
    case uninstalled
    case superseded
    case failed
    case uninstalling
    case pendingInstall = "pending-install"
    case pendingUpgrade = "pending-upgrade"
    case pendingRollback = "pending-rollback"

    /// A deploy is running (or died) on this revision; Helm refuses to start another.
    public var isPending: Bool {
        self == .pendingInstall || self == .pendingUpgrade || self == .pendingRollback
    }
}

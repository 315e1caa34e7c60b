/// Where release records live: Helm's driver interface (Secret, ConfigMap, memory).
///
/// A driver is bound to one namespace (nil: every namespace, for listing) and knows records by key,
/// `sh.helm.release.v1.NAME.vN`.
public protocol ReleaseDriver: Sendable {
    /// "Secret", "ConfigMap" or "Memory", as Helm names its drivers.
    var name: String { get }
    func get(_ key: String) async throws(ReleasesError) -> Release
    /// Every record whose storage labels match `selector` (always narrowed to `owner=helm`).
    /// Records that cannot be decoded are reported in `corrupt`, never dropped silently.
    func list(selector: [String: String]) async throws(ReleasesError) -> StoredRecords
    func create(_ key: String, _ release: Release) async throws(ReleasesError)
    func update(_ key: String, _ release: Release) async throws(ReleasesError)
    /// Delete and return the record.
    @discardableResult func delete(_ key: String) async throws(ReleasesError) -> Release
}

/// A listing: the records that decoded and one error per record that did not.
public struct StoredRecords: Sendable {
    public var releases: [Release]
    public var corrupt: [ReleasesError]

    public init(releases: [Release] = [], corrupt: [ReleasesError] = []) {
        self.releases = releases
        self.corrupt = corrupt
    }
}

public enum ReleaseKey {
    /// Prefix of every storage object name; also Helm's `HelmStorageType`.
    public static let storageType = "sh.helm.release.v1"

    public static func make(_ name: String, _ version: Int) -> String { "\(storageType).\(name).v\(version)" }
}

/// The labels Helm writes on a storage object; user labels may not use these names.
public enum SystemLabels {
    public static let names: Set<String> = ["name", "owner", "status", "version", "createdAt", "modifiedAt"]

    /// Labels for a record about to be written: the user's, then the system ones; `createdAt` on create,
    /// `modifiedAt` on update (so an update drops `createdAt`, exactly as Helm's drivers do).
    static func forRecord(_ release: Release, created: Bool, now: Int64) -> [String: String] {
        var labels = release.labels.filter { !names.contains($0.key) }
        labels[created ? "createdAt" : "modifiedAt"] = String(now)
        labels["name"] = release.name
        labels["owner"] = "helm"
        labels["status"] = release.status.rawValue
        labels["version"] = String(release.version)
        return labels
    }

    static func userLabels(_ labels: [String: String]) -> [String: String] {
        labels.filter { !names.contains($0.key) }
    }
}

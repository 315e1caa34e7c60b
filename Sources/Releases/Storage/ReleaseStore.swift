/// Release history on top of a driver, with Helm's semantics: revisions, the deployed revision,
/// and `--history-max` pruning.
public struct ReleaseStore: Sendable {
    public let driver: any ReleaseDriver
    /// Revisions kept per release; 0 keeps all. Helm's default is 10.
    public var maxHistory: Int

    public init(driver: any ReleaseDriver, maxHistory: Int = 10) {
        self.driver = driver
        self.maxHistory = maxHistory
    }

    public func get(_ name: String, version: Int) async throws(ReleasesError) -> Release {
        try await driver.get(ReleaseKey.make(name, version))
    }

    /// Every revision of a release, oldest first. Throws `notFound` when there is none, and `corrupt`
    /// when one of its records cannot be read (deciding anything on a partial history is unsafe).
    public func history(_ name: String) async throws(ReleasesError) -> [Release] {
        let records = try await driver.list(selector: ["name": name, "owner": "helm"])
        if let first = records.corrupt.first { throw first }
        guard !records.releases.isEmpty else { throw ReleasesError(.notFound, "release: not found: \(name)") }
        return records.releases.sorted { $0.version < $1.version }
    }

    /// History, or an empty list when the release does not exist.
    public func historyIfAny(_ name: String) async throws(ReleasesError) -> [Release] {
        do { return try await history(name) } catch where error.kind == .notFound { return [] }
    }

    /// The highest revision, whatever its status.
    public func last(_ name: String) async throws(ReleasesError) -> Release {
        let h = try await history(name)
        return h[h.count - 1]
    }

    /// The highest revision with status `deployed`.
    public func deployed(_ name: String) async throws(ReleasesError) -> Release {
        let records = try await driver.list(selector: ["name": name, "owner": "helm", "status": "deployed"])
        guard let top = records.releases.max(by: { $0.version < $1.version }) else {
            throw ReleasesError(.notFound, "\"\(name)\" has no deployed releases")
        }
        return top
    }

    /// Every release, every revision (the driver's namespace, or all).
    public func listAll() async throws(ReleasesError) -> StoredRecords {
        try await driver.list(selector: ["owner": "helm"])
    }

    /// Store a new revision, first pruning the oldest ones so that at most `maxHistory` remain.
    public func create(_ release: Release) async throws(ReleasesError) {
        if maxHistory > 0 { try await prune(release.name, keep: maxHistory - 1) }
        try await driver.create(ReleaseKey.make(release.name, release.version), release)
    }

    public func update(_ release: Release) async throws(ReleasesError) {
        try await driver.update(ReleaseKey.make(release.name, release.version), release)
    }

    @discardableResult
    public func delete(_ name: String, version: Int) async throws(ReleasesError) -> Release {
        try await driver.delete(ReleaseKey.make(name, version))
    }

    /// Delete the oldest revisions until `keep` remain, never the last deployed one (Helm's
    /// removeLeastRecent: it may leave `keep + 1` when the deployed revision is among the oldest).
    public func prune(_ name: String, keep: Int) async throws(ReleasesError) {
        guard keep >= 0 else { return }
        let h = try await historyIfAny(name)
        guard h.count > keep else { return }
        let lastDeployed = h.last(where: { $0.status == .deployed })?.version
        let doomed = ReleaseStore.revisionsToPrune(h.map(\.version), keep: keep, lastDeployed: lastDeployed)
        var failures: [ReleasesError] = []
        for v in doomed {
            do { try await delete(name, version: v) } catch { failures.append(error) }
        }
        if let first = failures.first {
            throw failures.count == 1 ? first
                : ReleasesError(first.kind, "encountered \(failures.count) deletion errors. First is: \(first.message)")
        }
    }

    /// Which revisions Helm deletes from `versions` (ascending) to keep `keep`.
    static func revisionsToPrune(_ versions: [Int], keep: Int, lastDeployed: Int?) -> [Int] {
        guard versions.count > keep else { return [] }
        var doomed: [Int] = []
        for v in versions {
            if versions.count - doomed.count == keep { break }
            if v != lastDeployed { doomed.append(v) }
        }
        return doomed
    }
}

/// The first step of every deploy (install, upgrade, rollback, uninstall): take the lock, recover a
/// stale pending revision, and read where the history stands.
public struct DeployStart: Sendable {
    /// Held; renew with `lock.hold { ... }`, give back with `lock.unlock()`.
    public var lock: ReleaseLock
    /// Every revision, oldest first (after recovery); empty for a new release.
    public var history: [Release]
    /// The revision recovered from an interrupted operation, if any.
    public var recovered: Release?

    public var last: Release? { history.last }
    /// The highest deployed revision: the base of an upgrade.
    public var deployed: Release? { history.last { $0.status == .deployed } }
    /// The number the new revision gets.
    public var nextVersion: Int { (history.last?.version ?? 0) + 1 }
}

extension ReleaseStore {
    /// Acquire `lock` and prepare the release for a new revision. Fails at once, without touching
    /// anything, when another deploy holds the lock or a recent pending revision may be Helm's.
    public func beginDeploy(_ name: String, lock: ReleaseLock, grace: Double = 300, now: GoTime) async throws(ReleasesError) -> DeployStart {
        let acquired = try await lock.acquire()
        do {
            let recovery = try await recoverStalePending(name, grace: grace, now: now, acquired: acquired)
            return DeployStart(lock: lock, history: try await historyIfAny(name), recovered: recovery?.release)
        } catch {
            try? await lock.unlock()
            throw error
        }
    }
}

/// What a deploy that holds the lock does with a pending last revision.
///
/// Holding the Lease proves no live Bosun deploy owns the release. A pending revision older than
/// the grace period was then left by a killed process (Bosun's or Helm's) and is marked failed, so
/// the deploy can proceed; Helm would stop with "another operation is in progress" forever. A younger
/// one may belong to a Helm run right now (Helm ignores the Lease), so it still blocks.
extension ReleaseStore {
    public struct Recovery: Sendable, Equatable {
        /// The revision that was pending, now stored as failed.
        public var release: Release
    }

    /// Check the last revision of `name` before a deploy; returns the recovered revision, if any.
    /// - Parameters:
    ///   - grace: seconds a pending revision is trusted to belong to a live operation.
    ///   - acquired: what `ReleaseLock.acquire` found (names the holder that died).
    public func recoverStalePending(
        _ name: String, grace: Double, now: GoTime, acquired: ReleaseLock.Acquired = .init()
    ) async throws(ReleasesError) -> Recovery? {
        let history = try await historyIfAny(name)
        guard var last = history.last, last.status.isPending else { return nil }
        let started = last.info.lastDeployed ?? last.info.firstDeployed ?? .zero
        let age = now.seconds(since: started)
        // A dead Bosun holder is proof enough; otherwise wait out the grace period.
        if acquired.expiredHolder == nil, age < grace {
            throw ReleasesError(.locked,
                "release \"\(name)\": another operation (install/upgrade/rollback) is in progress: revision "
                + "\(last.version) is \(last.status.rawValue) since \(started.rfc3339Nano) with no bosun lock holder "
                + "(helm may be running); it will be recovered if still pending after \(Int(grace))s")
        }
        let who: String
        if let holder = acquired.expiredHolder {
            who = "its holder \(holder) stopped renewing the lock" + (acquired.expiredAt.map { " at \($0.rfc3339Nano)" } ?? "")
        } else {
            who = "no process held the lock for \(Int(age))s"
        }
        last.setStatus(.failed, "Recovered from interrupted \(last.status.rawValue): \(who)")
        try await update(last)
        return Recovery(release: last)
    }
}

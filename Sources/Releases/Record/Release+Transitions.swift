/// The status moves Helm makes, and the records it derives from earlier ones.
extension ReleaseStatus {
    /// Whether a revision in this status may be rewritten to `next`.
    ///
    /// pending-* end in deployed or failed (or uninstalling for an install that is rolled back);
    /// deployed and failed revisions are superseded by a later deploy or go to uninstalling;
    /// uninstalling ends in uninstalled (or failed when a delete hook fails). Superseded and
    /// uninstalled are final. Any status may be marked failed by stale-lock recovery only when pending.
    public func canTransition(to next: ReleaseStatus) -> Bool {
        switch self {
        case .unknown: return true
        case .pendingInstall: return [.deployed, .failed, .uninstalling].contains(next)
        case .pendingUpgrade, .pendingRollback: return [.deployed, .failed].contains(next)
        case .deployed: return [.superseded, .uninstalling, .failed].contains(next)
        case .failed: return [.superseded, .uninstalling, .failed].contains(next)
        case .uninstalling: return [.uninstalled, .failed].contains(next)
        case .superseded, .uninstalled: return false
        }
    }
}

extension Release {
    /// The revision `helm rollback` writes: a copy of `target`'s chart, values, manifest, hooks and
    /// notes as revision `current.version + 1`, pending-rollback "Rollback to N" (no re-render).
    public static func rollback(to target: Release, from current: Release, now: GoTime, applyMethod: String? = nil) -> Release {
        Release(
            name: current.name, namespace: current.namespace, version: current.version + 1,
            info: ReleaseInfo(firstDeployed: current.info.firstDeployed, lastDeployed: now,
                              description: "Rollback to \(target.version)", status: .pendingRollback, notes: target.info.notes),
            chart: target.chart, config: target.config, manifest: target.manifest, hooks: target.hooks,
            applyMethod: applyMethod ?? target.applyMethod, labels: target.labels)
    }
}

extension ReleaseStore {
    /// Finish a deploy: every other deployed revision becomes superseded, then `release` is stored
    /// as deployed with `description` (Helm: "Install complete", "Upgrade complete", "Rollback to N").
    public func markDeployed(_ release: Release, description: String) async throws(ReleasesError) -> Release {
        for old in try await historyIfAny(release.name) where old.status == .deployed && old.version != release.version {
            var superseded = old
            superseded.status = .superseded
            try await update(superseded)
        }
        var done = release
        done.setStatus(.deployed, description)
        try await update(done)
        return done
    }

    /// Store `release` with a new status after checking the move is one Helm makes.
    public func transition(_ release: Release, to status: ReleaseStatus, description: String) async throws(ReleasesError) -> Release {
        guard release.status.canTransition(to: status) else {
            throw ReleasesError(.invalid,
                "release \"\(release.name)\" revision \(release.version): cannot go from \(release.status.rawValue) to \(status.rawValue)")
        }
        var next = release
        next.setStatus(status, description)
        try await update(next)
        return next
    }
}

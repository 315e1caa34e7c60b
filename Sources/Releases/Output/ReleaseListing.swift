import Foundation

/// Which releases `list` shows, as `helm list` picks them: the newest revision of each release,
/// filtered by status and name, sorted by name (or date).
public struct ReleaseListing: Sendable {
    public var statuses: Set<ReleaseStatus>
    /// Regular expression on the release name (`--filter`).
    public var filter: String?
    public var byDate = false
    public var reverse = false
    public var limit = 256
    public var offset = 0

    /// Helm's default and `--all`: every status but `unknown`.
    public static let allStatuses: Set<ReleaseStatus> = Set(ReleaseStatus.allCases).subtracting([.unknown])

    public init(statuses: Set<ReleaseStatus> = ReleaseListing.allStatuses, filter: String? = nil) {
        self.statuses = statuses
        self.filter = filter
    }

    /// From the status flags: none set (or `--all`) means every status.
    public init(deployed: Bool = false, failed: Bool = false, pending: Bool = false, superseded: Bool = false,
                uninstalled: Bool = false, uninstalling: Bool = false, all: Bool = false, filter: String? = nil) {
        var s = Set<ReleaseStatus>()
        if deployed { s.insert(.deployed) }
        if failed { s.insert(.failed) }
        if pending { s.formUnion([.pendingInstall, .pendingUpgrade, .pendingRollback]) }
        if superseded { s.insert(.superseded) }
        if uninstalled { s.insert(.uninstalled) }
        if uninstalling { s.insert(.uninstalling) }
        self.init(statuses: all || s.isEmpty ? ReleaseListing.allStatuses : s, filter: filter)
    }

    public func select(_ records: [Release]) throws(ReleasesError) -> [Release] {
        var releases = records
        if let filter, !filter.isEmpty {
            let regex: NSRegularExpression
            do { regex = try NSRegularExpression(pattern: filter) } catch {
                throw ReleasesError(.invalid, "invalid --filter regular expression \"\(filter)\": \(error.localizedDescription)")
            }
            releases = releases.filter {
                regex.firstMatch(in: $0.name, range: NSRange($0.name.startIndex..., in: $0.name)) != nil
            }
        }
        // Only `--superseded` alone looks at older revisions.
        if statuses != [.superseded] {
            var latest: [String: Release] = [:]
            for r in releases {
                let key = r.namespace + "/" + r.name
                if let seen = latest[key], seen.version > r.version { continue }
                latest[key] = r
            }
            releases = Array(latest.values)
        }
        releases = releases.filter { statuses.contains($0.status) }
        if byDate {
            // Helm's `-d` sorts oldest first (its "ByDateDesc" calls an ascending sort); `-r` flips it.
            releases.sort { ($0.info.lastDeployed ?? .zero) < ($1.info.lastDeployed ?? .zero) }
            if reverse { releases.reverse() }
        } else {
            releases.sort { ($0.name, $0.namespace, $0.version) < ($1.name, $1.namespace, $1.version) }
            if reverse { releases.reverse() }
        }
        guard offset < releases.count else { return [] }
        let end = limit > 0 ? min(releases.count, offset + limit) : releases.count
        return Array(releases[offset..<end])
    }
}

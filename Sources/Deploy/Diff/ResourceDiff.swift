import Structured

/// What converge will do to one resource, as `bosun plan` names it.
public enum ResourceAction: String, Sendable, Hashable, Codable, CaseIterable {
    case create, update, recreate, delete, unchanged
}

/// The diff of one resource: a header line (`update Deployment/app/web`) then, when there is
/// something to show, `--- live` / `+++ desired` and unified hunks of the two YAML texts.
public struct ResourceDiff: Sendable, Hashable {
    public var resource: ResourceID
    public var action: ResourceAction
    public var lines: [DiffLine]

    public init(resource: ResourceID, action: ResourceAction, lines: [DiffLine]) {
        self.resource = resource
        self.action = action
        self.lines = lines
    }

    public var text: String { lines.map { $0.text + "\n" }.joined() }
}

/// Builds `ResourceDiff`s from live and desired objects: noise stripped, secrets redacted,
/// both sides printed as YAML with sorted keys, then diffed line by line.
public struct ResourceDiffer: Sendable {
    /// Lines of context around each change (`diff -U`).
    public var contextLines: Int

    public init(contextLines: Int = 3) {
        self.contextLines = contextLines
    }

    /// - Parameters:
    ///   - live: the object in the cluster (nil when absent).
    ///   - desired: what it will be: the dry-run apply result, or the rendered manifest when the
    ///     object is created or the dry run could not run (nil for a deletion).
    ///   - keepStatus: the chart sets `status` itself, so it is compared.
    ///   - note: a remark printed under the header (why a recreate, a failed dry run).
    ///   - onlyDesiredFields: compare only the live fields that `desired` sets (`desired` is a bare
    ///     manifest, not a dry-run result, so the server's defaults would otherwise show as removed).
    public func diff(
        _ resource: ResourceID, action: ResourceAction, live: Value?, desired: Value?,
        keepStatus: Bool = false, note: String? = nil, onlyDesiredFields: Bool = false
    ) -> ResourceDiff {
        var lines = [DiffLine(.resourceHeader, "\(action.rawValue) \(resource)")]
        if let note { lines.append(DiffLine(.note, "# \(note)")) }

        var before = live.map { DiffNormalizer.normalize($0, keepStatus: keepStatus) }
        var after = desired.map { DiffNormalizer.normalize($0, keepStatus: keepStatus) }
        if action == .delete { after = nil }
        if action == .create { before = nil }
        if onlyDesiredFields, let live = before, let wanted = after { before = DiffNormalizer.project(live, onto: wanted) }

        if SensitiveRedactor.isWhollySensitive(live: live, desired: desired) {
            let changed = before != after
            lines.append(DiffLine(.note, changed
                ? "# content hidden (werf.io/sensitive): changed"
                : "# content hidden (werf.io/sensitive): no visible change"))
            return ResourceDiff(resource: resource, action: action, lines: lines)
        }
        SensitiveRedactor.redactSecretData(live: &before, desired: &after)

        let oldLines = Self.yamlLines(before)
        let newLines = Self.yamlLines(after)
        let hunks = UnifiedDiff.hunks(old: oldLines, new: newLines, context: contextLines)
        if hunks.isEmpty {
            if action != .unchanged { lines.append(DiffLine(.note, "# no visible change (only server-managed fields differ)")) }
        } else {
            lines.append(DiffLine(.fileHeader, "--- live"))
            lines.append(DiffLine(.fileHeader, "+++ desired"))
            lines.append(contentsOf: hunks)
        }
        return ResourceDiff(resource: resource, action: action, lines: lines)
    }

    /// The object printed as YAML (Helm's `toYaml`: sorted keys), one entry per line.
    static func yamlLines(_ object: Value?) -> [String] {
        guard let object else { return [] }
        let text = (try? YAML.encode(object)) ?? JSON.encode(object, indent: "  ")
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// Every resource's diff plus the counts `bosun plan` ends with.
public struct ReleaseDiff: Sendable, Hashable {
    public var resources: [ResourceDiff]

    public init(resources: [ResourceDiff]) {
        self.resources = resources
    }

    public func count(_ action: ResourceAction) -> Int {
        resources.filter { $0.action == action }.count
    }

    /// True when converge would change anything.
    public var hasChanges: Bool { resources.contains { $0.action != .unchanged } }

    /// `Plan: 1 to create, 2 to update, 0 to recreate, 1 to delete, 5 unchanged.`
    public var summary: String {
        "Plan: \(count(.create)) to create, \(count(.update)) to update, \(count(.recreate)) to recreate, "
            + "\(count(.delete)) to delete, \(count(.unchanged)) unchanged."
    }

    /// Diffs of changed resources (unchanged ones only when asked), a blank line between resources.
    public func lines(includeUnchanged: Bool = false) -> [DiffLine] {
        var out: [DiffLine] = []
        for diff in resources where includeUnchanged || diff.action != .unchanged {
            if !out.isEmpty { out.append(DiffLine(.context, "")) }
            out.append(contentsOf: diff.lines)
        }
        return out
    }

    public func text(includeUnchanged: Bool = false) -> String {
        var text = lines(includeUnchanged: includeUnchanged).map { $0.text + "\n" }.joined()
        if !text.isEmpty { text += "\n" }
        return text + summary + "\n"
    }
}

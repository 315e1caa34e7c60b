/// Which containers' logs are shown and which lines, from the werf.io log annotations (nelm's order):
/// skip-logs, skip-logs-for-containers, show-logs-only-for-containers, then drop `log-regex-skip`
/// and `log-regex-skip-for-<c>` matches, then keep lines matching `log-regex` AND `log-regex-for-<c>`.
///
/// Regexes are kept as pattern text (validated up front) and compiled by each follower, so the value
/// stays `Sendable`.
public struct LogFilter: Sendable, Hashable {
    public var annotations: TrackingAnnotations

    public init(_ annotations: TrackingAnnotations) { self.annotations = annotations }

    /// Whether logs of `container` are followed at all.
    public func shows(container: String) -> Bool {
        if annotations.skipLogs { return false }
        if annotations.skipLogsForContainers.contains(container) { return false }
        if !annotations.showLogsOnlyForContainers.isEmpty, !annotations.showLogsOnlyForContainers.contains(container) {
            return false
        }
        return true
    }

    /// The line filter of one container.
    public func lines(for container: String) -> LineFilter {
        LineFilter(
            skip: [annotations.logRegexSkip, annotations.logRegexSkipFor[container]].compactMap { $0 },
            keep: [annotations.logRegex, annotations.logRegexFor[container]].compactMap { $0 })
    }

    /// Throws for a regex annotation that does not compile, naming it.
    static func validate(_ annotations: TrackingAnnotations, id: ResourceID) throws(TrackingError) {
        var patterns: [(String, String)] = []
        if let r = annotations.logRegex { patterns.append((TrackingAnnotations.logRegexKey, r)) }
        if let r = annotations.logRegexSkip { patterns.append((TrackingAnnotations.logRegexSkipKey, r)) }
        for (c, r) in annotations.logRegexFor { patterns.append((TrackingAnnotations.logRegexForPrefix + c, r)) }
        for (c, r) in annotations.logRegexSkipFor { patterns.append((TrackingAnnotations.logRegexSkipForPrefix + c, r)) }
        for (key, pattern) in patterns.sorted(by: { $0.0 < $1.0 }) {
            do { _ = try Regex(pattern) } catch {
                throw .badAnnotation(id, key, pattern, expected: "a regular expression (\(error))")
            }
        }
    }
}

/// Keeps or drops single log lines. Compile once per follower with `compiled()`.
public struct LineFilter: Sendable, Hashable {
    public var skip: [String]
    public var keep: [String]

    public init(skip: [String] = [], keep: [String] = []) {
        self.skip = skip
        self.keep = keep
    }

    public func compiled() -> Compiled {
        Compiled(skip: skip.compactMap { try? Regex($0) }, keep: keep.compactMap { try? Regex($0) })
    }

    /// The regexes of one filter; not `Sendable`, lives inside one task.
    public struct Compiled {
        var skip: [Regex<AnyRegexOutput>]
        var keep: [Regex<AnyRegexOutput>]

        /// A line is shown unless a skip regex matches it or a keep regex does not (RE2 search semantics:
        /// a match anywhere in the line).
        public func accepts(_ line: String) -> Bool {
            for r in skip where line.contains(r) { return false }
            for r in keep where !line.contains(r) { return false }
            return true
        }
    }
}

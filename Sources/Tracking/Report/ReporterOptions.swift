/// How a `TrackingReporter` writes.
public struct ReporterOptions: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable {
        /// Status table (redrawn in place on a terminal, printed as a block otherwise), log lines, summary.
        case table
        /// One JSON object per event and line (`--output json`).
        case json
    }

    public var format: Format
    /// Columns available; tables and long lines are cut to fit.
    public var width: Int
    /// Redraw the table in place with ANSI cursor movement.
    public var isTerminal: Bool
    /// Colour states (green ready, yellow waiting, red failed) through Rainbow.
    public var color: Bool
    /// Seconds between table refreshes.
    public var refreshInterval: Double
    /// Print the final table and summary when a session's `.result` arrives. Off when one reporter
    /// serves several sessions (one per deploy stage): call `finish()` at the very end instead.
    public var summaryOnResult: Bool

    public init(
        format: Format = .table, width: Int = 140, isTerminal: Bool = false, color: Bool = false, refreshInterval: Double? = nil,
        summaryOnResult: Bool = true
    ) {
        self.format = format
        self.summaryOnResult = summaryOnResult
        self.width = max(40, width)
        self.isTerminal = isTerminal
        self.color = color
        self.refreshInterval = refreshInterval ?? (isTerminal ? 2 : 5)
    }

    /// The options a CLI wants: colour only on a terminal and unless `--no-color` or `NO_COLOR`
    /// (any non-empty value, no-color.org) says otherwise; width from the terminal, else 140, capped at 200.
    public static func detect(
        format: Format = .table, isTerminal: Bool, terminalWidth: Int?, noColor: Bool, environment: [String: String]
    ) -> ReporterOptions {
        let noColorEnv = !(environment["NO_COLOR"] ?? "").isEmpty
        let width = min(200, terminalWidth ?? Int(environment["COLUMNS"] ?? "") ?? 140)
        return ReporterOptions(format: format, width: width, isTerminal: isTerminal, color: isTerminal && !noColor && !noColorEnv)
    }
}

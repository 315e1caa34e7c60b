import ArgumentParser
import Foundation
import Tracking

/// How deploy commands show progress: the live table (colours on a terminal) or JSON lines.
struct OutputOptions: ParsableArguments, Sendable {
    @Option(help: "Progress output: table (live status table, logs, events, summary) or json (one event per line).")
    var output: ReporterOptions.Format = .table

    @Flag(help: "Disable colours (also when NO_COLOR is set).") var noColor = false

    func reporter() -> DeployReporter {
        let terminal = isatty(1) == 1
        var size = winsize()
        let width = terminal && ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : nil
        return DeployReporter(options: .detect(
            format: output, isTerminal: terminal, terminalWidth: width, noColor: noColor,
            environment: ProcessInfo.processInfo.environment))
    }
}

extension ReporterOptions.Format: ExpressibleByArgument {}

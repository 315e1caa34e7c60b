import ArgumentParser
import Bundles
import Charts
import Foundation

/// `bosun chart lint`: helm lint's checks and output.
struct ChartLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lint", abstract: "Examine charts for possible issues (as `helm lint`).")

    @Argument(help: "Chart directories or archives.") var charts: [String] = ["."]
    @Flag(help: "Fail on lint warnings.") var strict = false
    @Flag(help: "Print only warnings and errors.") var quiet = false
    @Option(name: [.short, .long]) var namespace = "default"
    @Option(name: [.customShort("f"), .customLong("values")], help: "Values file (repeatable).") var valueFiles: [String] = []
    @Option(name: .customLong("set"), help: "Set values (repeatable).") var set: [String] = []
    @Option(name: .customLong("set-string"), help: "Set STRING values (repeatable).") var setString: [String] = []

    func run() throws {
        var values = ValueOptions()
        values.valueFiles = valueFiles.flatMap { $0.split(separator: ",").map(String.init) }
        values.values = set
        values.stringValues = setString
        var failures = 0
        for chart in charts {
            let result = ChartLinter.lint(chartPath: chart, values: values, namespace: namespace)
            let shown = quiet ? result.messages.filter { $0.severity >= .warning } : result.messages
            if !quiet || !shown.isEmpty {
                print("==> Linting \(chart)")
                shown.forEach { print($0.description) }
                print("")
            }
            if result.failed(strict: strict) { failures += 1 }
        }
        let summary = "\(charts.count) chart(s) linted, \(failures) chart(s) failed"
        if failures > 0 { throw failCommand(summary) }
        print(summary)
    }
}

extension String: @retroactive Error {}

import ArgumentParser
import Deploy
import Foundation
@preconcurrency import Rainbow

/// `bosun plan CHART -r NAME -n NS`: what converge would change, as a diff of live against
/// desired objects computed with a server-side dry run. Writes nothing to the cluster.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what converge would change: a diff per resource, Secret values redacted.",
        discussion: """
            Exit codes: 0 success (with --exit-code: no changes), 2 changes planned (only with --exit-code), 1 error.
            --save-plan FILE records the plan; `bosun converge --use-plan FILE` then refuses to apply if the
            cluster or the chart changed since.
            """)

    enum ColorMode: String, ExpressibleByArgument, CaseIterable { case auto, always, never }

    @Argument(help: "Chart directory or .tgz archive.")
    var chart: String

    @OptionGroup var release: ReleaseOptions
    @OptionGroup var chartValues: ChartValuesOptions
    @OptionGroup var metadata: DeployMetadataOptions

    @Flag(name: .customLong("exit-code"), help: "Exit 2 when there are changes, 0 when there are none.")
    var exitCode = false

    @Option(name: .customLong("save-plan"), help: ArgumentHelp("Write the plan to this file, for `converge --use-plan`.", valueName: "file"))
    var savePlan: String?

    @Flag(name: .customLong("show-unchanged"), help: "Also list resources that would not change.")
    var showUnchanged = false

    @Option(name: .customLong("diff-context-lines"), help: "Lines of context around each change.")
    var contextLines = 3

    @Option(help: "Colour the diff: auto (when stdout is a terminal), always or never.")
    var color: ColorMode = .auto

    func run() async throws {
        let report: PlanReport
        do {
            report = try await makeReport()
        } catch {
            FileHandle.standardError.write(Data("Error: \(Self.message(error))\n".utf8))
            throw ExitCode(1)
        }
        FileHandle.standardOutput.write(Data(render(report).utf8))
        if exitCode, report.diff.hasChanges { throw ExitCode(2) }
    }

    struct PlanReport: Sendable {
        var diff: ReleaseDiff
        var hooks: [String]
        var savedTo: String?
    }

    func makeReport() async throws -> PlanReport {
        var scratch: String?
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        let input = try chartValues.chartInput(chart: chart) {
            let dir = NSTemporaryDirectory() + "bosun-from-git-" + UUID().uuidString
            scratch = dir
            return dir
        }
        let release = self.release, metadata = self.metadata, savePlan = self.savePlan, contextLines = self.contextLines
        return try await release.withCluster { client, store, namespace in
            let options = try metadata.deployOptions(release: release.release, namespace: namespace)
            let prepared = try await DeployPreparer(client: client, store: store, options: options).prepare(chart: input)
            if let savePlan { try SavedPlan(prepared: prepared).write(to: savePlan) }
            return PlanReport(diff: ReleaseDiff(prepared: prepared, differ: ResourceDiffer(contextLines: contextLines)),
                              hooks: prepared.hooksToRun, savedTo: savePlan)
        }
    }

    func render(_ report: PlanReport) -> String {
        let colored = switch color {
        case .always: true
        case .never: false
        case .auto: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
        }
        if colored {
            Rainbow.enabled = true
            Rainbow.outputTarget = .console
        }
        var out = ""
        for line in report.diff.lines(includeUnchanged: showUnchanged) {
            out += (colored ? Self.paint(line) : line.text) + "\n"
        }
        if !out.isEmpty { out += "\n" }
        if !report.hooks.isEmpty {
            out += "Hooks to run: " + report.hooks.joined(separator: ", ") + "\n"
        }
        out += report.diff.summary + "\n"
        if let saved = report.savedTo { out += "Plan saved to \(saved).\n" }
        return out
    }

    /// Colours as `git diff` uses them; Rainbow writes the escape codes.
    static func paint(_ line: DiffLine) -> String {
        switch line.kind {
        case .resourceHeader: return line.text.bold
        case .fileHeader: return line.text.bold
        case .hunkHeader: return line.text.cyan
        case .added: return line.text.green
        case .removed: return line.text.red
        case .note: return line.text.yellow
        case .context: return line.text
        }
    }

    static func message(_ error: any Error) -> String {
        "\(error)"
    }
}

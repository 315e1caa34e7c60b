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

            --save-plan FILE records the plan; `bosun converge --use-plan FILE` then refuses to apply if the cluster or the chart changed since.
            """)

    enum ColorMode: String, ExpressibleByArgument, CaseIterable { case auto, always, never }

    @Argument(help: "Chart directory or .tgz archive.")
    var chart: String

    @Option(name: [.customShort("r"), .customLong("release")], help: "Release name.") var release: String
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var values: ChartValuesOptions
    @OptionGroup var werf: WerfOptions
    @Option(help: "Annotation added to every deployed resource: key=value (repeatable).") var addAnnotation: [String] = []
    @Option(help: "Label added to every deployed resource: key=value (repeatable).") var addLabel: [String] = []
    @Flag(help: "Do not apply the CRDs of the charts' crds/ directories.") var noInstallCrds = false
    @Flag(help: "Plan as if the release namespace will be created (converge --create-namespace).") var createNamespace = false
    @Option(help: "Cluster reads in flight at once.") var parallelism = 30

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

    func options(namespace: String) throws -> DeployOptions {
        DeployOptions(
            releaseName: release, namespace: namespace,
            extraAnnotations: try KeyValueText.parse(addAnnotation, flag: "--add-annotation"),
            extraLabels: try KeyValueText.parse(addLabel, flag: "--add-label"),
            installCRDs: !noInstallCrds, createNamespace: createNamespace, parallelism: parallelism)
    }

    func makeReport() async throws -> PlanReport {
        try await werf.withChartInput(chart: chart, values: values) { input in
            try await cluster.withCluster { client, namespace, store in
                let prepared = try await DeployPreparer(client: client, store: store, options: try options(namespace: namespace))
                    .prepare(chart: input)
                if let savePlan { try SavedPlan(prepared: prepared).write(to: savePlan) }
                return PlanReport(diff: ReleaseDiff(prepared: prepared, differ: ResourceDiffer(contextLines: contextLines)),
                                  hooks: prepared.hooksToRun, savedTo: savePlan)
            }
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

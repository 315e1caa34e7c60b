import ArgumentParser
import Charts
import Foundation
import GoTemplate

/// `bosun render`: what `helm template` prints. Accepts `render CHART` and helm's `render NAME CHART`.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Render a chart locally and print the manifests, like `helm template`.")

    @Argument(help: "[NAME] CHART: optional release name, then a chart directory or .tgz archive.")
    var arguments: [String]

    @Option(name: [.customShort("r"), .customLong("release")], help: "Release name (default release-name).")
    var release: String?

    @Option(name: [.short, .long], help: "Namespace of the release.")
    var namespace = "default"

    @OptionGroup var values: ChartValuesOptions

    @Option(name: [.customShort("s"), .customLong("show-only")], help: "Only show manifests rendered from these templates (glob).")
    var showOnly: [String] = []

    @Option(name: .customLong("output-dir"), help: "Write the manifests to files under this directory instead of stdout.")
    var outputDirectory: String?

    @Flag(name: .customLong("release-name"), help: "Use the release name in the output-dir path.")
    var useReleaseName = false

    @Flag(name: .customLong("include-crds"), help: "Include CRDs in the output.")
    var includeCRDs = false

    @Flag(name: .customLong("skip-tests"), help: "Skip test hooks.")
    var skipTests = false

    @Flag(name: .customLong("no-hooks"), help: "Leave hooks out of the output.")
    var noHooks = false

    @Flag(name: .customLong("skip-schema-validation"), help: "Do not validate values against values.schema.json.")
    var skipSchemaValidation = false

    @Option(name: .customLong("kube-version"), help: "Kubernetes version for .Capabilities.KubeVersion.")
    var kubeVersion: String?

    @Option(name: [.customShort("a"), .customLong("api-versions")], help: "Extra API versions for .Capabilities.APIVersions (repeatable, comma-separated).")
    var apiVersions: [String] = []

    @Flag(name: .customLong("is-upgrade"), help: "Set .Release.IsUpgrade instead of .Release.IsInstall.")
    var isUpgrade = false

    @Option(name: .customLong("name-template"), help: "Go template whose output is the release name.")
    var nameTemplate: String?

    @Flag(name: [.customShort("g"), .customLong("generate-name")], help: "Generate the release name (helm template keeps release-name).")
    var generateName = false

    @Flag(name: .customLong("skip-crds"), help: "Do not install CRDs (no effect on the printed output, as helm template).")
    var skipCRDs = false

    @Flag(name: .customLong("render-subchart-notes"), help: "Render subcharts' NOTES.txt too (notes are never printed by render).")
    var renderSubchartNotes = false

    @Flag(name: .customLong("enable-dns"), help: "Let getHostByName resolve names.")
    var enableDNS = false

    func validate() throws {
        if arguments.isEmpty { throw ValidationError("requires at least 1 argument: the chart") }
        if arguments.count > 2 {
            throw ValidationError("expected at most two arguments, unexpected arguments: \(arguments.dropFirst(2).joined(separator: ", "))")
        }
    }

    func run() throws {
        var options = TemplateOptions()
        let chart: String
        do {
            let resolved = try ChartTemplate.nameAndChart(arguments, generateName: generateName, nameTemplate: nameTemplate)
            chart = resolved.chart
            options.releaseName = release ?? resolved.name ?? "release-name"
        } catch {
            FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
        options.nameTemplate = nameTemplate
        options.enableDNS = enableDNS
        options.namespace = namespace
        options.values = values.valueOptions
        options.showOnly = showOnly
        options.outputDirectory = outputDirectory
        options.useReleaseName = useReleaseName
        options.includeCRDs = includeCRDs
        options.skipTests = skipTests
        options.noHooks = noHooks
        options.skipSchemaValidation = skipSchemaValidation
        options.kubeVersion = kubeVersion
        options.apiVersions = apiVersions.flatMap { $0.split(separator: ",").map(String.init) }
        options.isUpgrade = isUpgrade
        do {
            let output = try ChartTemplate.run(chartPath: chart, options: options)
            FileHandle.standardOutput.write(Data(output.utf8))
        } catch {
            FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}

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

    /// The parsed command as a plain request (what `RenderRequest(fastParsing:)` builds too).
    var request: RenderRequest {
        RenderRequest(
            arguments: arguments, release: release, namespace: namespace, values: values.flags,
            showOnly: showOnly, outputDirectory: outputDirectory, useReleaseName: useReleaseName, includeCRDs: includeCRDs,
            skipTests: skipTests, noHooks: noHooks, skipSchemaValidation: skipSchemaValidation, kubeVersion: kubeVersion,
            apiVersions: apiVersions, isUpgrade: isUpgrade, nameTemplate: nameTemplate, generateName: generateName,
            skipCRDs: skipCRDs, renderSubchartNotes: renderSubchartNotes, enableDNS: enableDNS)
    }

    func run() throws {
        let status = request.run()
        if status != 0 { throw ExitCode(status) }
    }
}

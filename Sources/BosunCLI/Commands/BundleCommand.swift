import ArgumentParser
import Bundles
import Charts
import Foundation

/// `bosun bundle publish|apply|copy`: charts as OCI artifacts (werf's bundles).
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle", abstract: "Publish a chart as an OCI bundle, apply a published bundle, copy bundles.",
        subcommands: [BundlePublishCommand.self, BundleApplyCommand.self, BundleCopyCommand.self])
}

struct BundlePublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "Package a chart (values baked in with -f/--set) and push it to REPO:TAG.")

    @Argument(help: "Chart directory.") var chart = "."
    @Option(help: "Repository: oci://HOST/PATH (the bundle is stored at exactly this path).") var repo: String
    @Option(help: "Tag; a SemVer tag also becomes the chart's version.") var tag: String
    @Option(name: [.customShort("f"), .customLong("values")], help: "Values file baked into values.yaml (repeatable).")
    var valueFiles: [String] = []
    @Option(name: .customLong("set"), help: "Value baked into values.yaml (repeatable).") var set: [String] = []
    @Option(name: .customLong("set-string"), help: "STRING value baked into values.yaml (repeatable).") var setString: [String] = []
    @Option(name: .customLong("set-json"), help: "JSON value baked into values.yaml (repeatable).") var setJSON: [String] = []
    @OptionGroup var connection: RegistryConnectionOptions

    func run() throws {
        var valueOptions = ValueOptions()
        valueOptions.valueFiles = valueFiles.flatMap { $0.split(separator: ",").map(String.init) }
        valueOptions.values = set
        valueOptions.stringValues = setString
        valueOptions.jsonValues = setJSON
        do {
            let values = try valueOptions.merged()
            let repository = try OCIReference(parsing: repo)
            let (chart, tag) = (self.chart, self.tag)
            let result = try connection.withClient { client in
                try await BundleActions.publish(chartDirectory: chart, repository: repository, tag: tag, values: values, client: client)
            }
            print("Pushed: \(result.reference)")
            print("Digest: \(result.digest)")
        } catch {
            throw failCommand(error)
        }
    }
}

/// Pulls the bundle to a temporary archive and runs `bosun converge` on it: every converge option
/// (-r, -n, --set, --sim, --timeout, ...) is passed through.
struct BundleApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Pull a published bundle and converge it (takes every `bosun converge` option).")

    @Option(help: "Repository: oci://HOST/PATH.") var repo: String
    @Option(help: "Tag to apply (or give a digest with --repo oci://HOST/PATH@sha256:...).") var tag: String?
    @OptionGroup var connection: RegistryConnectionOptions
    @Argument(parsing: .allUnrecognized, help: "Options for converge: -r NAME -n NS --set ... (see `bosun converge --help`).")
    var convergeArguments: [String] = []

    func run() throws {
        let directory = NSTemporaryDirectory() + "bosun-bundle-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let archive: String
        do {
            var ref = try OCIReference(parsing: repo)
            if let tag { ref.tag = tag }
            guard ref.reference != nil else { throw BundlesError("--tag is required") }
            let target = ref
            archive = try connection.withClient { client in try await BundleActions.pull(target, into: directory, client: client) }
        } catch {
            throw failCommand(error)
        }
        try BundleApply.converge(archive: archive, arguments: convergeArguments)
    }
}

/// The seam between bundles and deploys: converge a pulled chart archive.
enum BundleApply {
    static func converge(archive: String, arguments: [String]) throws {
        let command = try ConvergeCommand.parse([archive] + arguments)
        try command.run()
    }
}

struct BundleCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy", abstract: "Copy a bundle: registry to registry, registry to .tgz, or .tgz to registry.")

    @Option(help: "Source: oci://HOST/PATH:TAG or a .tgz path.") var from: String
    @Option(help: "Target: oci://HOST/PATH:TAG or a .tgz path.") var to: String
    @OptionGroup var connection: RegistryConnectionOptions

    func run() throws {
        do {
            let source = try BundleActions.Location(parsing: from)
            let target = try BundleActions.Location(parsing: to)
            print(try connection.withClient { client in try await BundleActions.copy(from: source, to: target, client: client) })
        } catch {
            throw failCommand(error)
        }
    }
}

import ArgumentParser
import Foundation
import Releases

/// `bosun list`: releases like `helm list` (same columns, filters and output formats).
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List releases, like `helm list`.", aliases: ["ls"])

    @OptionGroup var storage: ReleaseStorageOptions
    @Flag(name: [.customShort("A"), .long], help: "List releases across all namespaces.") var allNamespaces = false
    @Option(name: .shortAndLong, help: "Output format: table, json or yaml.") var output: ReleaseReports.OutputFormat = .table
    @Flag(help: "Show deployed releases.") var deployed = false
    @Flag(help: "Show failed releases.") var failed = false
    @Flag(help: "Show pending releases.") var pending = false
    @Flag(help: "Show superseded releases.") var superseded = false
    @Flag(help: "Show uninstalled releases (kept with --keep-history).") var uninstalled = false
    @Flag(help: "Show releases being uninstalled.") var uninstalling = false
    @Flag(name: .shortAndLong, help: "Show releases of every status.") var all = false
    @Option(name: .shortAndLong, help: "Only releases whose name matches this regular expression.") var filter: String?
    @Flag(name: .shortAndLong, help: "Print release names only.") var short = false
    @Flag(help: "Omit the table header.") var noHeaders = false
    @Flag(name: [.customShort("d"), .long], help: "Sort by release date.") var date = false
    @Flag(name: .shortAndLong, help: "Reverse the sort order.") var reverse = false
    @Option(name: [.customShort("m"), .long], help: "Maximum number of releases to show.") var max = 256
    @Option(help: "Index of the first release to show.") var offset = 0

    func run() async throws {
        let store = try storage.store(allNamespaces: allNamespaces)
        let records = try await store.listAll()
        for problem in records.corrupt { FileHandle.standardError.write(Data("warning: \(problem)\n".utf8)) }
        var listing = ReleaseListing(deployed: deployed, failed: failed, pending: pending, superseded: superseded,
                                     uninstalled: uninstalled, uninstalling: uninstalling, all: all, filter: filter)
        listing.byDate = date
        listing.reverse = reverse
        listing.limit = max
        listing.offset = offset
        let releases = try listing.select(records.releases)
        if short {
            for r in releases { print(r.name) }
            return
        }
        let rows = releases.map { ReleaseReports.ListRow($0) }
        switch output {
        case .table: print(ReleaseReports.listTable(rows, headers: !noHeaders), terminator: "")
        case .json: print(ReleaseReports.listJSON(rows), terminator: "")
        case .yaml: print(try ReleaseReports.listYAML(rows), terminator: "")
        }
    }
}

extension ReleaseReports.OutputFormat: ExpressibleByArgument {}

/// Where release records are: namespace, storage driver, and the cluster connection.
struct ReleaseStorageOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Namespace of the release.") var namespace: String?
    @Option(help: "Release storage: secret (default), configmap or memory; defaults to $HELM_DRIVER.")
    var releaseStorage: String?
    @Option(help: "Path to the kubeconfig file.") var kubeconfig: String?
    @Option(help: "Name of the kubeconfig context to use.") var kubeContext: String?

    /// The namespace commands act in: -n, else the kubeconfig context's, else "default".
    var effectiveNamespace: String { namespace ?? ClusterConnection.defaultNamespace(kubeconfig: kubeconfig, context: kubeContext) }

    func store(allNamespaces: Bool = false) throws -> ReleaseStore {
        let backend = try StorageBackend.named(releaseStorage, environment: ProcessInfo.processInfo.environment)
        let api = backend == .memory ? nil : try ClusterConnection.objects(kubeconfig: kubeconfig, context: kubeContext)
        return ReleaseStore(driver: try backend.driver(api: api, namespace: allNamespaces ? nil : effectiveNamespace))
    }
}

/// The cluster behind release storage. The Kube module's client plugs in here.
enum ClusterConnection {
    static func objects(kubeconfig: String?, context: String?) throws -> any ClusterObjects {
        throw ValidationError("no cluster connection yet: the Kube client is not merged; use --release-storage memory")
    }

    static func defaultNamespace(kubeconfig: String?, context: String?) -> String { "default" }
}

import ArgumentParser
import Foundation
import Kube
import Releases

/// `bosun list`: releases like `helm list` (same columns, filters and output formats).
struct ListCommand: ParsableCommand, Sendable {
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
    @Flag(name: [.customShort("q"), .long], help: "Print release names only.") var short = false
    @Flag(help: "Omit the table header.") var noHeaders = false
    @Flag(name: [.customShort("d"), .long], help: "Sort by release date.") var date = false
    @Flag(name: .shortAndLong, help: "Reverse the sort order.") var reverse = false
    @Option(name: [.customShort("m"), .long], help: "Maximum number of releases to show.") var max = 256
    @Option(help: "Index of the first release to show.") var offset = 0

    func run() throws {
        try ReleaseCommandBridge.run { try await self.list() }
    }

    func list() async throws {
        let records = try await storage.withStore(allNamespaces: allNamespaces) { store, _ in try await store.listAll() }
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

/// Runs async work from a synchronous command: bosun's entry point runs subcommands through
/// `ParsableCommand.run()`, and the release commands need the (async) Kube client.
enum ReleaseCommandBridge {
    private final class Box<T>: @unchecked Sendable { var result: Result<T, any Error>? }

    /// `interrupts`: SIGINT/SIGTERM cancel the work (which then cleans up and returns).
    static func run<T: Sendable>(interrupts: InterruptSignals? = nil, _ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        let task = Task {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        interrupts?.cancelOnSignal(task)
        done.wait()
        return try box.result!.get()
    }
}

/// Where release records are: namespace, storage driver, and the cluster connection (kubeconfig).
struct ReleaseStorageOptions: ParsableArguments, Sendable {
    @Option(name: .shortAndLong, help: "Namespace of the release (default: the kubeconfig context's).") var namespace: String?
    @Option(help: "Release storage: secret (default), configmap or memory; defaults to $HELM_DRIVER.")
    var releaseStorage: String?
    @Option(help: "Path to the kubeconfig file.") var kubeconfig: String?
    @Option(help: "Name of the kubeconfig context to use.") var kubeContext: String?

    /// Run `body` with a store over the chosen driver; the cluster connection is closed afterwards.
    func withStore<T: Sendable>(
        allNamespaces: Bool = false, _ body: (ReleaseStore, ReleaseStorageSession) async throws -> T
    ) async throws -> T {
        let backend = try StorageBackend.named(releaseStorage, environment: ProcessInfo.processInfo.environment)
        if backend == .memory {
            let store = ReleaseStore(driver: try backend.driver(api: nil, namespace: allNamespaces ? nil : namespace ?? "default"))
            return try await body(store, ReleaseStorageSession(client: nil, namespace: namespace ?? "default"))
        }
        let connection = try KubeConfigLoader(kubeconfig: kubeconfig, context: kubeContext, namespace: namespace).load()
        let client = try HTTPKubeClient(connection: connection)
        let session = ReleaseStorageSession(client: client, namespace: connection.namespace)
        let store = ReleaseStore(driver: try backend.driver(
            api: KubeClusterObjects(client: client), namespace: allNamespaces ? nil : connection.namespace))
        do {
            let result = try await body(store, session)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}

/// The cluster behind a command's release storage, when there is one.
struct ReleaseStorageSession: Sendable {
    var client: HTTPKubeClient?
    /// The namespace in effect: -n, else the kubeconfig context's, else "default".
    var namespace: String
}

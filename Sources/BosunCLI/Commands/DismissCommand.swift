import ArgumentParser
import Deploy
import Foundation

/// `bosun dismiss`: uninstall a release (delete hooks, resources in reverse order, history).
struct DismissCommand: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration(
        commandName: "dismiss", abstract: "Uninstall a release: pre-delete hooks, delete its resources and wait, post-delete hooks.")

    @Option(name: [.customShort("r"), .customLong("release")], help: "Release name.") var release: String
    @OptionGroup var cluster: ClusterOptions
    @Flag(help: "Keep the release history, marked uninstalled.") var keepHistory = false
    @Flag(help: "Delete the release namespace too.") var withNamespace = false
    @Option(help: "Give up after this long (90s, 5m, 1h); default: no limit.") var timeout: String?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let reporter = output.reporter()
        let interrupts = InterruptSignals.install()
        do {
            try ReleaseCommandBridge.run(interrupts: interrupts) {
                try await reporter.reporting {
                    try await cluster.withCluster { client, namespace, store in
                        let options = DeployOptions(releaseName: release, namespace: namespace, timeout: try timeout.map(DurationText.seconds))
                        try await ReleaseDeployer(client: client, store: store, options: options)
                            .dismiss(keepHistory: keepHistory, withNamespace: withNamespace, events: reporter.sink)
                    }
                }
            }
        } catch {
            throw interrupts.failure(error)
        }
    }
}

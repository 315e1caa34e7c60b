import ArgumentParser
import Deploy
import Foundation

/// `bosun rollback NAME [REVISION]`: re-apply an earlier revision as a new one.
struct RollbackCommand: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Roll a release back to an earlier revision (default: the previous one).")

    @Argument(help: "Release name.") var release: String
    @Argument(help: "Revision to roll back to (default: the one before the last).") var revision: Int?
    @OptionGroup var cluster: ClusterOptions
    @Option(help: "Give up after this long (90s, 5m, 1h); default: no limit.") var timeout: String?
    @Option(help: "Cluster writes in flight at once.") var parallelism = 30
    @OptionGroup var output: OutputOptions

    func run() throws {
        let reporter = output.reporter()
        let interrupts = InterruptSignals.install()
        do {
            try ReleaseCommandBridge.run(interrupts: interrupts) {
                try await reporter.reporting {
                    try await cluster.withCluster { client, namespace, store in
                        let options = DeployOptions(releaseName: release, namespace: namespace, parallelism: parallelism,
                                                    timeout: try timeout.map(DurationText.seconds))
                        try await ReleaseDeployer(client: client, store: store, options: options).rollback(to: revision, events: reporter.sink)
                    }
                }
            }
        } catch {
            throw interrupts.failure(error)
        }
    }
}

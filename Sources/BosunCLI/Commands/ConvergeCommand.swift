import ArgumentParser
import Deploy
import Foundation
import Kube
import KubeSim
import Releases

/// `bosun converge`: install or upgrade a release with werf's ordering, hooks and tracking.
struct ConvergeCommand: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration(
        commandName: "converge", abstract: "Install or upgrade a release: render, plan, apply in order, track until ready.")

    @Argument(help: "Chart directory or .tgz archive.") var chart = "."
    /// Required, as `nelm release install -r` requires it: a name guessed from the chart directory
    /// would silently make a second release of the same app when the directory is renamed or the
    /// chart deployed twice (werf derives it from werf.yaml's project, which Bosun does not read).
    @Option(name: [.customShort("r"), .customLong("release")], help: "Release name (required).")
    var release: String?

    var releaseName: String { release ?? "" }

    func validate() throws {
        guard let release, !release.isEmpty else {
            throw ValidationError("a release name is required: pass -r/--release NAME (as nelm's release install requires)")
        }
    }
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var values: ChartValuesOptions
    @OptionGroup var werf: WerfOptions
    @Option(help: "Apply only if the cluster, chart and values still match this plan (from `bosun plan --save-plan`).")
    var usePlan: String?
    @Option(help: "Give up after this long (90s, 5m, 1h); default: no limit.") var timeout: String?
    @Option(help: "Cluster writes in flight at once.") var parallelism = 30
    @Flag(help: "Create the release namespace if it does not exist.") var createNamespace = false
    @Option(help: "Annotation added to every deployed resource: key=value (repeatable).") var addAnnotation: [String] = []
    @Option(help: "Label added to every deployed resource: key=value (repeatable).") var addLabel: [String] = []
    @Flag(help: "Leave resources created by a failed deploy in place (for debugging).") var keepCreatedOnFailure = false
    @Flag(help: "After a failed upgrade, re-apply the last deployed revision.") var autoRollback = false
    @Flag(help: "Do not apply the CRDs of the charts' crds/ directories.") var noInstallCrds = false
    @Option(help: "Revisions kept in the release history (0: unlimited).") var historyMax = 10
    @OptionGroup var output: OutputOptions
    @Flag(help: "Deploy into an embedded simulated cluster (kubesim) instead of a real one.") var sim = false
    /// Seconds the release lock survives a dead process (tests shorten it to exercise recovery).
    @Option(help: .hidden) var lockLeaseSeconds = 15

    func options(namespace: String) throws -> DeployOptions {
        DeployOptions(
            releaseName: releaseName, namespace: namespace,
            extraAnnotations: try KeyValueText.parse(addAnnotation, flag: "--add-annotation"),
            extraLabels: try KeyValueText.parse(addLabel, flag: "--add-label"),
            installCRDs: !noInstallCrds, createNamespace: createNamespace || sim, parallelism: parallelism,
            timeout: try timeout.map(DurationText.seconds), keepCreatedOnFailure: keepCreatedOnFailure,
            autoRollback: autoRollback, maxHistory: historyMax, leaseDuration: lockLeaseSeconds)
    }

    func run() throws {
        let reporter = output.reporter()
        let interrupts = InterruptSignals.install()
        do {
            try ReleaseCommandBridge.run(interrupts: interrupts) {
                try await reporter.reporting {
                    try await werf.withChartInput(chart: chart, values: values) { input in
                        if sim {
                            let namespace = cluster.namespace ?? "default"
                            try await SimulatedCluster.with(namespace: namespace, reporter: reporter) { client, store in
                                try await converge(input, with: ReleaseDeployer(client: client, store: store, options: try options(namespace: namespace)), reporter: reporter)
                            }
                        } else {
                            try await cluster.withCluster { client, namespace, store in
                                try await converge(input, with: ReleaseDeployer(client: client, store: store, options: try options(namespace: namespace)), reporter: reporter)
                            }
                        }
                    }
                }
            }
        } catch {
            throw interrupts.failure(error)
        }
    }

    private func converge(_ input: ChartInput, with deployer: ReleaseDeployer, reporter: DeployReporter) async throws {
        if let usePlan {
            _ = try await deployer.converge(input, usingPlan: usePlan, events: reporter.sink)
        } else {
            _ = try await deployer.converge(input, events: reporter.sink)
        }
    }
}

/// `--sim`: an in-process kubesim (loopback, a free port, controllers and kubelet on) for one command.
enum SimulatedCluster {
    /// Stop the server (prompt with open or idle connections: HTTPKubeClientShutdownTests).
    static func close(_ server: KubeSimServer) async {
        await server.shutdown()
    }

    static func with(namespace: String, reporter: DeployReporter, _ body: (HTTPKubeClient, ReleaseStore) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bosun-sim-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let kubeconfig = directory + "/kubeconfig"
        let server = try await KubeSimServer.start(.init(tls: true, kubeconfigPath: kubeconfig))
        reporter.handle(.note("simulated cluster (kubesim) listening on \(server.url)"))
        do {
            let connection = try KubeConfigLoader(kubeconfig: kubeconfig, environment: [:], homeDirectory: directory).load()
            let client = try HTTPKubeClient(connection: connection, discoveryCacheDirectory: nil)
            let store = ReleaseStore(driver: ObjectDriver(.secret, api: KubeClusterObjects(client: client), namespace: namespace))
            do {
                try await body(client, store)
            } catch {
                await client.shutdown()
                throw error
            }
            await client.shutdown()
        } catch {
            await close(server)
            throw error
        }
        await close(server)
    }
}

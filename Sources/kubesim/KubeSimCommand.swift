import ArgumentParser
import Foundation
import Structured
import KubeSim

/// `kubesim`: runs the simulated API server.
@main
@available(macOS 10.15, *)
struct KubeSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubesim",
        abstract: "A simulated Kubernetes API server for tests and demos.",
        subcommands: [Serve.self, Bench.self])
}

@available(macOS 10.15, *)
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the simulated API on loopback until killed.")

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 0

    @Option(name: .customLong("write-kubeconfig"), help: "Write a kubeconfig for the server here (context and cluster `kubesim`).")
    var kubeconfig: String?

    @Flag(help: "Serve HTTPS with a generated CA; the kubeconfig authenticates with a client certificate.")
    var tls = false

    @Option(help: "Accept this bearer token (the kubeconfig then uses it instead of a client certificate).")
    var token: String?

    @Option(name: .customLong("audit-log"), help: "Append one JSON line per request to this file.")
    var auditLog: String?

    @Option(name: .customLong("faults"), help: "Fault plan as JSON (see docs/kubesim.md), e.g. '{\"latencyMs\":20}'.")
    var faults: String?

    @Option(name: .customLong("nodes"), help: "Number of simulated Ready nodes (kubesim-node-1...).")
    var nodes = 2

    @Option(name: .customLong("pod-start-delay"), help: "Seconds from scheduling to a container running and ready.")
    var podStartDelay = 0.5

    @Option(name: .customLong("clock-scale"), help: "Simulated seconds per real second (deadlines, back-offs, cron).")
    var clockScale = 1.0

    @Flag(name: .customLong("no-controllers"), help: "Serve a bare API: no nodes, controllers or kubelet.")
    var noControllers = false

    func run() async throws {
        let simulation = noControllers ? nil : SimulationOptions(
            nodes: (1...max(nodes, 1)).map { "kubesim-node-\($0)" }, podStartDelay: podStartDelay, clock: SimClock(scale: clockScale))
        var plan = FaultPlan()
        if let faults { plan = FaultPlan(json: try JSON.decode(faults)) }
        let server = try await KubeSimServer.start(.init(
            port: port, tls: tls, token: token, kubeconfigPath: kubeconfig,
            kubeconfigUsesClientCertificate: token == nil, auditLogPath: auditLog, faults: plan, simulation: simulation))
        FileHandle.standardOutput.write(Data("kubesim listening on \(server.url)\n".utf8))
        if let path = server.kubeconfigPath { FileHandle.standardOutput.write(Data("kubeconfig written to \(path)\n".utf8)) }
        await server.wait()
    }
}


@available(macOS 10.15, *)
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure an embedded server: create and read objects over HTTP while watches stream.")

    @Option(help: "Objects to create and read back.")
    var objects: Int = 10_000

    @Option(help: "Concurrent watch streams.")
    var watches: Int = 200

    @Option(help: "Concurrent request connections.")
    var concurrency: Int = 8

    @Option(help: "Least milliseconds between two chunks of a busy watch (default: the server's).")
    var watchBatchMs: Double?

    @Option(help: "Event loop threads of the watch readers' own, like watchers in processes of their own (0: they share the request clients' 2).")
    var watchReaderThreads: Int = 2

    @Option(name: .customLong("latency-log"), help: "Write each request's phase, start ms, latency ms and connection to this file.")
    var latencyLog: String?

    @Flag(help: "Measure the wire JSON codec (decode and encode MB/s) instead.")
    var codec = false

    func run() async throws {
        if codec {
            FileHandle.standardOutput.write(Data((try CodecComparison.run() + "\n").utf8))
            return
        }
        let report = try await KubeSimBenchmark.run(objects: objects, watches: watches, concurrency: concurrency,
                                                    watchReaderThreads: watchReaderThreads, watchBatchInterval: watchBatchMs.map { .microseconds(Int64($0 * 1000)) },
                                                    latencyLog: latencyLog)
        FileHandle.standardOutput.write(Data((report.description + "\n").utf8))
    }
}

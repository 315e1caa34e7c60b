import Foundation
import KubeSim
import TestSupport
import Testing

/// The `bosun` binary end to end: converge (also `--sim`), rollback and dismiss against kubesim,
/// checked with real helm 4.
@Suite struct DeployCommandsTests {
    static let bosun = Repository.root + "/.build/debug/bosun"
    static let chart = Repository.root + "/Tests/Fixtures/Deploy/charts/ordered"

    /// Run a process off the cooperative pool (an in-process kubesim needs those threads meanwhile).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) async throws -> ProcessResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runProcess(executable, arguments, environment: environment) })
            }
        }
    }

    @Test func convergeSimDeploysTheExampleChart() async throws {
        let result = try await Self.run(Self.bosun, ["converge", Repository.root + "/examples/shop", "-r", "shop", "--sim", "--no-color"],
                                        environment: ["NO_COLOR": "1"])
        #expect(result.succeeded, "\(result.stderr)")
        for line in ["┌ pre-hooks", "run hook Job/default/shop-migrate", "┌ weight 0", "┌ weight 10",
                     "✓ external deployment/kube-system/coredns ready", "Deployment/shop-web is ready",
                     "release revision 1: deployed (Install complete)",
                     // Tracking's table (printed as a block off a terminal) and the final summary.
                     "RESOURCE             REPLICAS  AVAILABLE  UP-TO-DATE  READY  STATE", "Final status", "Summary: 4 ready",
                     "READY     StatefulSet/shop-db"] {
            #expect(result.stdout.contains(line), "missing \(line) in:\n\(result.stdout)")
        }
    }

    /// `--output json`: every line one JSON object; deploy steps and tracking states in one stream.
    @Test func convergeSimJSONOutput() async throws {
        let result = try await Self.run(Self.bosun, ["converge", Repository.root + "/examples/shop", "-r", "shop", "--sim", "--output", "json"],
                                        environment: [:])
        #expect(result.succeeded, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let types = try lines.map { line -> String in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            return try #require(object["type"] as? String)
        }
        for type in ["stageStarted", "operationStarted", "state", "release", "summary"] {
            #expect(types.contains(type), "no \(type) event in:\n\(result.stdout)")
        }
        #expect(lines.last(where: { $0.contains("\"type\":\"release\"") })?.contains("\"status\":\"deployed\"") == true)
        #expect(!result.stdout.contains("RESOURCE"))
    }

    @Test func convergeRollbackDismissAgainstACluster() async throws {
        let directory = try makeTemporaryDirectory("e2e-deploy")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let kubeconfig = directory + "/kubeconfig"
        let server = try await KubeSimServer.start(.init(tls: true, kubeconfigPath: kubeconfig,
                                                         simulation: SimulationOptions(clock: SimClock(scale: 10))))
        let env = ["HOME": directory, "NO_COLOR": "1", "KUBECONFIG": kubeconfig, "HELM_DRIVER": "secret",
                   "HELM_CACHE_HOME": directory + "/helm/cache", "HELM_CONFIG_HOME": directory + "/helm/config",
                   "HELM_DATA_HOME": directory + "/helm/data"]
        let helm = try Oracle.helm4.path()
        do {
            var r = try await Self.run(Self.bosun, ["converge", Self.chart, "-r", "app", "-n", "apps", "--create-namespace",
                                                    "--timeout", "60s", "--add-label", "team=shop"], environment: env)
            #expect(r.succeeded, "\(r.stderr)")
            r = try await Self.run(Self.bosun, ["converge", Self.chart, "-r", "app", "-n", "apps", "--set", "greeting=two"], environment: env)
            #expect(r.succeeded, "\(r.stderr)")
            #expect(r.stdout.contains("release revision 2: deployed (Upgrade complete)"))

            // A failing upgrade exits 1 and says why.
            r = try await Self.run(Self.bosun, ["converge", Self.chart, "-r", "app", "-n", "apps", "--set", "hookBehavior=exit=1"], environment: env)
            #expect(r.status == 1)
            #expect(r.stderr.hasPrefix("Error: Job/apps/app-pre-0"), "\(r.stderr)")

            r = try await Self.run(Self.bosun, ["rollback", "app", "1", "-n", "apps"], environment: env)
            #expect(r.succeeded, "\(r.stderr)")
            let history = try await Self.run(helm, ["history", "app", "-n", "apps"], environment: env)
            #expect(history.stdout.contains("Rollback to 1"), "\(history.stdout)")
            #expect(history.stdout.contains("Upgrade \"app\" failed"), "\(history.stdout)")

            r = try await Self.run(Self.bosun, ["dismiss", "-r", "app", "-n", "apps", "--with-namespace"], environment: env)
            #expect(r.succeeded, "\(r.stderr)")
            let list = try await Self.run(helm, ["list", "-A", "-a"], environment: env)
            #expect(!list.stdout.contains("app"), "\(list.stdout)")
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    /// A single-replica Deployment whose container crash-loops (before its readiness: a container that
    /// is ready for a moment makes the Deployment available, and kubedog calls that ready too) fails
    /// the converge as soon as its error allowance (1 per replica) is used, long before any timeout.
    @Test func crashLoopingDeploymentFailsFast() async throws {
        let directory = try makeTemporaryDirectory("e2e-crashloop")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let kubeconfig = directory + "/kubeconfig"
        let server = try await KubeSimServer.start(.init(tls: true, kubeconfigPath: kubeconfig, simulation: SimulationOptions()))
        let env = ["HOME": directory, "NO_COLOR": "1", "KUBECONFIG": kubeconfig]
        do {
            let start = ContinuousClock.now
            let r = try await Self.run(Self.bosun, ["converge", Self.chart, "-r", "app", "-n", "default", "--timeout", "120s",
                                                    "--set", "behavior=crashloop ready-after=2s"], environment: env)
            let took = ContinuousClock.now - start
            #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
            #expect(r.stderr.contains("Deployment/default/app-web failed"), "\(r.stderr)")
            #expect(r.stderr.contains("CrashLoopBackOff"), "\(r.stderr)")
            #expect(!r.stderr.contains("timed out"), "\(r.stderr)")
            #expect(took < .seconds(30), "took \(took)")
            #expect(r.stdout.contains("release revision 1: failed"), "\(r.stdout)")
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    /// Like `nelm release install`, converge needs the release name: no guess from the directory.
    @Test func convergeRequiresAReleaseName() async throws {
        let r = try await Self.run(Self.bosun, ["converge", Self.chart, "--sim"], environment: ["NO_COLOR": "1"])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("a release name is required: pass -r/--release NAME"), "\(r.stderr)")
    }
}

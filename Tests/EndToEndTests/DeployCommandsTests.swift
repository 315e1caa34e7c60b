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
        let result = try await Self.run(Self.bosun, ["converge", Repository.root + "/examples/shop", "--sim", "--no-color"],
                                        environment: ["NO_COLOR": "1"])
        #expect(result.succeeded, "\(result.stderr)")
        for line in ["┌ pre-hooks", "run hook Job/default/shop-migrate", "┌ weight 0", "┌ weight 10",
                     "✓ external deployment/kube-system/coredns ready", "✓ Deployment/default/shop-web ready",
                     "release revision 1: deployed (Install complete)"] {
            #expect(result.stdout.contains(line), "missing \(line) in:\n\(result.stdout)")
        }
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
}

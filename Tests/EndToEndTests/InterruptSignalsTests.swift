import Foundation
import KubeSim
import TestSupport
import Testing

/// `bosun converge` stopped by SIGINT (or SIGTERM) while it tracks a Deployment that never becomes ready: it exits
/// 130 (143) at once, the revision is recorded as failed ("interrupted") and the lock is free for the next
/// converge (which would otherwise wait for the lease, or refuse a pending revision). Processes run off
/// the cooperative pool: the cases run in parallel and the in-process kubesim needs its threads.
@Suite struct InterruptSignalsTests {
    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func signalDuringConvergeRecordsTheReleaseAsFailedAndReleasesTheLock(signal: Int32, status: Int32) async throws {
        let directory = try makeTemporaryDirectory("e2e-sigint")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let kubeconfig = directory + "/kubeconfig", audit = directory + "/audit.log"
        let server = try await KubeSimServer.start(.init(tls: true, kubeconfigPath: kubeconfig, auditLogPath: audit,
                                                         simulation: SimulationOptions()))
        let env = ["HOME": directory, "NO_COLOR": "1", "KUBECONFIG": kubeconfig, "HELM_DRIVER": "secret",
                   "HELM_CACHE_HOME": directory + "/helm/cache", "HELM_CONFIG_HOME": directory + "/helm/config",
                   "HELM_DATA_HOME": directory + "/helm/data"]
        do {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: DeployCommandsTests.bosun)
            process.arguments = ["converge", DeployCommandsTests.chart, "-r", "app", "-n", "default", "--set", "behavior=never-ready",
                                 "--lock-lease-seconds", "60"]
            process.environment = env
            FileManager.default.createFile(atPath: directory + "/out", contents: nil)
            FileManager.default.createFile(atPath: directory + "/err", contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/out"))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/err"))
            process.standardInput = FileHandle.nullDevice
            try process.run()

            // Wait until the Deployment was applied (the audit log has its PATCH), then a moment of tracking.
            let applied = try await Self.eventually(seconds: 60) {
                ((try? String(contentsOfFile: audit, encoding: .utf8)) ?? "").contains("/deployments/app-web")
            }
            #expect(applied, "the Deployment was never applied")
            try await Task.sleep(for: .seconds(1))
            let sent = ContinuousClock.now
            kill(process.processIdentifier, signal)
            let exited = try await Self.eventually(seconds: 20) { !process.isRunning }
            let took = ContinuousClock.now - sent
            #expect(exited, "bosun still runs 20 s after signal \(signal)")
            if !exited {
                process.terminate()
                _ = try await Self.eventually(seconds: 5) { !process.isRunning }
            }
            let stderr = (try? String(contentsOfFile: directory + "/err", encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == status, "\(stderr)")
            #expect(stderr.contains("interrupted"), "\(stderr)")
            #expect(took < .seconds(5), "exit took \(took)")

            let helm = try Oracle.helm4.path()
            let history = try await DeployCommandsTests.run(helm, ["history", "app", "-n", "default"], environment: env)
            #expect(history.stdout.contains("failed"), "\(history.stdout)")
            #expect(history.stdout.contains("interrupted"), "\(history.stdout)")

            // The lock is free: a converge right away (the lease would last 60 s) deploys revision 2.
            let start = ContinuousClock.now
            let next = try await DeployCommandsTests.run(DeployCommandsTests.bosun, ["converge", DeployCommandsTests.chart, "-r", "app", "-n", "default",
                                                                  "--timeout", "60s"], environment: env)
            #expect(next.succeeded, "\(next.stderr)")
            #expect(next.stdout.contains("release revision 2: deployed"), "\(next.stdout)")
            #expect(ContinuousClock.now - start < .seconds(45))
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    static func eventually(seconds: Double, _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }
}

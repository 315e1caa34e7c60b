import Charts
import Deploy
import Foundation
import Kube
import Releases
import SimClusterSupport
import Structured
import Testing
import TestSupport

/// `bosun converge` killed with SIGKILL at different points; the next converge must recover the
/// release (pending revision marked failed once the dead holder's lock expired) and finish the job.
@Suite struct InterruptedConvergeTests {
    /// Seconds after start at which the process is killed (BOSUN_KILL_POINTS=N runs N random ones).
    static var killPoints: [Double] {
        if let n = ProcessInfo.processInfo.environment["BOSUN_KILL_POINTS"].flatMap(Int.init) {
            return (0..<n).map { _ in Double.random(in: 0.1...6) }
        }
        return [0.3, 1.2, 2.5, 4.5]
    }

    @Test func killedConvergeIsRecoveredByTheNextOne() async throws {
        let bosun = Repository.root + "/.build/debug/bosun"
        #expect(FileManager.default.isExecutableFile(atPath: bosun), "build bosun first (swift build --build-tests)")
        for point in Self.killPoints {
            try await SimCluster.with(scale: 4) { (sim: SimCluster) async throws in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: bosun)
                process.arguments = ["converge", SimCluster.chart("ordered"), "-r", "app", "-n", "default",
                                     "--kubeconfig", sim.kubeconfig, "--lock-lease-seconds", "2", "--no-color"]
                process.environment = ["HOME": sim.directory, "NO_COLOR": "1"]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                try await Task.sleep(for: .seconds(point))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                try await Task.sleep(for: .seconds(2.5))  // the dead holder's lease expires

                let release = try await ConvergeTests.deployer(sim) { $0.leaseDuration = 2 }
                    .converge(ChartInput(path: SimCluster.chart("ordered")))
                #expect(release.status == .deployed, "kill at \(point)s")
                let history = try await sim.store().history("app")
                #expect(history.dropLast().allSatisfy { !$0.status.isPending }, "kill at \(point)s: \(history.map(\.status))")
                #expect(try await sim.object("apps/v1", "Deployment", "app-web")?[path: "status", "readyReplicas"]?.intValue == 1,
                        "kill at \(point)s")
                #expect(try await sim.object("v1", "ConfigMap", "app-late") != nil, "kill at \(point)s")
                #expect(try await sim.object("batch/v1", "Job", "app-post") == nil, "kill at \(point)s")
            }
        }
    }
}

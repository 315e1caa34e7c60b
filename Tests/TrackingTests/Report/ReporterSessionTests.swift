import Foundation
import Kube
import KubeSim
import Structured
import TestSupport
import Testing
@testable import Tracking

/// The reporter driving a real session against the simulated cluster, as Deploy uses it.
@Suite struct ReporterSessionTests {
    @Test func reporterShowsLogsTableAndSummaryOfARealSession() async throws {
        try await TestCluster.with(simulated: true, scale: 10) { cluster in
            let deploy = try await cluster.create(Manifests.deployment(
                "web", podAnnotations: ["kubesim.bosun.dev/behavior": "ready-after=20s log=\"serving\" every=2s"]))
            let job = try await cluster.create(Manifests.job("migrate", podAnnotations: ["kubesim.bosun.dev/behavior": "log=\"migrated\" after=1s"]))
            let output = CapturedOutput()
            let reporter = TrackingReporter(options: ReporterOptions(width: 120, refreshInterval: 0.5), sink: output)
            let session = TrackingSession(client: cluster.client, options: TrackingOptions(timeout: 40))
            let result = try await reporter.track([TrackingRequest(deploy), TrackingRequest(job, goal: .completed)], with: session)
            #expect(result.succeeded)
            let text = output.text
            #expect(text.contains("Final status ("))
            #expect(text.contains("Deployment/web"))
            // Log content is covered by SimulatedTrackingTests (run serialized); here the order of
            // decisions: the Job (1 simulated second) long before the Deployment (20).
            if let job = text.range(of: "Job/migrate completed"), let web = text.range(of: "Deployment/web is ready") {
                #expect(job.lowerBound < web.lowerBound)
            }
            #expect(text.contains("Job/migrate  ") && text.contains("DONE"))
            #expect(text.contains("Job/migrate completed ("))
            #expect(text.contains("Deployment/web is ready ("))
            #expect(text.contains("Summary: 2 ready"))
            #expect(text.contains("  DONE      Job/migrate"))
        }
    }

    @Test func jsonOutputOfARealSessionIsOneObjectPerLine() async throws {
        try await TestCluster.with { cluster in
            let cfg = try await cluster.create(Manifests.configMap("cfg"))
            let output = CapturedOutput()
            let reporter = TrackingReporter(options: ReporterOptions(format: .json), sink: output)
            _ = try await reporter.track([TrackingRequest(cfg)], with: TrackingSession(client: cluster.client))
            let types = try output.text.split(separator: "\n").map { try JSON.decode(String($0))["type"]?.stringValue ?? "" }
            #expect(types == ["state", "summary", "finished"])
        }
    }
}

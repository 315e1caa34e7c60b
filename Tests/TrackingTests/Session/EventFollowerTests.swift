import Foundation
import Kube
import KubeSim
import Structured
import TestSupport
import Testing
@testable import Tracking

@Suite struct EventFollowerTests {
    @Test func serviceMessagesShowEventsOfTheResourceAndItsPods() async throws {
        try await TestCluster.with { cluster in
            let deploy = try await cluster.create(Manifests.deployment("web", annotations: ["werf.io/show-service-messages": "true"]))
            // Present before tracking starts: not new, not shown.
            try await cluster.recordEvent(about: deploy, reason: "Old", message: "before")
            var reader = EventReader(try TrackingSession(client: cluster.client, options: TrackingOptions(timeout: 30)).track(blocking(deploy)))
            _ = try await reader.state("web")
            try await cluster.recordEvent(about: deploy, reason: "ScalingReplicaSet", message: "Scaled up replica set web-5d8f7 from 0 to 1")
            let pod = try await cluster.create(Manifests.pod("web-5d8f7-abcde", owner: deploy))
            _ = try await reader.state("web") { !$0.pods.isEmpty }
            try await cluster.recordEvent(about: pod, type: "Warning", reason: "BackOff", message: "Back-off restarting failed container", fieldPath: "spec.containers{app}")
            _ = try await reader.next { if case .event(_, let e) = $0 { return e.reason == "BackOff" } else { return false } }
            try await cluster.setStatus(deploy, Manifests.rolledOut(1))
            let all = try await reader.rest()
            #expect(all.objectEvents.map(\.1.text) == [
                "ScalingReplicaSet: Scaled up replica set web-5d8f7 from 0 to 1",
                "po/web-5d8f7-abcde BackOff: Back-off restarting failed container",
            ])
            #expect(all.objectEvents.map(\.1.isWarning) == [false, true])
        }
    }

    @Test func withoutServiceMessagesOnlyTheWarningsThatExplainAFailureAppear() async throws {
        try await TestCluster.with { cluster in
            let job = try await cluster.create(Manifests.job("migrate"))
            var reader = EventReader(try TrackingSession(client: cluster.client, options: TrackingOptions(timeout: 30)).track(blocking(job)))
            _ = try await reader.state("migrate")
            let pod = try await cluster.create(Manifests.pod("migrate-x1", owner: job))
            try await cluster.recordEvent(about: pod, reason: "Pulling", message: "Pulling image \"busybox\"")
            try await cluster.recordEvent(about: pod, type: "Warning", reason: "Failed", message: "Failed to pull image \"busybox\": not found")
            try await cluster.recordEvent(about: job, reason: "SuccessfulCreate", message: "Created pod: migrate-x1")
            // Wait until the session has seen the warning, then fail the pod.
            _ = try await reader.state("migrate") { !$0.pods.isEmpty }
            try await Task.sleep(for: .milliseconds(300))
            #expect(reader.seen.objectEvents.isEmpty)
            try await cluster.setStatus(pod, Manifests.waitingPod("ErrImagePull", message: "not found"))
            let all = try await reader.rest()
            #expect(all.objectEvents.map(\.1.text) == ["po/migrate-x1 Failed: Failed to pull image \"busybox\": not found"])
        }
    }
}

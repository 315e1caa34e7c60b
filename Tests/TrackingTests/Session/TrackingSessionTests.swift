import Foundation
import Kube
import KubeSim
import Structured
import TestSupport
import Testing
@testable import Tracking

// Against a bare API server (no controllers or kubelet): each test writes statuses and pods itself,
// so every state it asserts follows from one known watch event.
@Suite struct TrackingSessionTests {
    /// A safety net: no test may hang on a session that never ends.
    static let options = TrackingOptions(timeout: 30)

    @Test func deploymentTurnsReadyThroughTheWatches() async throws {
        try await TestCluster.with { cluster in
            let created = try await cluster.create(Manifests.deployment("web", replicas: 2))
            let id = ResourceID(created)
            var reader = EventReader(try TrackingSession(client: cluster.client, options: Self.options).track(blocking(created)))
            let first = try await reader.state("web")
            #expect(first?.phase == .progressing)
            #expect(first?.waitingFor.first == "observed generation 0 should be >= 1")

            try await cluster.setStatus(created, Manifests.rolledOut(2))
            let all = try await reader.rest()
            let last = all.states("web").last
            #expect(last?.phase == .ready)
            #expect(last?.counts == ResourceCounts(desired: 2, replicas: 2, upToDate: 2, available: 2, ready: 2))
            guard case .finished(let ready, let failed)? = all.events.last else { Issue.record("no .finished"); return }
            #expect(ready == [id])
            #expect(failed == [])
            #expect(all.result?.outcomes.map(\.kind) == [.ready])
            #expect(all.result?.succeeded == true)
        }
    }

    @Test func manifestsWithoutNamespaceAreTrackedInTheDefaultOne() async throws {
        try await TestCluster.with { cluster in
            _ = try await cluster.create(Manifests.configMap("cfg"))
            let manifest: Value = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cfg"]]
            let result = try await TrackingSession(client: cluster.client, options: Self.options).run([TrackingRequest(manifest)])
            // Ids stay as given, so callers can match them against their own.
            #expect(result.outcomes.map(\.id) == [ResourceID(manifest)])
            #expect(result.outcomes.map(\.kind) == [.ready])
        }
    }

    @Test func firstCrashOfAJobPodFailsTheJob() async throws {
        try await TestCluster.with { cluster in
            let job = try await cluster.create(Manifests.job("migrate"))
            var reader = EventReader(try TrackingSession(client: cluster.client, options: Self.options).track(blocking(job)))
            #expect(try await reader.state("migrate")?.phase == .progressing)

            let pod = try await cluster.create(Manifests.pod("migrate-x1", owner: job))
            try await cluster.setStatus(pod, Manifests.waitingPod("ImagePullBackOff", message: "Back-off pulling image \"x\""))
            let all = try await reader.rest()
            let last = all.states("migrate").last
            #expect(last?.phase == .failed)
            #expect(last?.errors.map(\.description) == ["po/migrate-x1 container/app: ImagePullBackOff: Back-off pulling image \"x\""])
            #expect(last?.pods.map(\.status) == ["ImagePullBackOff"])
            guard case .finished(_, let failed)? = all.events.last else { Issue.record("no .finished"); return }
            #expect(failed.map(\.name) == ["migrate"])
        }
    }

    /// Every failing waiting reason fails a resource with no allowance on the very status update that
    /// shows it.
    @Test(arguments: ["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull", "CreateContainerConfigError",
                      "CreateContainerError", "InvalidImageName", "RunContainerError"])
    func eachWaitingReasonFailsWithinOneWatchEvent(reason: String) async throws {
        try await TestCluster.with { cluster in
            let deploy = try await cluster.create(Manifests.deployment("web", annotations: ["werf.io/failures-allowed-per-replica": "0"]))
            var reader = EventReader(try TrackingSession(client: cluster.client, options: Self.options).track(blocking(deploy)))
            _ = try await reader.state("web")
            let pod = try await cluster.create(Manifests.pod("web-abc12", owner: deploy))
            _ = try await reader.state("web") { !$0.pods.isEmpty }
            try await cluster.setStatus(pod, Manifests.waitingPod(reason, message: "m"))
            // The next state after that single pod update is already the failure.
            let next = try await reader.state("web")
            #expect(next?.phase == .failed)
            #expect(next?.errors.first?.reason == reason)
        }
    }

    @Test func initContainerErrorFailsAStandalonePodAtOnce() async throws {
        try await TestCluster.with { cluster in
            let pod = try await cluster.create(Manifests.pod("setup"))
            var reader = EventReader(try TrackingSession(client: cluster.client, options: Self.options).track(blocking(pod)))
            _ = try await reader.state("setup")
            try await cluster.setStatus(pod, [
                "phase": "Pending",
                "initContainerStatuses": [["name": "init", "ready": false, "restartCount": 0, "state": ["terminated": ["exitCode": 1, "reason": "Error"]]]],
            ])
            let next = try await reader.state("setup")
            #expect(next?.phase == .failed)
            #expect(next?.errors.map(\.description) == ["po/setup container/init: Error: init container exited with code 1"])
        }
    }

    @Test func errorsPileUpAcrossUpdatesUntilTheAllowanceIsExceeded() async throws {
        try await TestCluster.with { cluster in
            // One replica, default allowance 1: the first crash is tolerated, the restart after it is not.
            let deploy = try await cluster.create(Manifests.deployment("web"))
            var reader = EventReader(try TrackingSession(client: cluster.client, options: Self.options).track(blocking(deploy)))
            _ = try await reader.state("web")
            let pod = try await cluster.create(Manifests.pod("web-abc12", owner: deploy))
            try await cluster.setStatus(pod, Manifests.waitingPod("CrashLoopBackOff", message: "back-off 10s", restarts: 1, phase: "Running"))
            let first = try await reader.state("web") { !$0.errors.isEmpty }
            #expect(first?.phase == .progressing)
            #expect(first?.failuresAllowed == 1)
            try await cluster.setStatus(pod, Manifests.waitingPod("CrashLoopBackOff", message: "back-off 10s", restarts: 2, phase: "Running"))
            let all = try await reader.rest()
            #expect(all.states("web").last?.phase == .failed)
            #expect(all.states("web").last?.errors.count == 2)
            #expect(all.notices == [
                "1/1 allowed errors occurred for Deployment/web: continue tracking",
                "Allowed failures count for Deployment/web exceeded 1 errors: stop tracking immediately!",
            ])
        }
    }

    @Test func failWholeDeployStopsEveryOtherResourceAtOnce() async throws {
        try await TestCluster.with { cluster in
            let job = try await cluster.create(Manifests.job("migrate"))
            let web = try await cluster.create(Manifests.deployment("web"))
            var reader = EventReader(try TrackingSession(client: cluster.client, options: Self.options).track(blocking(web, job)))
            _ = try await reader.state("migrate")
            let pod = try await cluster.create(Manifests.pod("migrate-x1", owner: job))
            try await cluster.setStatus(pod, Manifests.waitingPod("ErrImagePull"))
            let all = try await reader.rest()
            let result = try #require(all.result)
            #expect(result.outcomes.map(\.kind) == [.canceled, .failed])
            #expect(result.outcomes[0].reasons == ["stopped: Job/migrate failed"])
            #expect(result.succeeded == false)
        }
    }

    @Test func ignoreAndContinueRecordsErrorsButOnlyTheTimeoutEndsIt() async throws {
        try await TestCluster.with { cluster in
            let deploy = try await cluster.create(Manifests.deployment(
                "web", annotations: ["werf.io/fail-mode": "IgnoreAndContinueDeployProcess", "werf.io/failures-allowed-per-replica": "0"]))
            var options = Self.options
            options.resourceTimeout = 3
            var reader = EventReader(try TrackingSession(client: cluster.client, options: options).track(blocking(deploy)))
            _ = try await reader.state("web")
            let pod = try await cluster.create(Manifests.pod("web-abc12", owner: deploy))
            try await cluster.setStatus(pod, Manifests.waitingPod("ImagePullBackOff"))
            let all = try await reader.rest()
            let states = all.states("web")
            #expect(states.dropLast().allSatisfy { $0.phase == .progressing })
            #expect(states.contains { !$0.errors.isEmpty })
            let outcome = try #require(all.result?.outcomes.first)
            #expect(outcome.kind == .failed)
            #expect(outcome.failsDeploy == false)
            #expect(outcome.reasons.last?.hasPrefix("readiness timeout 3s exceeded waiting for: observed generation 0 should be >= 1") == true)
            #expect(all.result?.succeeded == true)
            #expect(all.notices.first == "1 errors occurred for Deployment/web")
        }
    }

    @Test func hopeUntilEndWaitsForTheOthersBeforeFailing() async throws {
        try await TestCluster.with { cluster in
            let hopeful = try await cluster.create(Manifests.job("hopeful", annotations: ["werf.io/fail-mode": "HopeUntilEndOfDeployProcess"]))
            let other = try await cluster.create(Manifests.deployment("other"))
            var reader = EventReader(try TrackingSession(client: cluster.client, options: Self.options).track(blocking(hopeful, other)))
            _ = try await reader.state("other")
            let pod = try await cluster.create(Manifests.pod("hopeful-x1", owner: hopeful))
            try await cluster.setStatus(pod, Manifests.waitingPod("ErrImagePull"))
            let hoping = try await reader.state("hopeful") { !$0.errors.isEmpty }
            #expect(hoping?.phase == .progressing)
            #expect(reader.seen.notices == ["Job/hopeful has errors; hoping it recovers until the other resources are done"])
            // Once the other resource is ready, nothing is left to hope for.
            try await cluster.setStatus(other, Manifests.rolledOut(1))
            let all = try await reader.rest()
            #expect(all.states("hopeful").last?.phase == .failed)
            #expect(all.result?.outcomes.map(\.kind) == [.failed, .ready])
        }
    }

    @Test func nonBlockingResourcesAreCanceledWhenTheBlockingOnesAreDone() async throws {
        try await TestCluster.with { cluster in
            let lazy = try await cluster.create(Manifests.deployment("lazy", annotations: ["werf.io/track-termination-mode": "NonBlocking"]))
            let cfg = try await cluster.create(Manifests.configMap("cfg"))
            let result = try await TrackingSession(client: cluster.client, options: Self.options).run([TrackingRequest(lazy), TrackingRequest(cfg)])
            #expect(result.outcomes.map(\.kind) == [.canceled, .ready])
            #expect(result.outcomes[0].failsDeploy == false)
            #expect(result.succeeded)
        }
    }

    @Test func requestsOverrideTheAnnotationsAndPlainObjectsAlwaysBlock() async throws {
        try await TestCluster.with { cluster in
            let lazy = try await cluster.create(Manifests.deployment("lazy", annotations: ["werf.io/track-termination-mode": "NonBlocking"]))
            let cfg = try await cluster.create(Manifests.configMap("cfg"))
            // Blocking requests (nelm: something waits for it) blocks on the NonBlocking resource.
            var reader = EventReader(try TrackingSession(client: cluster.client, options: Self.options).track(blocking(lazy, cfg)))
            _ = try await reader.state("cfg") { $0.phase == .ready }
            try await Task.sleep(for: .milliseconds(300))
            #expect(reader.seen.result == nil)
            try await cluster.setStatus(lazy, Manifests.rolledOut(1))
            #expect(try await reader.rest().result?.outcomes.map(\.kind) == [.ready, .ready])

            let forced = try await TrackingSession(client: cluster.client, options: Self.options).run([
                TrackingRequest(lazy, terminationMode: .waitUntilResourceReady), TrackingRequest(cfg),
            ])
            #expect(forced.outcomes.map(\.kind) == [.ready, .ready])
        }
    }

    @Test func absenceTrackingEndsWhenTheObjectIsGone() async throws {
        try await TestCluster.with { cluster in
            let cfg = try await cluster.create(Manifests.configMap("old"))
            var reader = EventReader(try TrackingSession(client: cluster.client, options: Self.options).track([TrackingRequest(cfg, goal: .absent)]))
            let present = try await reader.state("old")
            #expect(present?.waitingFor == ["resource should be gone"])
            try await cluster.delete(cfg)
            let all = try await reader.rest()
            #expect(all.states("old").last?.phase == .ready)
            #expect(all.states("old").last?.goal == .absent)
            #expect(all.result?.outcomes.map(\.kind) == [.absent])
        }
    }

    @Test func absenceOfSomethingAlreadyGoneIsImmediate() async throws {
        try await TestCluster.with { cluster in
            let gone = Manifests.configMap("never-created")
            let result = try await TrackingSession(client: cluster.client, options: Self.options).run([TrackingRequest(gone, goal: .absent)])
            #expect(result.outcomes.map(\.kind) == [.absent])
        }
    }

    @Test func presenceTrackingWaitsUntilTheObjectExists() async throws {
        try await TestCluster.with { cluster in
            let external = Manifests.configMap("external")
            var reader = EventReader(try TrackingSession(client: cluster.client, options: Self.options).track([TrackingRequest(external, goal: .present)]))
            #expect(try await reader.state("external")?.waitingFor == ["resource should exist"])
            _ = try await cluster.create(external)
            let all = try await reader.rest()
            #expect(all.states("external").last?.goal == .present)
            #expect(all.result?.outcomes.map(\.kind) == [.ready])
        }
    }

    @Test func hookPodsMustSucceedNotJustBeReady() async throws {
        try await TestCluster.with { cluster in
            let pod = try await cluster.create(Manifests.pod("hook"))
            var reader = EventReader(try TrackingSession(client: cluster.client, options: Self.options).track([TrackingRequest(pod, goal: .completed)]))
            _ = try await reader.state("hook")
            try await cluster.setStatus(pod, ["phase": "Running", "conditions": [["type": "Ready", "status": "True"]],
                                              "containerStatuses": [["name": "app", "ready": true, "restartCount": 0, "state": ["running": ["startedAt": "2026-01-01T00:00:00Z"]]]]])
            let running = try await reader.state("hook") { $0.waitingFor != [] && $0.waitingFor != ["phase Pending->Succeeded"] }
            #expect(running?.phase == .progressing)
            #expect(running?.waitingFor == ["phase Running->Succeeded"])
            try await cluster.setStatus(pod, ["phase": "Succeeded", "containerStatuses": [["name": "app", "ready": false, "restartCount": 0,
                                                                                          "state": ["terminated": ["exitCode": 0, "reason": "Completed"]]]]])
            let all = try await reader.rest()
            #expect(all.states("hook").last?.phase == .ready)
            #expect(all.result?.outcomes.map(\.kind) == [.ready])
        }
    }

    @Test func hookPodThatFailsFailsTheHook() async throws {
        try await TestCluster.with { cluster in
            let pod = try await cluster.create(Manifests.pod("hook"))
            var reader = EventReader(try TrackingSession(client: cluster.client, options: Self.options).track([TrackingRequest(pod, goal: .completed)]))
            _ = try await reader.state("hook")
            try await cluster.setStatus(pod, ["phase": "Failed", "containerStatuses": [["name": "app", "ready": false, "restartCount": 0,
                                                                                       "state": ["terminated": ["exitCode": 3, "reason": "Error"]]]]])
            let all = try await reader.rest()
            #expect(all.result?.outcomes.map(\.kind) == [.failed])
        }
    }

    @Test func noActivityTimeoutFailsAStuckGenericResource() async throws {
        try await TestCluster.with { cluster in
            // A claim nobody binds (bare server): Pending forever.
            let claim = try await cluster.create([
                "apiVersion": "v1", "kind": "PersistentVolumeClaim",
                "metadata": ["name": "data", "namespace": "default", "annotations": ["werf.io/no-activity-timeout": "1s"]],
                "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]],
            ])
            try await cluster.setStatus(claim, ["phase": "Pending"])
            let result = try await TrackingSession(client: cluster.client, options: Self.options).run([TrackingRequest(claim)])
            #expect(result.outcomes.map(\.kind) == [.failed])
            #expect(result.outcomes.first?.reasons == ["NoActivity: marking resource as failed because no activity for 1s"])
        }
    }

    @Test func overallTimeoutFailsWhatIsStillWaiting() async throws {
        try await TestCluster.with { cluster in
            let web = try await cluster.create(Manifests.deployment("web"))
            let cfg = try await cluster.create(Manifests.configMap("cfg"))
            let result = try await TrackingSession(client: cluster.client, options: TrackingOptions(timeout: 1))
                .run([TrackingRequest(web), TrackingRequest(cfg)])
            #expect(result.timedOut)
            #expect(result.outcomes.map(\.kind) == [.failed, .ready])
            #expect(result.outcomes[0].reasons == [
                "timed out after 1s waiting for: observed generation 0 should be >= 1, up-to-date 0->1, replicas 0->1, available 0->1",
            ])
        }
    }

    @Test func cancellingTheConsumerStopsTheSession() async throws {
        try await TestCluster.with { cluster in
            let web = try await cluster.create(Manifests.deployment("web"))
            let session = TrackingSession(client: cluster.client)
            let task = Task { try await session.run([TrackingRequest(web)]) }
            try await Task.sleep(for: .milliseconds(300))
            let started = ContinuousClock.now
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(ContinuousClock.now - started < .seconds(2))
        }
    }

    @Test func invalidLogRegexIsRejectedUpFront() async throws {
        let deploy = Manifests.deployment("web", annotations: ["werf.io/log-regex": "(unclosed"])
        try await TestCluster.with { cluster in
            #expect(throws: TrackingError.self) { _ = try TrackingSession(client: cluster.client).track(blocking(deploy)) }
        }
    }
}

/// Failure signals of the resource itself, each decided on the one watch event that carries it.
@Suite struct RootFailureSignalTests {
    enum Signal: String, CaseIterable, Sendable {
        case jobFailedCondition, progressDeadlineExceeded, failedCreateEvent, podPhaseFailed
    }

    @Test(arguments: Signal.allCases)
    func failsOnTheEventThatCarriesIt(signal: Signal) async throws {
        try await TestCluster.with { cluster in
            let object: Value
            switch signal {
            case .jobFailedCondition: object = try await cluster.create(Manifests.job("migrate"))
            case .progressDeadlineExceeded, .failedCreateEvent:
                object = try await cluster.create(Manifests.deployment("web", annotations: ["werf.io/failures-allowed-per-replica": "0"]))
            case .podPhaseFailed: object = try await cluster.create(Manifests.pod("solo"))
            }
            let name = object[path: "metadata", "name"]!.stringValue!
            var reader = EventReader(try TrackingSession(client: cluster.client, options: TrackingSessionTests.options).track(blocking(object)))
            _ = try await reader.state(name)
            switch signal {
            case .jobFailedCondition:
                try await cluster.setStatus(object, ["failed": 1, "conditions": [
                    ["type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"]]])
            case .progressDeadlineExceeded:
                try await cluster.setStatus(object, ["observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "conditions": [
                    ["type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded", "message": "ReplicaSet \"web-x\" has timed out progressing."]]])
            case .failedCreateEvent:
                try await cluster.recordEvent(about: object, type: "Warning", reason: "FailedCreate", message: "quota exceeded")
            case .podPhaseFailed:
                try await cluster.setStatus(object, ["phase": "Failed", "reason": "DeadlineExceeded", "message": "Pod was active on the node longer than the specified deadline"])
            }
            let next = try await reader.state(name)
            #expect(next?.phase == .failed)
            let reason = next?.errors.first?.reason
            switch signal {
            case .jobFailedCondition: #expect(reason == "BackoffLimitExceeded")
            case .progressDeadlineExceeded: #expect(reason == "ProgressDeadlineExceeded")
            case .failedCreateEvent: #expect(reason == "FailedCreate")
            case .podPhaseFailed: #expect(reason == "DeadlineExceeded")
            }
        }
    }

    @Test func anEvictedPodIsNotAnError() async throws {
        try await TestCluster.with { cluster in
            let deploy = try await cluster.create(Manifests.deployment("web", annotations: ["werf.io/failures-allowed-per-replica": "0"]))
            var reader = EventReader(try TrackingSession(client: cluster.client, options: TrackingSessionTests.options).track(blocking(deploy)))
            _ = try await reader.state("web")
            let pod = try await cluster.create(Manifests.pod("web-abc12", owner: deploy))
            _ = try await reader.state("web") { !$0.pods.isEmpty }
            try await cluster.setStatus(pod, ["phase": "Failed", "reason": "Evicted", "message": "The node was low on resource: memory."])
            let next = try await reader.state("web")
            #expect(next?.phase == .progressing)
            #expect(next?.pods.map(\.status) == ["Evicted"])
            #expect(next?.errors == [])
        }
    }
}

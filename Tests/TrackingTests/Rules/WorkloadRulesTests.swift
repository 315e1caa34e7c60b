import Structured
import Testing
@testable import Tracking

@Suite struct DeploymentRulesTests {
    typealias F = TrackingFixtures

    static func deployment(
        replicas: Int64? = 3, generation: Int64 = 1, observed: Int64 = 1, statusReplicas: Int64 = 3, updated: Int64 = 3,
        available: Int64 = 3, conditions: [Value] = [], annotations: [String: String] = [:], restartPolicy: String? = nil
    ) -> Value {
        var spec: Value = ["selector": ["matchLabels": ["app": "web"]], "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "app"]]]]]
        if let replicas { spec["replicas"] = .int(replicas) }
        if let restartPolicy { spec["template"]?["spec"]?["restartPolicy"] = .string(restartPolicy) }
        var metadata: Value = ["name": "web", "namespace": "default", "uid": "d-1", "generation": .int(generation)]
        if !annotations.isEmpty { metadata["annotations"] = .object(.init(uniqueKeysWithValues: annotations.map { ($0.key, Value.string($0.value)) })) }
        return [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata, "spec": spec,
            "status": ["observedGeneration": .int(observed), "replicas": .int(statusReplicas), "updatedReplicas": .int(updated),
                       "availableReplicas": .int(available), "readyReplicas": .int(available), "conditions": .array(conditions)],
        ]
    }

    @Test func readyWhenAllCountsEqualSpec() throws {
        let s = try F.state(Self.deployment())
        #expect(s.phase == .ready)
        #expect(s.waitingFor.isEmpty)
        #expect(s.counts == ResourceCounts(desired: 3, replicas: 3, upToDate: 3, available: 3, ready: 3))
    }

    @Test func staleObservedGenerationIsProgressing() throws {
        let s = try F.state(Self.deployment(generation: 2, observed: 1))
        #expect(s.phase == .progressing)
        #expect(s.waitingFor == ["observed generation 1 should be >= 2"])
    }

    @Test func exactEqualityWaitsForOldPodsToGo() throws {
        let s = try F.state(Self.deployment(statusReplicas: 4))
        #expect(s.phase == .progressing)
        #expect(s.waitingFor == ["replicas 4->3"])
        let more = try F.state(Self.deployment(statusReplicas: 3, updated: 2, available: 4))
        #expect(more.waitingForText == "up-to-date 2->3, available 4->3")
    }

    @Test func zeroReplicasIsReadyAtOnce() throws {
        #expect(try F.state(Self.deployment(replicas: 0, statusReplicas: 2, updated: 0, available: 2)).phase == .ready)
        #expect(try F.state(Self.deployment(replicas: 0, generation: 2, observed: 1)).phase == .progressing)
    }

    @Test func missingSpecReplicasWaits() throws {
        #expect(try F.state(Self.deployment(replicas: nil)).waitingFor == ["spec replicas should be set"])
    }

    @Test func progressDeadlineExceededFails() throws {
        let stuck: Value = ["type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
                            "message": "ReplicaSet \"web-1\" has timed out progressing."]
        let s = try F.state(Self.deployment(updated: 1, available: 2, conditions: [stuck]))
        #expect(s.phase == .failed)
        #expect(s.errors.first?.description == "ProgressDeadlineExceeded: ReplicaSet \"web-1\" has timed out progressing.")
        // A condition left from an older generation is not trusted.
        #expect(try F.state(Self.deployment(generation: 2, observed: 1, conditions: [stuck])).phase == .progressing)
    }

    @Test func rolloutWithOldReplicaSetStillReady() throws {
        let s = try ReadinessRules.state(of: try F.snapshot(file: "deployment-rollout-old-rs-ready.yaml"))
        #expect(s.phase == .progressing)
        #expect(s.waitingForText == "up-to-date 2->3, replicas 4->3")
        #expect(s.failuresAllowed == 3)
        // Only the new ReplicaSet's crashing pod counts; the old one's crash and the other app's pod do not.
        #expect(s.errors.map(\.description) == ["po/web-new-b container/app: CrashLoopBackOff: back-off 20s"])
        #expect(s.pods.map(\.name) == ["web-new-a", "web-new-b", "web-old-a", "web-old-b"])
        #expect(s.pods.map(\.isNew) == [true, true, false, false])
        #expect(s.pods.map(\.status) == ["Running", "CrashLoopBackOff", "Running", "CrashLoopBackOff"])
    }

    @Test func newReplicaSetIsTheOldestWithTheSameTemplate() throws {
        let snapshot = try F.snapshot(file: "deployment-rollout-old-rs-ready.yaml")
        var twin = snapshot.replicaSets[1]
        twin["metadata"]?["name"] = "web-twin"
        twin["metadata"]?["uid"] = "rs-twin"
        twin["metadata"]?["creationTimestamp"] = "2026-01-03T00:00:00Z"
        let picked = WorkloadRules.newReplicaSet(of: snapshot.object, among: [twin] + snapshot.replicaSets)
        #expect(picked.map(Meta.name) == "web-new")
    }

    @Test func withoutAnyReplicaSetEveryPodIsNew() throws {
        let pod = F.pod("web-x", labels: ["app": "web"], containers: [F.waiting(reason: "ErrImagePull")])
        let s = try F.state(Self.deployment(replicas: 1, statusReplicas: 1, updated: 1, available: 0), pods: [pod])
        #expect(s.pods.map(\.isNew) == [true])
        #expect(s.errors.count == 1)
        #expect(s.phase == .progressing)  // 1 error, 1 allowed
    }

    @Test func errorsBeyondTheAllowanceFail() throws {
        let pods = (1...2).map { F.pod("web-\($0)", labels: ["app": "web"], containers: [F.waiting(reason: "ImagePullBackOff")]) }
        let s = try F.state(Self.deployment(replicas: 1, available: 0), pods: pods)
        #expect(s.failuresAllowed == 1)
        #expect(s.phase == .failed)
    }

    @Test func failedEventsCountExceptRecreatingAndDelete() throws {
        func event(_ reason: String) -> Value {
            ["kind": "Event", "involvedObject": ["kind": "Deployment", "name": "web", "uid": "d-1"], "reason": .string(reason), "message": "m"]
        }
        let other: Value = ["kind": "Event", "involvedObject": ["kind": "Deployment", "name": "web", "uid": "d-2"], "reason": "FailedCreate", "message": "m"]
        let s = try F.state(Self.deployment(replicas: 1, available: 0),
                            events: [event("FailedCreate"), event("RecreatingFailedPod"), event("FailedDelete"), event("ScalingReplicaSet"), other])
        #expect(s.errors.map(\.reason) == ["FailedCreate"])
        #expect(s.phase == .progressing)
        let two = try F.state(Self.deployment(replicas: 1, available: 0), events: [event("FailedCreate"), event("FailedCreate")])
        #expect(two.phase == .failed)
    }

    @Test func restartPolicyNeverAllowsNoFailure() throws {
        let pod = F.pod("web-1", labels: ["app": "web"], containers: [F.waiting(reason: "CrashLoopBackOff")])
        let s = try F.state(Self.deployment(available: 0, restartPolicy: "Never"), pods: [pod])
        #expect(s.failuresAllowed == 0)
        #expect(s.phase == .failed)
    }

    @Test func failuresAllowedPerReplicaAnnotation() throws {
        let pod = F.pod("web-1", labels: ["app": "web"], containers: [F.waiting(reason: "CrashLoopBackOff")])
        let strict = try F.state(Self.deployment(available: 0, annotations: ["werf.io/failures-allowed-per-replica": "0"]), pods: [pod])
        #expect(strict.failuresAllowed == 0)
        #expect(strict.phase == .failed)
        let lenient = try F.state(Self.deployment(available: 0, annotations: ["werf.io/failures-allowed-per-replica": "2"]), pods: [pod])
        #expect(lenient.failuresAllowed == 6)
    }

    @Test func ignoreAndContinueNeverFails() throws {
        let stuck: Value = ["type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"]
        let s = try F.state(Self.deployment(available: 0, conditions: [stuck], annotations: ["werf.io/fail-mode": "IgnoreAndContinueDeployProcess"]))
        #expect(s.phase == .progressing)
        #expect(s.errors.count == 1)
        let hope = try F.state(Self.deployment(available: 0, conditions: [stuck], annotations: ["werf.io/fail-mode": "HopeUntilEndOfDeployProcess"]))
        #expect(hope.phase == .failed)
    }

    @Test func badAnnotationIsAnErrorNamingResourceAndKey() throws {
        let error = #expect(throws: TrackingError.self) {
            try F.state(Self.deployment(annotations: ["werf.io/failures-allowed-per-replica": "lots"]))
        }
        #expect(error?.message == "invalid annotation werf.io/failures-allowed-per-replica=\"lots\" on Deployment/web (namespace: default): expected an integer >= 0")
    }

    @Test func livenessProbeRestartEventIsAnErrorOfTheNewPod() throws {
        let pod = F.pod("web-1", labels: ["app": "web"], containers: [F.running()])
        let event: Value = [
            "kind": "Event", "reason": "Unhealthy",
            "involvedObject": ["kind": "Pod", "name": "web-1", "fieldPath": "spec.containers{app}"],
            "message": "Container app failed liveness probe, will be restarted",
        ]
        let s = try F.state(Self.deployment(available: 0), pods: [pod], events: [event])
        #expect(s.errors.map(\.subject) == ["po/web-1 container/app"])
        let readiness: Value = ["kind": "Event", "reason": "Failed", "involvedObject": ["kind": "Pod", "name": "web-1"], "message": "Error: ImagePullBackOff"]
        #expect(try F.state(Self.deployment(available: 0), pods: [pod], events: [readiness]).errors.isEmpty)
    }
}

@Suite struct StatefulSetRulesTests {
    typealias F = TrackingFixtures

    static func sts(
        replicas: Int64 = 3, observed: Int64 = 1, ready: Int64 = 3, updated: Int64 = 3, current: String = "r1", update: String = "r1",
        strategy: String? = nil, partition: Int64? = nil
    ) -> Value {
        var spec: Value = ["replicas": .int(replicas), "selector": ["matchLabels": ["app": "db"]]]
        if let strategy {
            var s: Value = ["type": .string(strategy)]
            if let partition { s["rollingUpdate"] = ["partition": .int(partition)] }
            spec["updateStrategy"] = s
        }
        return [
            "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": "db", "namespace": "default", "generation": 1],
            "spec": spec,
            "status": ["observedGeneration": .int(observed), "replicas": .int(replicas), "readyReplicas": .int(ready), "updatedReplicas": .int(updated),
                       "currentRevision": .string(current), "updateRevision": .string(update)],
        ]
    }

    @Test func rollingUpdateReadyWhenRevisionsMatch() throws {
        #expect(try F.state(Self.sts()).phase == .ready)
        let rolling = try F.state(Self.sts(updated: 1, update: "r2"))
        #expect(rolling.waitingFor == ["up-to-date 1->3"])
    }

    @Test func observedGenerationMustBeNonZero() throws {
        let s = try F.state(Self.sts(observed: 0))
        #expect(s.waitingFor == ["observed generation 0 should be >= 1"])
    }

    @Test func readyReplicasBelowSpec() throws {
        #expect(try F.state(Self.sts(ready: 2)).waitingFor == ["ready 2->3"])
    }

    @Test func partitionedRollOut() throws {
        let s = try ReadinessRules.state(of: try F.snapshot(file: "statefulset-partitioned.yaml"))
        #expect(s.waitingFor == ["up-to-date 1->2 (partitioned roll out)"])
        #expect(s.pods.map(\.isNew) == [false, true])
        #expect(try F.state(Self.sts(replicas: 4, ready: 4, updated: 2, update: "r2", strategy: "RollingUpdate", partition: 2)).phase == .ready)
    }

    @Test func onDeleteWaitsForTheUser() throws {
        let s = try F.state(Self.sts(updated: 1, update: "r2", strategy: "OnDelete"))
        #expect(s.waitingFor == ["up-to-date 1->3 (user should delete old pods manually now!)"])
        #expect(try F.state(Self.sts(updated: 0, strategy: "OnDelete")).phase == .ready)
        #expect(try F.state(Self.sts(updated: 3, update: "r2", strategy: "OnDelete")).phase == .ready)
    }

    @Test func unknownStrategyFails() throws {
        let s = try F.state(Self.sts(strategy: "Sideways"))
        #expect(s.phase == .failed)
        #expect(s.errors.map(\.reason) == ["UnknownUpdateStrategy"])
    }

    @Test func transientPostFailureIsOnlyAWarning() throws {
        let event: Value = ["kind": "Event", "involvedObject": ["kind": "StatefulSet", "name": "db"], "reason": "FailedCreate",
                            "message": "create Pod db-0 failed: The POST operation against Pod could not be completed at this time, please try again."]
        let s = try F.state(Self.sts(ready: 0), events: [event])
        #expect(s.errors.isEmpty)
        #expect(s.warnings.count == 1)
    }

    @Test func newPodsFollowUpdateRevision() throws {
        let old = F.pod("db-0", labels: ["app": "db", "controller-revision-hash": "r1"], containers: [F.waiting(reason: "CrashLoopBackOff")])
        let new = F.pod("db-1", labels: ["app": "db", "controller-revision-hash": "r2"], containers: [F.waiting(reason: "ErrImagePull")])
        let s = try F.state(Self.sts(ready: 1, updated: 1, update: "r2"), pods: [old, new])
        #expect(s.errors.map(\.reason) == ["ErrImagePull"])
        #expect(s.failuresAllowed == 3)
    }
}

@Suite struct DaemonSetRulesTests {
    typealias F = TrackingFixtures

    static func ds(desired: Int64 = 2, updated: Int64 = 2, available: Int64 = 2, observed: Int64 = 1, strategy: String? = nil) -> Value {
        var spec: Value = ["selector": ["matchLabels": ["app": "agent"]]]
        if let strategy { spec["updateStrategy"] = ["type": .string(strategy)] }
        return [
            "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": ["name": "agent", "namespace": "default", "generation": 1],
            "spec": spec,
            "status": ["observedGeneration": .int(observed), "desiredNumberScheduled": .int(desired), "currentNumberScheduled": .int(desired),
                       "numberMisscheduled": 1, "updatedNumberScheduled": .int(updated), "numberAvailable": .int(available), "numberReady": .int(available)],
        ]
    }

    @Test func rollingUpdateBoundaries() throws {
        let ready = try F.state(Self.ds())
        #expect(ready.phase == .ready)
        #expect(ready.counts.replicas == 3)
        #expect(try F.state(Self.ds(updated: 1, available: 1)).waitingForText == "up-to-date 1->2, available 1->2")
        #expect(try F.state(Self.ds(observed: 0)).phase == .progressing)
    }

    @Test func onDeleteIsReadyAtOnce() throws {
        #expect(try F.state(Self.ds(updated: 0, available: 0, observed: 0, strategy: "OnDelete")).phase == .ready)
    }

    @Test func newPodsFollowTemplateGeneration() throws {
        let old = F.pod("agent-a", labels: ["app": "agent", "pod-template-generation": "0"], containers: [F.waiting(reason: "CrashLoopBackOff")])
        let new = F.pod("agent-b", labels: ["app": "agent", "pod-template-generation": "1"], containers: [F.waiting(reason: "CrashLoopBackOff")])
        let s = try F.state(Self.ds(available: 1), pods: [old, new])
        #expect(s.pods.map(\.isNew) == [false, true])
        #expect(s.errors.count == 1)
        #expect(s.failuresAllowed == 1)
        #expect(s.phase == .progressing)
    }
}

@Suite struct ReplicaSetRulesTests {
    typealias F = TrackingFixtures

    @Test func waitsForAvailableReplicas() throws {
        let rs: Value = ["apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": ["name": "rs", "namespace": "default", "uid": "u", "generation": 1],
                         "spec": ["replicas": 2, "selector": ["matchLabels": ["a": "b"]]],
                         "status": ["observedGeneration": 1, "replicas": 2, "availableReplicas": 1, "readyReplicas": 1]]
        let s = try F.state(rs)
        #expect(s.waitingFor == ["available 1->2"])
        var done = rs
        done["status"]?["availableReplicas"] = 2
        #expect(try F.state(done).phase == .ready)
        let crash = F.pod("rs-x", owner: ("ReplicaSet", "rs", "u"), containers: [F.waiting(reason: "CrashLoopBackOff")])
        #expect(try F.state(rs, pods: [crash]).phase == .failed)  // no per-replica default outside Deploy/STS/DS
    }
}

@Suite struct JobRulesTests {
    typealias F = TrackingFixtures

    static func job(completions: Int64? = nil, parallelism: Int64? = nil, succeeded: Int64 = 0, failed: Int64 = 0, conditions: [Value] = [], backoffLimit: Int64? = nil) -> Value {
        var spec: Value = ["selector": ["matchLabels": ["batch.kubernetes.io/controller-uid": "j-1"]]]
        if let completions { spec["completions"] = .int(completions) }
        if let parallelism { spec["parallelism"] = .int(parallelism) }
        if let backoffLimit { spec["backoffLimit"] = .int(backoffLimit) }
        return ["apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "migrate", "namespace": "default", "uid": "j-1", "generation": 1],
                "spec": spec, "status": ["succeeded": .int(succeeded), "failed": .int(failed), "conditions": .array(conditions)]]
    }

    static func jobPod(_ name: String, phase: String, containers: [Value] = []) -> Value {
        F.pod(name, labels: ["batch.kubernetes.io/controller-uid": "j-1"], phase: phase, containers: containers)
    }

    @Test func completeOnlyOnceEveryPodTerminated() throws {
        let complete: Value = ["type": "Complete", "status": "True"]
        let running = try F.state(Self.job(succeeded: 1, conditions: [complete]), pods: [Self.jobPod("m-1", phase: "Running")])
        #expect(running.waitingFor == ["pods should be terminated"])
        let done = try F.state(Self.job(succeeded: 1, conditions: [complete]), pods: [Self.jobPod("m-1", phase: "Succeeded")])
        #expect(done.phase == .ready)
    }

    @Test func waitingTexts() throws {
        #expect(try F.state(Self.job()).waitingForText == "condition Complete->True, succeeded 0->1")
        #expect(try F.state(Self.job(completions: 5, succeeded: 2)).waitingForText == "condition Complete->True, succeeded 2->5")
        #expect(try F.state(Self.job(parallelism: 3)).waitingForText == "condition Complete->True, succeeded 0->1 of 3")
    }

    @Test(arguments: ["BackoffLimitExceeded", "DeadlineExceeded"])
    func failedConditionFails(reason: String) throws {
        let failed: Value = ["type": "Failed", "status": "True", "reason": .string(reason), "message": "Job failed"]
        let s = try F.state(Self.job(failed: 7, conditions: [failed]), pods: [Self.jobPod("m-1", phase: "Running")])
        #expect(s.phase == .failed)
        #expect(s.errors.map(\.description) == ["\(reason): Job failed"])
    }

    @Test func failedCountBeyondBackoffLimitFails() throws {
        #expect(try F.state(Self.job(failed: 2, backoffLimit: 1)).phase == .failed)
        #expect(try F.state(Self.job(failed: 1, backoffLimit: 1)).phase == .progressing)
    }

    @Test func firstContainerErrorFailsAJob() throws {
        let s = try F.state(Self.job(), pods: [Self.jobPod("m-1", phase: "Pending", containers: [F.waiting(reason: "ImagePullBackOff")])])
        #expect(s.failuresAllowed == 0)
        #expect(s.phase == .failed)
        let annotated = Self.job()
        var withAnnotation = annotated
        withAnnotation["metadata"]?["annotations"] = ["werf.io/failures-allowed-per-replica": "5"]
        #expect(try F.state(withAnnotation, pods: [Self.jobPod("m-1", phase: "Pending", containers: [F.waiting(reason: "CrashLoopBackOff")])]).phase == .failed)
    }

    @Test func failedPodOfAJobIsNotAnErrorByItself() throws {
        let s = try F.state(Self.job(failed: 1), pods: [Self.jobPod("m-1", phase: "Failed", containers: [F.terminated(exitCode: 1, reason: "Error")])])
        #expect(s.phase == .progressing)
        #expect(s.counts.failed == 1)
    }
}

@Suite struct PodRulesTests {
    typealias F = TrackingFixtures

    @Test func readyOrSucceeded() throws {
        #expect(try F.state(F.pod("p", ready: true, containers: [F.running()])).phase == .ready)
        #expect(try F.state(F.pod("p", phase: "Succeeded", containers: [F.terminated(exitCode: 0, reason: "Completed")])).phase == .ready)
        #expect(try F.state(F.pod("p", phase: "Pending")).waitingFor == ["condition Ready->True"])
    }

    @Test func failedPhaseFails() throws {
        let s = try F.state(F.pod("p", phase: "Failed", containers: [F.terminated(exitCode: 1, reason: "Error")]))
        #expect(s.phase == .failed)
        #expect(s.pods.first?.status == "Error")
    }

    @Test func initContainerErrorFails() throws {
        let s = try F.state(F.pod("p", phase: "Pending", initContainers: [F.terminated("init", exitCode: 1, reason: "Error")]))
        #expect(s.phase == .failed)
        #expect(s.pods.first?.status == "Init:Error")
    }

    @Test func containerWaitingErrorsFailAStandalonePod() throws {
        #expect(try F.state(F.pod("p", containers: [F.waiting(reason: "CreateContainerConfigError", message: "secret \"x\" not found")])).phase == .failed)
    }
}

import Foundation
import Structured
import Testing
@testable import KubeSim

/// StatefulSet, DaemonSet, Job, CronJob controllers on a store with a fast clock.
@Suite(.serialized) struct WorkloadControllerTests {
    static func statefulSet(image: String = "redis:7", policy: String = "OrderedReady", update: String = "{type: RollingUpdate}") -> String {
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: default}
        spec:
          replicas: 3
          serviceName: db
          podManagementPolicy: \(policy)
          updateStrategy: \(update)
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: "\(image)"}]}
          volumeClaimTemplates:
            - metadata: {name: data}
              spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """
    }

    @Test func statefulSetCreatesPodsInOrderWithClaimsAndRevisions() async throws {
        try await SimulationHarness.with { sim in
            try await sim.create(Kinds.statefulSets, Self.statefulSet())
            let sts = await sim.waitFor(Kinds.statefulSets, "db") { sts in
                sts.int("status", "readyReplicas") == 3 && sts[path: "status", "currentRevision"] == sts[path: "status", "updateRevision"]
            }
            let s = try #require(sts)
            #expect(s.int("status", "currentReplicas") == 3 && s.int("status", "updatedReplicas") == 3 && s.int("status", "availableReplicas") == 3)
            let revision = try #require(s[path: "status", "updateRevision"]?.stringValue)
            #expect(revision.hasPrefix("db-"))
            #expect(await sim.get(Kinds.controllerRevisions, revision)?.int("revision") == 1)
            let pods = await sim.pods(ownedBy: s).sorted { $0.name < $1.name }
            #expect(pods.map(\.name) == ["db-0", "db-1", "db-2"])
            #expect(pods.allSatisfy { $0.labels["controller-revision-hash"] == revision })
            let claims = await sim.list(Kinds.pvcs).map(\.name).sorted()
            #expect(claims == ["data-db-0", "data-db-1", "data-db-2"])
            let bound = await sim.eventually { await sim.list(Kinds.pvcs).allSatisfy { $0[path: "status", "phase"] == "Bound" } }
            #expect(bound)
            // Creation order is visible in the events.
            let created = await sim.events(for: "db").filter { ($0["message"]?.stringValue ?? "").hasPrefix("create Pod") }
                .sorted { ($0[path: "metadata", "resourceVersion"]?.stringValue.flatMap(Int.init) ?? 0) < ($1[path: "metadata", "resourceVersion"]?.stringValue.flatMap(Int.init) ?? 0) }
            #expect(created.compactMap { $0["message"]?.stringValue } == ["create Pod db-0 in StatefulSet db successful", "create Pod db-1 in StatefulSet db successful", "create Pod db-2 in StatefulSet db successful"])
        }
    }

    @Test func statefulSetRollingUpdateRespectsPartition() async throws {
        try await SimulationHarness.with { sim in
            try await sim.create(Kinds.statefulSets, Self.statefulSet(update: "{type: RollingUpdate, rollingUpdate: {partition: 1}}"))
            let first = try #require(await sim.waitFor(Kinds.statefulSets, "db") { $0.int("status", "readyReplicas") == 3 })
            var changed = first
            changed.set(path: ["spec", "template", "spec", "containers"], to: [["name": "db", "image": "redis:8"]])
            changed.setMetadata("resourceVersion", nil)
            let updated = try await sim.store.update(Kinds.statefulSets, namespace: "default", object: changed)
            #expect(updated.generation == 2)
            let found = await sim.waitFor(Kinds.statefulSets, "db", Self.partitionRolled)
            let s = try #require(found)
            #expect(Self.partitionRolled(s))
            let update = try #require(s[path: "status", "updateRevision"]?.stringValue)
            #expect(update != s[path: "status", "currentRevision"]?.stringValue)
            let pods = await sim.pods(ownedBy: s)
            #expect(Self.names(pods, revision: update) == ["db-1", "db-2"])
        }
    }

    static func names(_ pods: [Value], revision: String) -> [String] {
        var result: [String] = []
        for pod in pods where pod.labels["controller-revision-hash"] == revision { result.append(pod.name) }
        return result.sorted()
    }

    static func partitionRolled(_ s: Value) -> Bool {
        s.int("status", "observedGeneration") == 2 && s.int("status", "updatedReplicas") == 2
            && s.int("status", "readyReplicas") == 3 && s.int("status", "currentReplicas") == 1
    }

    @Test func daemonSetRunsOnePodPerNodeAndRollsUpdates() async throws {
        try await SimulationHarness.with(nodes: ["n1", "n2", "n3"]) { sim in
            try await sim.create(Kinds.daemonSets, """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent, namespace: default}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec: {containers: [{name: a, image: "agent:1"}]}
                """)
            let ds = try #require(await sim.waitFor(Kinds.daemonSets, "agent") { $0.int("status", "numberAvailable") == 3 })
            #expect(ds.int("status", "desiredNumberScheduled") == 3 && ds.int("status", "currentNumberScheduled") == 3 && ds.int("status", "numberReady") == 3)
            let pods = await sim.pods(ownedBy: ds)
            #expect(Set(pods.compactMap { $0[path: "spec", "nodeName"]?.stringValue }) == ["n1", "n2", "n3"])
            #expect(pods.allSatisfy { $0.labels["pod-template-generation"] == "1" })
            var changed = ds
            changed.set(path: ["spec", "template", "spec", "containers"], to: [["name": "a", "image": "agent:2"]])
            changed.setMetadata("resourceVersion", nil)
            _ = try await sim.store.update(Kinds.daemonSets, namespace: "default", object: changed)
            let rolled = await sim.waitFor(Kinds.daemonSets, "agent") {
                $0.int("status", "observedGeneration") == 2 && $0.int("status", "updatedNumberScheduled") == 3 && $0.int("status", "numberAvailable") == 3
            }
            #expect(rolled != nil)
            let finalPods = await sim.pods(ownedBy: ds)
            #expect(finalPods.filter({ PodState.isActive($0) }).allSatisfy({ $0.labels["pod-template-generation"] == "2" }))
        }
    }

    static func job(_ name: String, behavior: String, extra: String = "") -> String {
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: \(name), namespace: default}
        spec:
        \(extra.isEmpty ? "" : "  " + extra)
          template:
            metadata: {annotations: {kubesim.bosun.dev/behavior: "\(behavior)"}}
            spec:
              restartPolicy: Never
              containers: [{name: main, image: busybox}]
        """
    }

    @Test func jobCompletesWithConditionsAndEvents() async throws {
        try await SimulationHarness.with { sim in
            try await sim.create(Kinds.jobs, Self.job("ok", behavior: "exit=0 after=1s", extra: "completions: 3\n  parallelism: 2"))
            let job = try #require(await sim.waitFor(Kinds.jobs, "ok") { $0.conditionIsTrue("Complete") })
            #expect(job.int("status", "succeeded") == 3 && job[path: "status", "active"] == nil)
            #expect(job.conditionIsTrue("SuccessCriteriaMet") && job.condition("Complete")?["reason"] == "CompletionsReached")
            #expect(job[path: "status", "completionTime"] != nil && job[path: "status", "startTime"] != nil)
            let reasons = await sim.events(for: "ok").compactMap { $0["reason"]?.stringValue }
            #expect(reasons.contains("Completed") && reasons.filter { $0 == "SuccessfulCreate" }.count == 3)
        }
    }

    @Test func jobFailsAfterBackoffLimit() async throws {
        try await SimulationHarness.with { sim in
            try await sim.create(Kinds.jobs, Self.job("bad", behavior: "exit=1 after=500ms", extra: "backoffLimit: 1"))
            let job = try #require(await sim.waitFor(Kinds.jobs, "bad") { $0.conditionIsTrue("Failed") })
            #expect(job.int("status", "failed") == 2)
            #expect(job.condition("Failed")?["reason"] == "BackoffLimitExceeded" && job.conditionIsTrue("FailureTarget"))
            let warning = await sim.event(for: "bad", reason: "BackoffLimitExceeded")
            #expect(warning?["type"] == "Warning" && warning?["message"] == "Job has reached the specified backoff limit")
        }
    }

    @Test func jobDeadlineAndTTL() async throws {
        try await SimulationHarness.with(scale: 50) { sim in
            try await sim.create(Kinds.jobs, Self.job("slow", behavior: "exit=0 after=1h", extra: "activeDeadlineSeconds: 5"))
            let job = await sim.waitFor(Kinds.jobs, "slow") { $0.conditionIsTrue("Failed") }
            #expect(job?.condition("Failed")?["reason"] == "DeadlineExceeded")
            #expect(job?.condition("Failed")?["message"] == "Job was active longer than specified deadline")
            try await sim.create(Kinds.jobs, Self.job("short", behavior: "exit=0", extra: "ttlSecondsAfterFinished: 5"))
            let deleted = await sim.eventually { await sim.get(Kinds.jobs, "short") == nil }
            #expect(deleted)
        }
    }

    @Test func cronJobCreatesJobsOnSchedule() async throws {
        // Clock 120x: a minute passes every half second.
        try await SimulationHarness.with(scale: 120) { sim in
            try await sim.create(Kinds.cronJobs, """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: tick, namespace: default}
                spec:
                  schedule: "* * * * *"
                  concurrencyPolicy: Forbid
                  jobTemplate:
                    spec:
                      template:
                        metadata: {annotations: {kubesim.bosun.dev/behavior: "exit=0 after=1s"}}
                        spec: {restartPolicy: OnFailure, containers: [{name: c, image: busybox}]}
                """)
            let found = await sim.waitFor(Kinds.cronJobs, "tick", timeout: 15, Self.hasSucceeded)
            let cj = try #require(found)
            #expect(cj[path: "status", "lastScheduleTime"] != nil)
            let names = await sim.list(Kinds.jobs).map(\.name)
            #expect(!names.isEmpty)
            for name in names { #expect(Self.isCronJobName(name)) }
        }
    }

    static func hasSucceeded(_ cj: Value) -> Bool { cj[path: "status", "lastSuccessfulTime"] != nil }
    static func isCronJobName(_ name: String) -> Bool {
        name.hasPrefix("tick-") && name.dropFirst(5).count == 8 && name.dropFirst(5).allSatisfy(\.isNumber)
    }

    @Test func cronScheduleNextTimes() throws {
        let base = try #require(Timestamp.parse("2026-01-01T10:07:30Z"))
        func next(_ spec: String) -> String? { CronSchedule(spec)?.next(after: base).map(Timestamp.format) }
        #expect(next("*/15 * * * *") == "2026-01-01T10:15:00Z")
        #expect(next("0 9 * * mon-fri") == "2026-01-02T09:00:00Z")
        #expect(next("@hourly") == "2026-01-01T11:00:00Z")
        #expect(next("30 2 1 * *") == "2026-02-01T02:30:00Z")
        #expect(CronSchedule("61 * * * *") == nil && CronSchedule("* * *") == nil)
    }
}

import Foundation
import Structured
import Testing
@testable import KubeSim

/// Indexed Jobs, podFailurePolicy and CronJob concurrency, as the 1.35 controllers behave.
@Suite(.serialized) struct JobControllerTests {
    /// An Indexed Job runs one pod per index: `<job>-<index>-xxxxx`, the completion index as
    /// annotation and label, hostname `<job>-<index>`, `JOB_COMPLETION_INDEX` from the label;
    /// `status.completedIndexes` lists the succeeded indexes as intervals.
    @Test func indexedJobRunsOnePodPerIndex() async throws {
        try await SimulationHarness.with { sim in
            try await sim.create(Kinds.jobs, WorkloadControllerTests.job(
                "idx", behavior: "exit=0 after=1s", extra: "completions: 3\n  parallelism: 2\n  completionMode: Indexed"))
            let job = try #require(await sim.waitFor(Kinds.jobs, "idx") { $0.conditionIsTrue("Complete") })
            #expect(job[path: "status", "completedIndexes"] == "0-2")
            #expect(job.int("status", "succeeded") == 3)
            let pods = await sim.pods(ownedBy: job).sorted { ($0.annotations[JobController.indexKey] ?? "") < ($1.annotations[JobController.indexKey] ?? "") }
            #expect(pods.count == 3)
            for (i, pod) in pods.enumerated() {
                #expect(pod.name.hasPrefix("idx-\(i)-") && pod.name.count == "idx-\(i)-".count + 5)
                #expect(pod.annotations[JobController.indexKey] == String(i) && pod.labels[JobController.indexKey] == String(i))
                #expect(pod[path: "spec", "hostname"] == .string("idx-\(i)"))
                let env = pod[path: "spec", "containers"]?.arrayValue?.first?["env"]
                #expect(env == [["name": "JOB_COMPLETION_INDEX",
                                 "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.labels['batch.kubernetes.io/job-completion-index']"]]]]
                        || env == [["name": "JOB_COMPLETION_INDEX",
                                    "valueFrom": ["fieldRef": ["fieldPath": "metadata.labels['batch.kubernetes.io/job-completion-index']"]]]])
            }
        }
        #expect(JobController.intervals([0, 1, 2, 4, 6, 7]) == "0-2,4,6-7")
        #expect(JobController.intervals([]) == "")
    }

    /// A FailJob rule ends the Job at the first matching failure (reason PodFailurePolicy, the
    /// controller's message), without waiting for backoffLimit; an Ignore rule does not count.
    @Test func podFailurePolicyFailsOrIgnores() async throws {
        try await SimulationHarness.with { sim in
            let policy = """
                backoffLimit: 6
                  podFailurePolicy:
                    rules:
                      - action: FailJob
                        onExitCodes: {containerName: main, operator: In, values: [42]}
                      - action: Ignore
                        onExitCodes: {operator: In, values: [3]}
                """
            try await sim.create(Kinds.jobs, WorkloadControllerTests.job("fatal", behavior: "exit=42 after=500ms", extra: policy))
            let job = try #require(await sim.waitFor(Kinds.jobs, "fatal") { $0.conditionIsTrue("Failed") })
            #expect(job.condition("Failed")?["reason"] == "PodFailurePolicy")
            let pod = try #require(await sim.pods(ownedBy: job).first)
            #expect(job.condition("Failed")?["message"] == .string("Container main for pod default/\(pod.name) failed with exit code 42 matching FailJob rule at index 0"))
            #expect(job.int("status", "failed") == 1)
            #expect(job[path: "spec", "podReplacementPolicy"] == "Failed")

            try await sim.create(Kinds.jobs, WorkloadControllerTests.job("flaky", behavior: "exit=3 after=300ms", extra: policy.replacingOccurrences(of: "backoffLimit: 6", with: "backoffLimit: 0")))
            // Ignored failures never reach backoffLimit 0: the Job keeps replacing its pod.
            #expect(await sim.eventually { await sim.list(Kinds.pods).filter { $0.name.hasPrefix("flaky-") }.count >= 3 })
            let flaky = try #require(await sim.get(Kinds.jobs, "flaky"))
            #expect(!flaky.conditionIsTrue("Failed") && flaky[path: "status", "failed"] == nil)
        }
    }

    static func cronJob(_ name: String, policy: String) -> String {
        """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: \(name), namespace: default}
        spec:
          schedule: "* * * * *"
          concurrencyPolicy: \(policy)
          jobTemplate:
            spec:
              template:
                metadata: {annotations: {kubesim.bosun.dev/behavior: "exit=0 after=1h"}}
                spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
        """
    }

    /// Jobs that outlive the schedule: Forbid skips runs while one is active, Replace deletes the
    /// running Job for the new one, Allow lets them pile up.
    @Test func cronJobConcurrencyPolicies() async throws {
        try await SimulationHarness.with(scale: 120) { sim in  // a minute every half second
            try await sim.create(Kinds.cronJobs, Self.cronJob("forbid", policy: "Forbid"))
            try await sim.create(Kinds.cronJobs, Self.cronJob("replace", policy: "Replace"))
            try await sim.create(Kinds.cronJobs, Self.cronJob("allow", policy: "Allow"))
            func jobs(_ prefix: String) async -> [Value] { await sim.list(Kinds.jobs).filter { $0.name.hasPrefix(prefix + "-") } }
            #expect(await sim.eventually(timeout: 15) { await jobs("allow").count >= 3 })
            #expect(await jobs("forbid").count == 1)
            // A replacement may be between deleting the old Job and creating the new one (a run
            // every half second here): look again until it has settled.
            #expect(await sim.eventually(timeout: 5) { await jobs("replace").filter { !$0.isDeleting }.count == 1 })
            let replaced = await jobs("replace").filter { !$0.isDeleting }
            #expect(replaced.count <= 1)
            #expect(replaced.first?.name != (await jobs("forbid")).first?.name.replacingOccurrences(of: "forbid", with: "replace"))
        }
    }
}

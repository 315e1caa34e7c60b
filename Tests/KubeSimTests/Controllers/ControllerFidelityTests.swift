import Foundation
import Structured
import Testing
import TestSupport
@testable import KubeSim

/// Real kubectl 1.35 and helm 4 against an in-process kubesim whose controllers and kubelet move
/// status as a cluster does: rollout status, wait, logs, pod status columns, helm --wait.
@Suite(.serialized) struct ControllerFidelityTests {
    @Test func rolloutStatusOfDeploymentIncludingImageChange() async throws {
        try await SimCluster.with { sim in
            let create = try await sim.kubectl("create", "deployment", "web", "--image=nginx:1.27", "--replicas=3")
            #expect(create.stdout == "deployment.apps/web created\n", "\(create.stderr)")
            let status = try await sim.kubectl("rollout", "status", "deployment/web", "--timeout=30s")
            #expect(status.succeeded, "\(status.stderr)")
            #expect(status.stdout.hasSuffix("deployment \"web\" successfully rolled out\n"))
            let set = try await sim.kubectl("set", "image", "deployment/web", "nginx=nginx:1.28")
            #expect(set.stdout == "deployment.apps/web image updated\n", "\(set.stderr)")
            let rolled = try await sim.kubectl("rollout", "status", "deployment/web", "--timeout=30s")
            #expect(rolled.succeeded, "\(rolled.stderr)")
            #expect(rolled.stdout.contains("Waiting for deployment \"web\" rollout to finish"))
            #expect(rolled.stdout.hasSuffix("deployment \"web\" successfully rolled out\n"))
            let history = try await sim.kubectl("rollout", "history", "deployment/web")
            #expect(history.stdout.contains("1         <none>") && history.stdout.contains("2         <none>"), "\(history.stdout)\(history.stderr)")
            let rs = try await sim.kubectl("get", "rs", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.spec.replicas}{\" \"}{end}")
            #expect(rs.stdout.split(separator: " ").sorted() == ["0", "3"])
            let describe = try await sim.kubectl("describe", "deployment", "web")
            #expect(describe.stdout.contains("ScalingReplicaSet") && describe.stdout.contains("NewReplicaSetAvailable"), "\(describe.stdout)")
        }
    }

    @Test func rolloutStatusOfStatefulSetAndDaemonSet() async throws {
        try await SimCluster.with { sim in
            let file = try sim.write("workloads.yaml", """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  replicas: 2
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec: {containers: [{name: db, image: "redis:7"}]}
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec: {containers: [{name: agent, image: "agent:1"}]}
                """)
            let apply = try await sim.kubectl("apply", "-f", file)
            #expect(apply.succeeded, "\(apply.stderr)")
            let sts = try await sim.kubectl("rollout", "status", "statefulset/db", "--timeout=30s")
            let revision = try await revision(sim)
            // The API server defaults rollingUpdate.partition to 0, so kubectl reports a partitioned rollout.
            #expect(sts.succeeded && sts.stdout.hasSuffix("partitioned roll out complete: 2 new pods have been updated...\n"), "\(sts.stdout)\(sts.stderr)")
            #expect(revision.hasPrefix("db-"))
            let ds = try await sim.kubectl("rollout", "status", "daemonset/agent", "--timeout=30s")
            #expect(ds.succeeded && ds.stdout.hasSuffix("daemon set \"agent\" successfully rolled out\n"), "\(ds.stdout)\(ds.stderr)")
            _ = try await sim.kubectl("set", "image", "statefulset/db", "db=redis:8")
            _ = try await sim.kubectl("set", "image", "daemonset/agent", "agent=agent:2")
            let sts2 = try await sim.kubectl("rollout", "status", "statefulset/db", "--timeout=30s")
            #expect(sts2.succeeded && sts2.stdout.hasSuffix("partitioned roll out complete: 2 new pods have been updated...\n"), "\(sts2.stdout)\(sts2.stderr)")
            let ds2 = try await sim.kubectl("rollout", "status", "daemonset/agent", "--timeout=30s")
            #expect(ds2.succeeded && ds2.stdout.hasSuffix("daemon set \"agent\" successfully rolled out\n"), "\(ds2.stdout)\(ds2.stderr)")
            let images = try await sim.kubectl("get", "pods", "-l", "app=db", "-o", "jsonpath={.items[*].spec.containers[0].image}")
            #expect(images.stdout == "redis:8 redis:8")
        }
    }

    private func revision(_ sim: SimCluster) async throws -> String {
        let sts = try await sim.kubectlJSON("get", "statefulset", "db")
        return sts[path: "status", "updateRevision"]?.stringValue ?? "?"
    }

    @Test func waitForJobCompleteAndFailed() async throws {
        try await SimCluster.with { sim in
            let file = try sim.write("jobs.yaml", """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: ok}
                spec:
                  template:
                    metadata: {annotations: {kubesim.bosun.dev/behavior: "exit=0 after=500ms"}}
                    spec: {restartPolicy: Never, containers: [{name: main, image: busybox}]}
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: bad}
                spec:
                  backoffLimit: 0
                  template:
                    metadata: {annotations: {kubesim.bosun.dev/behavior: "exit=3 after=500ms"}}
                    spec: {restartPolicy: Never, containers: [{name: main, image: busybox}]}
                """)
            #expect(try await sim.kubectl("apply", "-f", file).succeeded)
            let complete = try await sim.kubectl("wait", "--for=condition=complete", "job/ok", "--timeout=30s")
            #expect(complete.stdout == "job.batch/ok condition met\n", "\(complete.stderr)")
            let failed = try await sim.kubectl("wait", "--for=condition=failed", "job/bad", "--timeout=30s")
            #expect(failed.stdout == "job.batch/bad condition met\n", "\(failed.stderr)")
            let pods = try await sim.kubectl("get", "pods", "-l", "job-name=bad", "--no-headers")
            #expect(pods.stdout.contains(" Error ") && pods.stdout.contains(" 0/1 "), "\(pods.stdout)")
            let jobs = try await sim.kubectl("get", "jobs", "--no-headers")
            #expect(jobs.stdout.contains("ok ") && jobs.stdout.contains("Complete"), "\(jobs.stdout)")
            #expect(jobs.stdout.contains("bad ") && jobs.stdout.contains("Failed"), "\(jobs.stdout)")
        }
    }

    @Test func logsAndFollowedLogs() async throws {
        try await SimCluster.with { sim in
            let file = try sim.write("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: talker
                  annotations: {kubesim.bosun.dev/behavior: "log=\\"hello there\\" every=200ms exit=0 after=1500ms"}
                spec:
                  restartPolicy: Never
                  containers: [{name: main, image: busybox}, {name: side, image: busybox}]
                """)
            #expect(try await sim.kubectl("apply", "-f", file).succeeded)
            let running = try await sim.kubectl("wait", "--for=jsonpath={.status.phase}=Running", "pod/talker", "--timeout=30s")
            #expect(running.succeeded, "\(running.stderr)")
            let followed = try await sim.kubectl("logs", "-f", "talker", "-c", "main")
            #expect(followed.succeeded, "\(followed.stderr)")
            let lines = followed.stdout.split(separator: "\n")
            #expect(lines.first == "kubesim: container main started (image busybox)")
            #expect(lines.filter { $0 == "hello there" }.count >= 7, "\(followed.stdout)")
            let tail = try await sim.kubectl("logs", "talker", "-c", "main", "--tail=2", "--timestamps")
            let tailLines = tail.stdout.split(separator: "\n")
            #expect(tailLines.count == 2 && tailLines.allSatisfy { $0.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z hello there$"#, options: .regularExpression) != nil }, "\(tail.stdout)")
            let wrong = try await sim.kubectl("logs", "talker", "-c", "nope")
            #expect(wrong.stderr == "error: container nope is not valid for pod talker\n" || wrong.stderr == "Error from server (BadRequest): container nope is not valid for pod talker\n", "\(wrong.stderr)")
            // Ambiguous container: the raw API answers as the real server does.
            let raw = try await sim.kubectl("get", "--raw", "/api/v1/namespaces/default/pods/talker/log")
            #expect(raw.stderr.contains("a container name must be specified for pod talker, choose one of: [main side]"), "\(raw.stderr)")
        }
    }

    @Test func getPodsShowsBackOffStatuses() async throws {
        try await SimCluster.with { sim in
            let file = try sim.write("pods.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: crasher, annotations: {kubesim.bosun.dev/behavior: crashloop}}
                spec: {containers: [{name: c, image: busybox}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: puller, annotations: {kubesim.bosun.dev/behavior: image-pull-error}}
                spec: {containers: [{name: c, image: "example.invalid/nope:1"}]}
                """)
            #expect(try await sim.kubectl("apply", "-f", file).succeeded)
            var crash = "", pull = ""
            for _ in 0..<60 {
                let table = try await sim.kubectl("get", "pods", "--no-headers")
                for line in table.stdout.split(separator: "\n") {
                    let cols = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                    if cols.first == "crasher" { crash = cols[2] + " " + cols[3] }
                    if cols.first == "puller" { pull = cols[2] }
                }
                if crash.hasPrefix("CrashLoopBackOff") && pull == "ImagePullBackOff" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(crash == "CrashLoopBackOff 1", "\(crash)")
            #expect(pull == "ImagePullBackOff")
            let events = try await sim.kubectl("get", "events", "--field-selector", "involvedObject.name=puller", "-o", "jsonpath={range .items[*]}{.reason}{\"\\n\"}{end}")
            #expect(events.stdout.contains("Failed") && events.stdout.contains("BackOff") && events.stdout.contains("Scheduled"), "\(events.stdout)\(events.stderr)")
        }
    }

    @Test func helmInstallWaitSucceedsAndTimesOutOnNeverReady() async throws {
        try await SimCluster.with { sim in
            let create = try await sim.run(.helm4, ["create", sim.directory + "/mychart"])
            #expect(create.succeeded, "\(create.stderr)")
            let ok = try await sim.run(.helm4, ["install", "good", sim.directory + "/mychart", "--wait", "--timeout", "60s"])
            #expect(ok.succeeded, "\(ok.stderr)")
            #expect(ok.stdout.contains("STATUS: deployed"))
            let ready = try await sim.kubectlJSON("get", "deployment", "good-mychart")
            #expect(ready[path: "status", "readyReplicas"] == 1)
            let bad = try await sim.run(.helm4, ["install", "stuck", sim.directory + "/mychart", "--wait", "--timeout", "3s",
                                                 "--set-string", "podAnnotations.kubesim\\.bosun\\.dev/behavior=never-ready"])
            #expect(!bad.succeeded)
            #expect(bad.stderr.contains("context deadline exceeded") || bad.stderr.contains("timed out"), "\(bad.stderr)")
            let status = try await sim.run(.helm4, ["status", "stuck"])
            #expect(status.stdout.contains("STATUS: failed"), "\(status.stdout)")
        }
    }

    /// Graceful deletion seen through kubectl, as on a real cluster: `delete --wait=false` leaves
    /// the pod listed as Terminating with a deletionTimestamp until its containers stop;
    /// `delete` (waiting) returns once it is gone; `--grace-period=0 --force` removes it at once
    /// with kubectl's warning; deleting the namespace waits for its terminating pods.
    @Test func podsTerminateGracefully() async throws {
        try await SimCluster.with { sim in
            for name in ["slow", "stuck"] {
                let run = try await sim.kubectl("run", name, "--image=nginx:1.27",
                                                "--annotations=kubesim.bosun.dev/behavior=\(name == "slow" ? "shutdown=2s" : "ignore-sigterm")")
                #expect(run.stdout == "pod/\(name) created\n", "\(run.stderr)")
                #expect(try await sim.kubectl("wait", "--for=condition=Ready", "pod/\(name)", "--timeout=30s").succeeded)
            }
            let nowait = try await sim.kubectl("delete", "pod", "stuck", "--wait=false")
            #expect(nowait.stdout == "pod \"stuck\" deleted\n" || nowait.stdout == "pod \"stuck\" deleted from default namespace\n", "\(nowait.stderr)")
            let listed = try await sim.kubectl("get", "pod", "stuck", "--no-headers")
            #expect(listed.stdout.contains(" Terminating "), "\(listed.stdout)")
            let marked = try await sim.kubectlJSON("get", "pod", "stuck")
            #expect(marked[path: "metadata", "deletionGracePeriodSeconds"] == 30 && marked[path: "metadata", "deletionTimestamp"] != nil)

            let start = ContinuousClock.now
            let waited = try await sim.kubectl("delete", "pod", "slow")
            #expect(waited.succeeded, "\(waited.stderr)")
            #expect(ContinuousClock.now - start > .seconds(1))  // the 2 s shutdown
            #expect(try await sim.kubectl("get", "pod", "slow").stderr == "Error from server (NotFound): pods \"slow\" not found\n")

            let forced = try await sim.kubectl("delete", "pod", "stuck", "--grace-period=0", "--force")
            #expect(forced.stderr == "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n", "\(forced.stderr)")
            #expect(forced.stdout.hasPrefix("pod \"stuck\" force deleted"), "\(forced.stdout)")
            #expect(try await sim.kubectl("get", "pod", "stuck").stderr == "Error from server (NotFound): pods \"stuck\" not found\n")

            _ = try await sim.kubectl("create", "namespace", "shop")
            _ = try await sim.kubectl("run", "cart", "-n", "shop", "--image=nginx:1.27", "--annotations=kubesim.bosun.dev/behavior=shutdown=2s")
            #expect(try await sim.kubectl("wait", "-n", "shop", "--for=condition=Ready", "pod/cart", "--timeout=30s").succeeded)
            _ = try await sim.kubectl("delete", "namespace", "shop", "--wait=false")
            let terminating = try await sim.kubectlJSON("get", "namespace", "shop")
            #expect(terminating[path: "status", "phase"] == "Terminating")
            let gone = try await sim.kubectl("wait", "--for=delete", "namespace/shop", "--timeout=30s")
            #expect(gone.succeeded, "\(gone.stderr)")
        }
    }
}

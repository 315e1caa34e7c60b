import Foundation
import Structured
import Testing
@testable import KubeSim

/// The pure pod model: behaviour parsing and status/events/logs as functions of time.
struct PodTimelineTests {
    static func pod(_ behavior: String? = nil, restartPolicy: String = "Always", containers: [String] = ["web"],
                    initContainers: [String] = [], pullAlways: Bool = false) -> Value {
        var pod: Value = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "default", "uid": "u-1"]]
        if let behavior { pod.setMetadata("annotations", [.init(stringLiteral: PodBehavior.annotation): .string(behavior)]) }
        pod["spec"] = [
            "restartPolicy": .string(restartPolicy),
            "containers": .array(containers.map { ["name": .string($0), "image": "nginx:1.27", "imagePullPolicy": pullAlways ? "Always" : "IfNotPresent"] }),
        ]
        if !initContainers.isEmpty {
            pod["spec"]?["initContainers"] = .array(initContainers.map { ["name": .string($0), "image": "busybox"] })
        }
        return pod
    }

    @Test func parsesTokensDurationsAndPerContainerForms() {
        let b = PodBehavior(#"ready-after=2s log="hello world" every=500ms container=side:crashloop container=side:exit=3"#)
        let web = b.container("web")
        #expect(web.readyAfter == 2 && web.logLines == ["hello world"] && web.logEvery == 0.5 && !web.crashLoop)
        let side = b.container("side")
        #expect(side.crashLoop && side.exitCode == 3 && side.readyAfter == 2)
        #expect(PodBehavior.duration("1m30s") == 90 && PodBehavior.duration("1.5") == 1.5 && PodBehavior.duration("xs") == nil)
        #expect(PodBehavior("init-fail").initFail)
        #expect(PodBehavior.tokenize(#"log="a \"q\" b" never-ready"#) == [#"log=a "q" b"#, "never-ready"])
    }

    @Test func defaultPodBecomesReadyAfterTheStartDelay() {
        let timeline = PodTimeline(pod: Self.pod(), startDelay: 0.5)
        let before = timeline.status(at: 0.2)
        #expect(before.phase == "Pending" && !before.containersReady)
        if case .waiting(let reason, _) = before.statuses[0].state { #expect(reason == "ContainerCreating") } else { Issue.record("not waiting") }
        let after = timeline.status(at: 0.6)
        #expect(after.phase == "Running" && after.containersReady)
        #expect(timeline.nextChange(after: 0.2) == 0.5)
        #expect(timeline.events(until: 1).map(\.reason) == ["Pulled", "Created", "Started"])
    }

    @Test func readyAfterAndNeverReady() {
        let slow = PodTimeline(pod: Self.pod("ready-after=3s"), startDelay: 0.5)
        #expect(slow.status(at: 3).phase == "Running" && !slow.status(at: 3).containersReady)
        #expect(slow.status(at: 3.6).containersReady)
        let never = PodTimeline(pod: Self.pod("never-ready"), startDelay: 0.5)
        #expect(never.status(at: 1000).phase == "Running" && !never.status(at: 1000).containersReady)
    }

    @Test func crashLoopGrowsRestartCountWithBackOff() {
        let timeline = PodTimeline(pod: Self.pod("crashloop"), startDelay: 0.5)
        let first = timeline.status(at: 2).statuses[0]
        guard case .waiting(let reason, let message) = first.state else { Issue.record("not waiting"); return }
        #expect(reason == "CrashLoopBackOff" && message == "back-off 10s restarting failed container=web pod=p")
        #expect(first.restartCount == 1 && first.lastTerminated?.exitCode == 1)
        // Second run at 1.5 + 10 s, crashes at 12.5, then 20 s back-off.
        #expect(timeline.status(at: 12).statuses[0].restartCount == 1)
        if case .running = timeline.status(at: 12).statuses[0].state {} else { Issue.record("should be running again") }
        #expect(timeline.status(at: 13).statuses[0].restartCount == 2)
        #expect(timeline.status(at: 2).phase == "Running")
        #expect(timeline.events(until: 13).filter { $0.reason == "BackOff" }.count == 2)
    }

    @Test func imagePullErrorAlternatesErrImagePullAndBackOff() {
        let timeline = PodTimeline(pod: Self.pod("image-pull-error"), startDelay: 0.5)
        func reason(_ t: Double) -> String? {
            if case .waiting(let r, _) = timeline.status(at: t).statuses[0].state { return r }
            return nil
        }
        #expect(reason(0.2) == "ContainerCreating" && reason(0.7) == "ErrImagePull" && reason(2) == "ImagePullBackOff")
        #expect(reason(11.6) == "ErrImagePull")  // retry after 10 s back-off
        let events = timeline.events(until: 2).map { "\($0.reason): \($0.message)" }
        #expect(events.contains("Failed: Error: ErrImagePull") && events.contains("BackOff: Back-off pulling image \"nginx:1.27\""))
        #expect(timeline.status(at: 100).phase == "Pending")
    }

    @Test func initContainersRunFirstAndInitFailBlocks() {
        let ok = PodTimeline(pod: Self.pod(initContainers: ["migrate"]), startDelay: 0.5)
        #expect(!ok.status(at: 0.9).initialized)
        if case .waiting(let r, _) = ok.status(at: 0.9).statuses[0].state { #expect(r == "PodInitializing") } else { Issue.record("app started early") }
        #expect(ok.status(at: 1.1).initialized && !ok.status(at: 1.1).containersReady)
        #expect(ok.status(at: 1.6).containersReady)
        let failing = PodTimeline(pod: Self.pod("init-fail", initContainers: ["migrate"]), startDelay: 0.5)
        let s = failing.status(at: 1.2)
        if case .waiting(let r, _) = s.initStatuses[0].state { #expect(r == "CrashLoopBackOff") } else { Issue.record("init not backing off") }
        #expect(s.phase == "Pending" && !s.initialized)
        let never = PodTimeline(pod: Self.pod("init-fail", restartPolicy: "Never", initContainers: ["migrate"]), startDelay: 0.5)
        #expect(never.status(at: 1.2).phase == "Failed")
        if case .terminated(let run) = never.status(at: 1.2).initStatuses[0].state { #expect(run.exitCode == 1) } else { Issue.record("init not terminated") }
    }

    @Test func exitCodesDecideJobPodPhases() {
        let fail = PodTimeline(pod: Self.pod("exit=1 after=2s", restartPolicy: "Never"), startDelay: 0.5)
        #expect(fail.status(at: 2).phase == "Running" && fail.status(at: 2.6).phase == "Failed")
        let ok = PodTimeline(pod: Self.pod(nil, restartPolicy: "Never"), startDelay: 0.5)
        #expect(ok.status(at: 1.6).phase == "Succeeded")
        let onFailure = PodTimeline(pod: Self.pod("exit=2", restartPolicy: "OnFailure"), startDelay: 0.5)
        #expect(onFailure.status(at: 2).phase == "Running" && onFailure.status(at: 2).statuses[0].restartCount == 1)
        let configError = PodTimeline(pod: Self.pod("create-config-error"), startDelay: 0.5)
        if case .waiting(let r, _) = configError.status(at: 1).statuses[0].state { #expect(r == "CreateContainerConfigError") } else { Issue.record("no config error") }
    }

    @Test func logLinesFollowTheScript() {
        let timeline = PodTimeline(pod: Self.pod(#"log="tick" every=1s"#), startDelay: 0.5)
        let web = timeline.container(named: "web")!
        let run = web.instances(until: 3.6).last!
        let lines = web.logLines(of: run, until: 3.6).map(\.text)
        #expect(lines == ["kubesim: container web started (image nginx:1.27)", "tick", "tick", "tick", "tick"])
    }

    /// Status objects as the kubelet writes them, printed as `kubectl get pods` shows them.
    @Test func printedStatusColumns() {
        func printed(_ pod: Value, at t: Double) -> String {
            var p = pod
            p["status"] = PodTimeline(pod: pod, startDelay: 0.5).statusObject(at: t, base: Date(), old: [:], hostIP: "172.18.0.2",
                                                                                podIP: "10.244.1.2", qosClass: "BestEffort", now: "2026-01-01T00:00:00Z")
            return PodStatusPrinter.status(p)
        }
        #expect(printed(Self.pod(), at: 0.1) == "ContainerCreating")
        #expect(printed(Self.pod(), at: 1) == "Running")
        #expect(printed(Self.pod(initContainers: ["a"]), at: 0.7) == "Init:0/1")
        #expect(printed(Self.pod("init-fail", initContainers: ["a"]), at: 1.2) == "Init:CrashLoopBackOff")
        #expect(printed(Self.pod("init-fail", restartPolicy: "Never", initContainers: ["a"]), at: 1.2) == "Init:Error")
        #expect(printed(Self.pod("crashloop"), at: 2) == "CrashLoopBackOff")
        #expect(printed(Self.pod("image-pull-error"), at: 2) == "ImagePullBackOff")
        #expect(printed(Self.pod("create-config-error"), at: 2) == "CreateContainerConfigError")
        #expect(printed(Self.pod(nil, restartPolicy: "Never"), at: 2) == "Completed")
        #expect(printed(Self.pod("exit=1", restartPolicy: "Never"), at: 2) == "Error")
        #expect(PodStatusPrinter.shortDuration(5) == "5s" && PodStatusPrinter.shortDuration(185) == "3m5s")
    }
}

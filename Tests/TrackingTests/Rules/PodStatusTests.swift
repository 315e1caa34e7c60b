import Structured
import Testing
@testable import Tracking

@Suite struct PodStatusTests {
    typealias F = TrackingFixtures

    @Test func runningReadyPod() {
        let c = PodStatus.columns(F.pod("p", ready: true, containers: [F.running(), F.running("side", restarts: 2)]))
        #expect(c.ready == "2/2")
        #expect(c.restarts == 2)
        #expect(c.status == "Running")
    }

    @Test func pendingPodWithoutStatuses() {
        let c = PodStatus.columns(F.pod("p", phase: "Pending"))
        #expect(c == ("0/1", 0, "Pending"))
    }

    @Test func waitingReasonWins() {
        let c = PodStatus.columns(F.pod("p", containers: [F.waiting(reason: "CrashLoopBackOff", restarts: 4)]))
        #expect(c.status == "CrashLoopBackOff")
        #expect(c.restarts == 4)
        #expect(c.ready == "0/1")
    }

    @Test func lastContainerInSpecOrderDecidesBecauseOfReverseWalk() {
        // kubectl walks statuses from the end, so the first container's reason is the one left.
        let c = PodStatus.columns(F.pod("p", containers: [
            F.waiting("a", reason: "ImagePullBackOff"), F.waiting("b", reason: "CrashLoopBackOff"),
        ]))
        #expect(c.status == "ImagePullBackOff")
    }

    @Test func terminatedWithoutReasonShowsExitCodeOrSignal() {
        #expect(PodStatus.columns(F.pod("p", containers: [F.terminated(exitCode: 3)])).status == "ExitCode:3")
        #expect(PodStatus.columns(F.pod("p", containers: [F.terminated(exitCode: 137, signal: 9)])).status == "Signal:9")
        #expect(PodStatus.columns(F.pod("p", phase: "Succeeded", containers: [F.terminated(exitCode: 0, reason: "Completed")])).status == "Completed")
    }

    @Test func completedBecomesRunningOrNotReadyWhileAnotherContainerRuns() {
        let containers = [F.running("a"), F.terminated("b", exitCode: 0, reason: "Completed")]
        #expect(PodStatus.columns(F.pod("p", ready: true, containers: containers)).status == "Running")
        #expect(PodStatus.columns(F.pod("p", ready: false, containers: containers)).status == "NotReady")
    }

    @Test func podReasonOverridesPhase() {
        let c = PodStatus.columns(F.pod("p", phase: "Failed", reason: "Evicted"))
        #expect(c.status == "Evicted")
    }

    @Test func initContainerStates() {
        let specs: [Value] = [["name": "i1"], ["name": "i2"]]
        let done = F.terminated("i1", exitCode: 0, reason: "Completed")
        #expect(PodStatus.columns(F.pod("p", phase: "Pending", initContainers: [done, F.running("i2", ready: false)], initSpecs: specs)).status == "Init:1/2")
        #expect(PodStatus.columns(F.pod("p", phase: "Pending", initContainers: [F.terminated("i1", exitCode: 1, reason: "Error", restarts: 3)], initSpecs: specs)) == ("0/1", 3, "Init:Error"))
        #expect(PodStatus.columns(F.pod("p", phase: "Pending", initContainers: [F.terminated("i1", exitCode: 2)], initSpecs: specs)).status == "Init:ExitCode:2")
        #expect(PodStatus.columns(F.pod("p", phase: "Pending", initContainers: [F.terminated("i1", exitCode: 2, signal: 15)], initSpecs: specs)).status == "Init:Signal:15")
        #expect(PodStatus.columns(F.pod("p", phase: "Pending", initContainers: [F.waiting("i1", reason: "ImagePullBackOff")], initSpecs: specs)).status == "Init:ImagePullBackOff")
        #expect(PodStatus.columns(F.pod("p", phase: "Pending", initContainers: [F.waiting("i1", reason: "PodInitializing")], initSpecs: specs)).status == "Init:0/2")
    }

    @Test func sidecarInitContainerCountsInReady() {
        let specs: [Value] = [["name": "proxy", "restartPolicy": "Always"]]
        var sidecar = F.running("proxy", restarts: 1)
        sidecar["started"] = true
        let pod = F.pod("p", ready: true, containers: [F.running()], initContainers: [sidecar], initSpecs: specs,
                        extraConditions: [["type": "Initialized", "status": "True"]])
        #expect(PodStatus.columns(pod) == ("2/2", 1, "Running"))
    }

    @Test func deletionShowsTerminatingUnlessTerminalOrNodeLost() {
        #expect(PodStatus.columns(F.pod("p", ready: true, containers: [F.running()], deleting: true)).status == "Terminating")
        #expect(PodStatus.columns(F.pod("p", phase: "Succeeded", deleting: true)).status == "Succeeded")
        #expect(PodStatus.columns(F.pod("p", reason: "NodeLost", deleting: true)).status == "Unknown")
    }

    @Test func schedulingGated() {
        let pod = F.pod("p", phase: "Pending", extraConditions: [["type": "PodScheduled", "status": "False", "reason": "SchedulingGated"]])
        #expect(PodStatus.columns(pod).status == "SchedulingGated")
    }

    @Test(arguments: [
        "ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff", "ErrImageNeverPull", "CreateContainerConfigError",
        "CreateContainerError", "InvalidImageName", "RunContainerError",
    ])
    func everyFailingWaitingReasonIsAnError(reason: String) {
        let errors = PodStatus.containerErrors(F.pod("web-1", containers: [F.waiting(reason: reason, message: "boom")]))
        #expect(errors == [TrackingFailure(subject: "po/web-1 container/app", reason: reason, message: "boom")])
    }

    @Test(arguments: ["ContainerCreating", "PodInitializing", "Pending"])
    func ordinaryWaitingReasonsAreNotErrors(reason: String) {
        #expect(PodStatus.containerErrors(F.pod("p", containers: [F.waiting(reason: reason)])).isEmpty)
    }

    @Test func failingInitContainersAreErrors() {
        let pulled = PodStatus.containerErrors(F.pod("p", initContainers: [F.waiting("init", reason: "ErrImagePull", message: "no such image")]))
        #expect(pulled.map(\.description) == ["po/p container/init: ErrImagePull: no such image"])
        let crashed = PodStatus.containerErrors(F.pod("p", initContainers: [F.terminated("init", exitCode: 1, reason: "Error")]))
        #expect(crashed.map(\.reason) == ["Error"])
        // A main container terminated with Error is a restart, not an init failure.
        #expect(PodStatus.containerErrors(F.pod("p", containers: [F.terminated(exitCode: 1, reason: "Error")])).isEmpty)
    }

    @Test func evictionIsNotAnError() {
        #expect(PodStatus.containerErrors(F.pod("p", phase: "Failed", reason: "Evicted")).isEmpty)
    }

    @Test func restartsColumnWithAge() {
        var c = F.terminated(exitCode: 0, reason: "Completed", restarts: 5)
        c["lastState"] = ["terminated": ["finishedAt": "t"]]
        let pod = F.pod("p", containers: [c])
        #expect(PodStatus.restartsColumn(pod, now: 1000, parseTime: { _ in 1000 - 185 }) == "5 (3m5s ago)")
        #expect(PodStatus.restartsColumn(pod, now: 1000, parseTime: { _ in nil }) == "5")
    }

    @Test func humanDuration() {
        #expect(KubeDuration.humanShort(59) == "59s")
        #expect(KubeDuration.humanShort(119) == "119s")
        #expect(KubeDuration.humanShort(600) == "10m")
        #expect(KubeDuration.humanShort(3 * 3600 + 60) == "3h1m")
        #expect(KubeDuration.humanShort(30 * 3600) == "30h")
        #expect(KubeDuration.humanShort(3 * 86400 + 3600) == "3d1h")
    }
}

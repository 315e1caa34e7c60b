import Structured
import Testing
@testable import Tracking

@Suite struct ReadinessProbeWindowTests {
    static let started = "2026-01-01T00:00:00Z"

    static func pod(probe: Value, startup: Value? = nil, running: Bool = true) -> Value {
        var container: Value = ["name": "app", "readinessProbe": probe]
        if let startup { container["startupProbe"] = startup }
        let state: Value = running ? ["running": ["startedAt": .string(started)]] : ["waiting": ["reason": "ContainerCreating"]]
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": "web-1", "namespace": "default", "uid": "p1", "labels": ["app": "web"]],
            "spec": ["containers": [container]],
            "status": ["phase": "Running", "containerStatuses": [["name": "app", "ready": false, "restartCount": 0, "state": state]]],
        ]
    }

    static func event(at time: String) -> Value {
        ["apiVersion": "v1", "kind": "Event", "metadata": ["name": "e1", "namespace": "default"], "reason": "Unhealthy", "type": "Warning",
         "message": "Readiness probe failed: HTTP probe failed with statuscode: 503", "lastTimestamp": .string(time),
         "involvedObject": ["kind": "Pod", "name": "web-1", "uid": "p1", "fieldPath": "spec.containers{app}"]]
    }

    @Test func defaultProbeWindowIs27Seconds() {
        // period 10: initialDelay' 10 + timeout 1 + (3+1-3)·10 + 5 + timeout 1.
        #expect(ReadinessProbeWindow.ignoreWindow(probe: ["httpGet": ["path": "/"]], startup: nil) == 27)
        #expect(ReadinessProbeWindow.ignoreWindow(probe: ["periodSeconds": 5, "initialDelaySeconds": 10, "failureThreshold": 6], startup: nil) == 39.5)
    }

    @Test func startupProbeShortensTheInitialDelay() {
        // S = 10 + 0 + (3+1-1)·10 + 1 + 10 = 51 > 10 → initialDelay' = period = 10: same as without.
        #expect(ReadinessProbeWindow.ignoreWindow(probe: [:], startup: ["httpGet": ["path": "/"]]) == 27)
        // S = 1 + 0 + (1+1-1)·1 + 1 + 10 = 13 < 10 + 60 → initialDelay' = 70 - 13 = 57.
        #expect(ReadinessProbeWindow.ignoreWindow(
            probe: ["initialDelaySeconds": 60], startup: ["periodSeconds": 1, "failureThreshold": 1]) == 74)
    }

    @Test(arguments: [
        ("2026-01-01T00:00:05Z", [String: Value](), true, false),   // inside the 27 s window
        ("2026-01-01T00:00:40Z", [:], true, true),                 // after it
        ("2026-01-01T00:00:05Z", ["failureThreshold": 1], true, true),  // no window with threshold 1
        ("2026-01-01T00:00:40Z", [:], false, false),               // container not started
    ])
    func readinessFailureCountsOnlyOutsideTheWindow(time: String, probe: [String: Value], running: Bool, counted: Bool) {
        let pod = Self.pod(probe: .object(.init(uniqueKeysWithValues: probe.map { ($0.key, $0.value) })), running: running)
        let errors = ProbeEvents.errors(for: pod, events: [Self.event(at: time)])
        #expect(errors.count == (counted ? 1 : 0))
        if counted { #expect(errors.first?.description == "po/web-1 container/app: Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503") }
    }

    @Test func annotationReplacesTheComputedWindow() throws {
        let deployment: Value = [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "web", "namespace": "default", "uid": "d1", "generation": 1,
                         "annotations": ["werf.io/ignore-readiness-probe-fails-for-app": "2s", "werf.io/failures-allowed-per-replica": "0"]],
            "spec": ["replicas": 1, "selector": ["matchLabels": ["app": "web"]], "template": ["metadata": ["labels": ["app": "web"]]]],
            "status": ["observedGeneration": 1, "replicas": 1, "updatedReplicas": 1],
        ]
        let state = try ReadinessRules.state(of: ResourceSnapshot(
            object: deployment, pods: [Self.pod(probe: [:])], events: [Self.event(at: "2026-01-01T00:00:05Z")]))
        #expect(state.phase == .failed)
        #expect(state.errors.map(\.reason) == ["Unhealthy"])
    }
}

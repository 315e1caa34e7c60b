import Structured
import Testing
@testable import Tracking

@Suite struct TrackingAnnotationsTests {
    static func object(_ annotations: [String: Value]) -> Value {
        ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "prod",
                                                                   "annotations": .object(.init(uniqueKeysWithValues: annotations.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))]]
    }

    @Test func defaults() throws {
        let a = try TrackingAnnotations(of: ["kind": "ConfigMap", "metadata": ["name": "x"]])
        #expect(a == TrackingAnnotations())
        #expect(a.trackTerminationMode == .waitUntilResourceReady)
        #expect(a.failMode == .failWholeDeployProcessImmediately)
        #expect(a.failuresAllowedPerReplica == nil)
        #expect(a.noActivityTimeout == 240)
        #expect(a.showLogsOnlyForNumberOfReplicas == 1)
    }

    @Test func everyAnnotationParses() throws {
        let a = try TrackingAnnotations(of: Self.object([
            "werf.io/track-termination-mode": "NonBlocking",
            "werf.io/fail-mode": "HopeUntilEndOfDeployProcess",
            "werf.io/failures-allowed-per-replica": "4",
            "werf.io/no-activity-timeout": "1m30s",
            "werf.io/ignore-readiness-probe-fails-for-app": "2m",
            "werf.io/skip-logs": "TRUE",
            "werf.io/show-service-messages": "1",
            "werf.io/show-logs-only-for-number-of-replicas": "3",
            "werf.io/skip-logs-for-containers": "a, b,,c",
            "werf.io/show-logs-only-for-containers": "app",
            "werf.io/log-regex": "^INFO",
            "werf.io/log-regex-for-app": "x",
            "werf.io/log-regex-skip": "debug",
            "werf.io/log-regex-skip-for-app": "y",
            "helm.sh/hook": "pre-install",
        ]))
        #expect(a.trackTerminationMode == .nonBlocking)
        #expect(a.failMode == .hopeUntilEndOfDeployProcess)
        #expect(a.failuresAllowedPerReplica == 4)
        #expect(a.noActivityTimeout == 90)
        #expect(a.ignoreReadinessProbeFailsFor == ["app": 120])
        #expect(a.skipLogs)
        #expect(a.showServiceMessages)
        #expect(a.showLogsOnlyForNumberOfReplicas == 3)
        #expect(a.skipLogsForContainers == ["a", "b", "c"])
        #expect(a.showLogsOnlyForContainers == ["app"])
        #expect(a.logRegex == "^INFO")
        #expect(a.logRegexFor == ["app": "x"])
        #expect(a.logRegexSkip == "debug")
        #expect(a.logRegexSkipFor == ["app": "y"])
    }

    @Test(arguments: [
        ("werf.io/track-termination-mode", "nonblocking", "WaitUntilResourceReady or NonBlocking"),
        ("werf.io/fail-mode", "Fail", "one of FailWholeDeployProcessImmediately, IgnoreAndContinueDeployProcess, HopeUntilEndOfDeployProcess"),
        ("werf.io/failures-allowed-per-replica", "-1", "an integer >= 0"),
        ("werf.io/failures-allowed-per-replica", "1.5", "an integer >= 0"),
        ("werf.io/no-activity-timeout", "240", "a positive duration such as 90s or 5m"),
        ("werf.io/no-activity-timeout", "0s", "a positive duration such as 90s or 5m"),
        ("werf.io/no-activity-timeout", "-5m", "a positive duration such as 90s or 5m"),
        ("werf.io/ignore-readiness-probe-fails-for-app", "soon", "a duration >= 0 such as 90s or 5m"),
        ("werf.io/skip-logs", "yes", "true or false"),
        ("werf.io/show-service-messages", "on", "true or false"),
        ("werf.io/show-logs-only-for-number-of-replicas", "many", "an integer >= 0"),
    ])
    func badValuesAreErrors(key: String, value: String, expected: String) {
        let error = #expect(throws: TrackingError.self) { try TrackingAnnotations(of: Self.object([key: .string(value)])) }
        #expect(error?.message == "invalid annotation \(key)=\"\(value)\" on Deployment/web (namespace: prod): expected \(expected)")
    }

    @Test func showLogsUntilIsRejected() {
        let error = #expect(throws: TrackingError.self) { try TrackingAnnotations(of: Self.object(["werf.io/show-logs-until": "ready"])) }
        #expect(error?.message == "annotation werf.io/show-logs-until on Deployment/web (namespace: prod) is not supported")
    }

    @Test func unquotedScalarsAreAccepted() throws {
        let a = try TrackingAnnotations(of: Self.object(["werf.io/failures-allowed-per-replica": 2, "werf.io/skip-logs": true]))
        #expect(a.failuresAllowedPerReplica == 2)
        #expect(a.skipLogs)
    }
}

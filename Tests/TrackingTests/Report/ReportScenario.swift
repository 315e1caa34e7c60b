@testable import Tracking

/// A fixed sequence of tracking events (a rollout with a crashing pod, a Job, a claim, a ConfigMap)
/// used by the reporter goldens.
enum ReportScenario {
    static let web = ResourceID(apiVersion: "apps/v1", kind: "Deployment", namespace: "prod", name: "web")
    static let migrate = ResourceID(apiVersion: "batch/v1", kind: "Job", namespace: "prod", name: "migrate-database-schema-to-the-latest-version")
    static let config = ResourceID(apiVersion: "v1", kind: "ConfigMap", namespace: "prod", name: "web-config")
    static let claim = ResourceID(apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: "prod", name: "data")

    static let crash = TrackingFailure(
        subject: "po/web-7d9f8c6b5-fghij container/app", reason: "CrashLoopBackOff",
        message: "back-off 20s restarting failed container=app pod=web-7d9f8c6b5-fghij_prod(0b1c)")

    static var webProgressing: ResourceState {
        ResourceState(
            phase: .progressing, waitingFor: ["up-to-date 2->3", "available 1->3"], errors: [crash], failuresAllowed: 3,
            counts: ResourceCounts(desired: 3, replicas: 4, upToDate: 2, available: 1, ready: 1),
            pods: [
                PodSummary(name: "web-5c6d7e8f9-aaaaa", ready: "1/1", restarts: 0, status: "Running", isNew: false, errors: []),
                PodSummary(name: "web-7d9f8c6b5-abcde", ready: "1/1", restarts: 0, status: "Running", isNew: true, errors: []),
                PodSummary(name: "web-7d9f8c6b5-fghij", ready: "0/1", restarts: 2, status: "CrashLoopBackOff", isNew: true, errors: [crash]),
            ])
    }

    static var jobRunning: ResourceState {
        ResourceState(phase: .progressing, waitingFor: ["pods should be terminated", "succeeded 0->1"],
                      counts: ResourceCounts(desired: 1, active: 1, succeeded: 0, failed: 0),
                      pods: [PodSummary(name: "migrate-database-schema-to-the-latest-version-x7k2p", ready: "1/1", restarts: 0, status: "Running", isNew: true, errors: [])])
    }

    static var claimPending: ResourceState {
        ResourceState(phase: .progressing, counts: ResourceCounts(watchedField: "status.phase: Pending"))
    }

    /// Events up to the first table, with the clock moved between them.
    static func opening(_ clock: ManualReportClock) -> [(Double, TrackingEvent)] {
        [
            (0, .state(config, ResourceState(phase: .ready))),
            (0, .state(web, ResourceState(phase: .progressing, waitingFor: ["observed generation 1 should be >= 2"]))),
            (0, .state(migrate, ResourceState(phase: .progressing, waitingFor: ["pods should be terminated"]))),
            (0, .state(claim, claimPending)),
            (1, .log(migrate, LogLine(pod: "migrate-database-schema-to-the-latest-version-x7k2p", container: "migrate", text: "applying 0042_add_index"))),
            (2, .event(web, ObjectEvent(subject: "po/web-7d9f8c6b5-fghij", type: "Warning", reason: "BackOff", message: "Back-off restarting failed container app"))),
            (0, .notice(web, Notice(.warning, "1/3 allowed errors occurred for Deployment/web: continue tracking"))),
            (1, .state(web, webProgressing)),
            (0, .state(migrate, jobRunning)),
        ]
    }

    /// Events after the first table, to the end.
    static func closing() -> [(Double, TrackingEvent)] {
        var webFailed = webProgressing
        webFailed.phase = .failed
        webFailed.errors = [crash, crash, crash, crash]
        let done = ResourceState(phase: .ready, counts: ResourceCounts(desired: 1, active: 0, succeeded: 1, failed: 0))
        return [
            (3, .state(migrate, done)),
            (4, .state(web, webFailed)),
            (0, .failureLogs(web, LogTail(pod: "web-7d9f8c6b5-fghij", container: "app", lines: ["starting", "panic: config key \"db\" missing"]))),
            (0, .result(TrackingResult(outcomes: [
                ResourceOutcome(id: config, kind: .ready, seconds: 0),
                ResourceOutcome(id: web, kind: .failed, reasons: Array(repeating: crash.description, count: 4), failsDeploy: true, seconds: 8),
                ResourceOutcome(id: migrate, kind: .ready, seconds: 7),
                ResourceOutcome(id: claim, kind: .canceled, reasons: ["stopped: Deployment/web failed"], seconds: 8),
            ]))),
            (0, .finished(ready: [config, migrate], failed: [web])),
        ]
    }
}

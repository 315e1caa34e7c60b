import Foundation
import Kube
import Releases
import Structured
import Tracking

/// Runs a `Plan`: every operation whose dependencies are done starts at once, cluster writes bounded
/// by `parallelism` (waits are not: they hold no connection worth counting), the tracks that become
/// ready together share one tracking session. The first failure stops everything (fail fast).
public struct DeployExecutor: Sendable {
    public let client: any KubeClient
    public let options: DeployOptions

    public init(client: any KubeClient, options: DeployOptions) {
        self.client = client
        self.options = options
    }

    enum Message: Sendable {
        case started(Operation)
        case done(Operation, created: ResourceID?)
        case failed(Operation, String)
        case event(DeployEvent)
        case timeout
    }

    /// Runs `plan`; `timeout` (seconds) bounds the whole run. Never throws: the report says what failed.
    public func execute(_ plan: Plan, timeout: Double? = nil, events: @escaping DeployEventSink) async -> ExecutionReport {
        var report = ExecutionReport()
        var scheduler = PlanScheduler(plan: plan)
        let (stream, continuation) = AsyncStream.makeStream(of: Message.self)
        let limit = max(options.parallelism, 1)
        let created = CreatedObjects()
        await withTaskGroup(of: Void.self) { group in
            if let timeout {
                group.addTask {
                    try? await Task.sleep(for: .seconds(timeout))
                    if !Task.isCancelled { continuation.yield(.timeout) }
                }
            }
            var network: [Operation] = []
            var inFlight = 0
            var running: Set<String> = []

            func launch(_ ready: [Operation], _ group: inout TaskGroup<Void>) {
                var tracks: [Operation] = []
                for op in ready {
                    switch op.kind {
                    case .track: tracks.append(op)
                    case .trackHook, .trackAbsence, .waitEstablished, .waitExternalDependency:
                        running.insert(op.id)
                        group.addTask { await self.run(op, plan: plan, created: created, continuation) }
                    default: network.append(op)
                    }
                }
                if !tracks.isEmpty {
                    for op in tracks { running.insert(op.id) }
                    group.addTask { await self.track(tracks, plan: plan, continuation) }
                }
                while inFlight < limit, !network.isEmpty {
                    let op = network.removeFirst()
                    inFlight += 1
                    running.insert(op.id)
                    group.addTask { await self.run(op, plan: plan, created: created, continuation) }
                }
            }

            launch(scheduler.start(), &group)
            for event in scheduler.takeStageEvents() { events(event) }
            if scheduler.isDone { continuation.finish() }
            for await message in stream {
                switch message {
                case .started(let op):
                    scheduler.noteStarted(op)
                    for event in scheduler.takeStageEvents() { events(event) }
                    if op.kind == .applyHook, let id = op.resource {
                        report.hookRuns[id] = HookRun(startedAt: GoTime.now(), phase: "Running")
                    }
                    events(.operationStarted(op))
                case .done(let op, _):
                    running.remove(op.id)
                    if Self.isNetwork(op.kind) { inFlight -= 1 }
                    if op.kind == .trackHook, let id = op.resource {
                        report.hookRuns[id, default: HookRun()].completedAt = GoTime.now()
                        report.hookRuns[id, default: HookRun()].phase = "Succeeded"
                    }
                    report.completed.insert(op.id)
                    events(.operationFinished(op))
                    let ready = scheduler.finish(op.id)
                    for event in scheduler.takeStageEvents() { events(event) }
                    launch(ready, &group)
                case .failed(let op, let reason):
                    running.remove(op.id)
                    if Self.isNetwork(op.kind) { inFlight -= 1 }
                    if op.kind == .trackHook, let id = op.resource {
                        report.hookRuns[id, default: HookRun()].completedAt = GoTime.now()
                        report.hookRuns[id, default: HookRun()].phase = "Failed"
                    }
                    report.failures.append(reason)
                    events(.operationFailed(op, reason: reason))
                case .event(let event):
                    events(event)
                case .timeout:
                    report.timedOut = true
                    let waiting = running.sorted().prefix(5).joined(separator: ", ")
                    report.failures.append("timed out after \(Self.seconds(timeout ?? 0)) waiting for: \(waiting)")
                }
                if !report.failures.isEmpty || scheduler.isDone { break }
            }
            continuation.finish()
            group.cancelAll()
        }
        // Read after every task ended: creates still in flight when a failure stopped the run count too.
        report.created = created.ids
        return report
    }

    static func isNetwork(_ kind: Operation.Kind) -> Bool {
        switch kind {
        case .track, .trackHook, .trackAbsence, .waitEstablished, .waitExternalDependency, .barrier: return false
        default: return true
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }

    /// One operation other than `track`.
    func run(_ op: Operation, plan: Plan, created registry: CreatedObjects, _ continuation: AsyncStream<Message>.Continuation) async {
        continuation.yield(.started(op))
        do {
            let created = try await perform(op, plan: plan, continuation)
            if let created { registry.append(created) }
            continuation.yield(.done(op, created: created))
        } catch {
            continuation.yield(.failed(op, "\(op.resource.map { "\($0)" } ?? op.id): \(error)"))
        }
    }

    /// Tracks that became ready together: one session for all of them; each completes on its own.
    func track(_ ops: [Operation], plan: Plan, _ continuation: AsyncStream<Message>.Continuation) async {
        var byID: [Tracking.ResourceID: Operation] = [:]
        var objects: [Value] = []
        for op in ops {
            continuation.yield(.started(op))
            guard let id = op.resource, let resource = plan.resources[id] else {
                continuation.yield(.done(op, created: nil))
                continue
            }
            // Kinds the rules call ready as soon as they exist: the apply already proved that.
            if Self.readyOnceApplied.contains(id.kind) {
                continuation.yield(.done(op, created: nil))
                continue
            }
            byID[Tracking.ResourceID(resource.manifest)] = op
            objects.append(resource.manifest)
        }
        await follow(objects, byID, plan: plan, continuation)
    }

    /// Kinds ready once they exist (Tracking's rules), not worth an informer.
    static let readyOnceApplied: Set<String> = [
        "ConfigMap", "Secret", "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "Service",
        "Ingress", "NetworkPolicy", "LimitRange", "ResourceQuota", "PriorityClass", "CronJob", "Namespace",
        "HorizontalPodAutoscaler",
    ]

    /// Follow a tracking session until every object in `byID` is ready (done) or failed.
    func follow(_ objects: [Value], _ pending: [Tracking.ResourceID: Operation], plan: Plan,
                _ continuation: AsyncStream<Message>.Continuation) async {
        var byID = pending
        for _ in 0..<5 where !byID.isEmpty && !Task.isCancelled {
            let remaining = objects.filter { byID[Tracking.ResourceID($0)] != nil }
            await followOnce(remaining, &byID, plan: plan, continuation)
        }
        if Task.isCancelled { return }
        for (_, op) in byID { continuation.yield(.failed(op, "\(op.id): tracking ended before a final state")) }
    }

    /// One tracking session; returns with `byID` holding the operations still without a verdict.
    private func followOnce(_ objects: [Value], _ byID: inout [Tracking.ResourceID: Operation], plan: Plan,
                            _ continuation: AsyncStream<Message>.Continuation) async {
        guard !byID.isEmpty else { return }
        do {
            let stream = try TrackingSession(client: client).track(objects)
            for try await event in stream {
                continuation.yield(.event(.tracking(event)))
                guard case .state(let id, let state) = event, let op = byID[id] else { continue }
                switch state.phase {
                case .ready:
                    byID[id] = nil
                    continuation.yield(.done(op, created: nil))
                case .failed:
                    byID[id] = nil
                    let reasons = state.errors.map(\.description).joined(separator: "; ")
                    if op.deleteOnFailure, let resource = op.resource.flatMap({ plan.resources[$0] }) {
                        _ = try? await deleteObject(resource, propagation: .background)
                    }
                    continuation.yield(.failed(op, "\(op.resource.map { "\($0)" } ?? op.id) failed: \(reasons.isEmpty ? "see its status" : reasons)"))
                default: break
                }
                if byID.isEmpty { return }
            }
        } catch {
            if Task.isCancelled { return }
            for (_, op) in byID { continuation.yield(.failed(op, "\(op.id): tracking failed: \(error)")) }
            byID = [:]
        }
    }
}

/// Objects created by a run, in creation order; appended to from many tasks.
final class CreatedObjects: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [ResourceID] = []
    func append(_ id: ResourceID) { lock.withLock { list.append(id) } }
    var ids: [ResourceID] { lock.withLock { list } }
}

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
    /// Informers shared by every tracking step of one run (one LIST + WATCH per kind and namespace).
    var hub: InformerHub?
    /// What the applies of this run returned, so tracking ignores older versions its informers hold.
    let applied = AppliedObjects()

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
        await withSharedInformers { executor in
            await executor.hub?.warm(Self.warmRequests(plan))
            return await executor.runPlan(plan, timeout: timeout, events: events)
        }
    }

    /// The workloads the plan will track (built-in kinds only: a CRD's kind may not be served yet):
    /// their informers are opened when the run starts, so tracking finds them listed and watching.
    static func warmRequests(_ plan: Plan) -> [TrackingRequest] {
        let builtIn: Set<String> = ["apps/v1 Deployment", "apps/v1 StatefulSet", "apps/v1 DaemonSet", "apps/v1 ReplicaSet",
                                    "batch/v1 Job", "v1 Pod"]
        var seen: Set<String> = []
        var requests: [TrackingRequest] = []
        for op in plan.operations where op.kind == .track || op.kind == .trackHook {
            guard let id = op.resource, let resource = plan.resources[id],
                  builtIn.contains("\(resource.apiVersion) \(id.kind)"), seen.insert("\(resource.apiVersion) \(id.kind) \(id.namespace ?? "")").inserted
            else { continue }
            var object = resource.manifest
            if let namespace = id.namespace { object.set(["metadata", "namespace"], .string(namespace)) }
            requests.append(TrackingRequest(object, goal: op.kind == .trackHook ? .completed : .ready))
        }
        return requests
    }

    /// Runs `body` with a copy of this executor whose waits share one set of informers, closed after.
    func withSharedInformers<T: Sendable>(_ body: @Sendable (DeployExecutor) async -> T) async -> T {
        var executor = self
        let hub = InformerHub(client: client)
        executor.hub = hub
        let result = await body(executor)
        await hub.close()
        return result
    }

    private func runPlan(_ plan: Plan, timeout: Double?, events: @escaping DeployEventSink) async -> ExecutionReport {
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
                    case .trackHook, .trackAbsence, .waitExternalDependency:
                        running.insert(op.id)
                        group.addTask { await self.track([op], plan: plan, continuation) }
                    case .waitEstablished:
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
            if Task.isCancelled, report.failures.isEmpty, !scheduler.isDone {
                report.interrupted = true
                report.failures.append("interrupted")
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

    /// One operation other than the tracking ones.
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
}

/// Objects created by a run, in creation order; appended to from many tasks.
final class CreatedObjects: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [ResourceID] = []
    func append(_ id: ResourceID) { lock.withLock { list.append(id) } }
    var ids: [ResourceID] { lock.withLock { list } }
}

/// The objects as the applies of a run returned them (uid, generation), by resource.
final class AppliedObjects: @unchecked Sendable {
    private let lock = NSLock()
    private var objects: [ResourceID: Value] = [:]
    subscript(id: ResourceID) -> Value? {
        get { lock.withLock { objects[id] } }
        set { lock.withLock { objects[id] = newValue } }
    }
}

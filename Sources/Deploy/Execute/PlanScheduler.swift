/// Which operations of a plan may start: dependency counting, barriers passed through at once, and
/// the stage each operation belongs to (for stage events). Pure bookkeeping, no I/O.
struct PlanScheduler {
    let plan: Plan
    private var waitingOn: [String: Int] = [:]
    private var dependents: [String: [String]] = [:]
    private(set) var finished: Set<String> = []
    /// Operation id -> stage name; stage name -> number of operations left.
    let stageOf: [String: String]
    private var stageLeft: [String: Int] = [:]
    private var stagesStarted: Set<String> = []
    /// Stage events produced by the last call, in order.
    var stageEvents: [DeployEvent] = []

    init(plan: Plan) {
        self.plan = plan
        for op in plan.operations {
            waitingOn[op.id] = op.dependencies.count
            for dependency in op.dependencies { dependents[dependency, default: []].append(op.id) }
        }
        stageOf = Self.stages(of: plan)
        for (_, stage) in stageOf { stageLeft[stage, default: 0] += 1 }
    }

    var isDone: Bool { finished.count == plan.operations.count }

    /// Operations ready at the start (barriers already passed).
    mutating func start() -> [Operation] {
        resolve(plan.operations.filter { $0.dependencies.isEmpty })
    }

    /// Mark `id` done; returns the work operations that became ready.
    mutating func finish(_ id: String) -> [Operation] {
        resolve(markFinished(id))
    }

    /// The stage events produced since the last call.
    mutating func takeStageEvents() -> [DeployEvent] {
        defer { stageEvents = [] }
        return stageEvents
    }

    mutating func noteStarted(_ op: Operation) {
        guard let stage = stageOf[op.id], stagesStarted.insert(stage).inserted else { return }
        stageEvents.append(.stageStarted(stage))
    }

    private mutating func markFinished(_ id: String) -> [Operation] {
        guard finished.insert(id).inserted else { return [] }
        if let stage = stageOf[id] {
            stageLeft[stage, default: 1] -= 1
            if stageLeft[stage] == 0 { stageEvents.append(.stageFinished(stage)) }
        }
        var ready: [Operation] = []
        for dependent in dependents[id] ?? [] {
            waitingOn[dependent, default: 1] -= 1
            if waitingOn[dependent] == 0, let op = plan[dependent] { ready.append(op) }
        }
        return ready
    }

    /// Pass barriers through until only work operations are left.
    private mutating func resolve(_ ops: [Operation]) -> [Operation] {
        var work: [Operation] = []
        var queue = ops
        while !queue.isEmpty {
            let op = queue.removeFirst()
            if op.kind == .barrier {
                noteStarted(op)
                queue += markFinished(op.id)
            } else {
                work.append(op)
            }
        }
        return work
    }

    /// Stage barriers are named `after <stage>` (not `after apply ...` nor the kind-step barriers);
    /// an operation belongs to the first stage barrier that waits for it.
    static func stages(of plan: Plan) -> [String: String] {
        var result: [String: String] = [:]
        for op in plan.operations where op.kind == .barrier {
            let name = String(op.id.dropFirst("barrier after ".count))
            guard op.id.hasPrefix("barrier after "), !name.hasPrefix("apply "), !name.contains(" in ") else { continue }
            var stack = [op.id]
            while let id = stack.popLast() {
                guard result[id] == nil, let current = plan[id] else { continue }
                result[id] = name
                stack += current.dependencies
            }
        }
        return result
    }
}

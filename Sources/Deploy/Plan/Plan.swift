/// A deploy built as data: a DAG of operations plus the resources they act on. Nothing here talks
/// to a cluster; the executor runs it, `bosun plan` prints it, tests assert it.
public struct Plan: Sendable {
    /// In a topological order (dependencies first; ties in the order the planner added them).
    public private(set) var operations: [Operation]
    /// Manifests and annotations of every resource an operation names.
    public var resources: [ResourceID: ResourceMetadata]
    private var index: [String: Int]

    init(operations: [Operation], resources: [ResourceID: ResourceMetadata]) {
        self.operations = operations
        self.resources = resources
        index = Dictionary(uniqueKeysWithValues: operations.enumerated().map { ($1.id, $0) })
    }

    public subscript(id: String) -> Operation? { index[id].map { operations[$0] } }

    public var ids: [String] { operations.map(\.id) }

    /// Operations that do work (barriers left out).
    public var work: [Operation] { operations.filter { $0.kind != .barrier } }

    public var isEmpty: Bool { work.isEmpty }

    /// Whether `later` cannot start before `earlier` finished (a path of dependencies between them).
    public func orders(_ earlier: String, before later: String) -> Bool {
        guard let start = index[later], index[earlier] != nil else { return false }
        var seen: Set<String> = []
        var stack = operations[start].dependencies
        while let id = stack.popLast() {
            if id == earlier { return true }
            guard seen.insert(id).inserted, let i = index[id] else { continue }
            stack += operations[i].dependencies
        }
        return false
    }

    /// Whether neither operation waits for the other, so they may run at the same time.
    public func mayRunTogether(_ a: String, _ b: String) -> Bool {
        index[a] != nil && index[b] != nil && !orders(a, before: b) && !orders(b, before: a)
    }

    /// Work operations grouped by depth (longest chain of work operations before them): each level
    /// can start once the levels before it are done. Barriers pass depth through.
    public var levels: [[String]] {
        var depth: [String: Int] = [:]
        var result: [[String]] = []
        for op in operations {
            let before = op.dependencies.map { depth[$0] ?? 0 }.max() ?? 0
            let mine = op.kind == .barrier ? before : before + 1
            depth[op.id] = mine
            guard op.kind != .barrier else { continue }
            while result.count < mine { result.append([]) }
            result[mine - 1].append(op.id)
        }
        return result
    }

    /// One line per operation in execution order: `id  <- dependency, ...`.
    public var text: String {
        operations.map { op in
            var line = op.id
            if op.deleteOnFailure { line += " [delete on failure]" }
            if !op.dependencies.isEmpty { line += "  <- " + op.dependencies.joined(separator: ", ") }
            return line
        }.joined(separator: "\n")
    }
}

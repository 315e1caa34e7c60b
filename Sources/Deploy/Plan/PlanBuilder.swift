/// Accumulates operations and edges, then orders them into a `Plan` (reporting cycles).
struct PlanBuilder {
    private(set) var operations: [Operation] = []
    private var index: [String: Int] = [:]
    var resources: [ResourceID: ResourceMetadata] = [:]

    func contains(_ id: String) -> Bool { index[id] != nil }

    /// Adds an operation (or returns the existing one with that id, e.g. a shared external dependency).
    @discardableResult
    mutating func add(_ kind: Operation.Kind, _ subject: String, note: String? = nil, resource: ResourceMetadata? = nil,
                      external: ExternalDependency? = nil, after dependencies: [String] = [],
                      deleteOnFailure: Bool = false) -> String {
        let id = Operation.makeID(kind, subject, note: note)
        if let resource { resources[resource.id] = resource }
        if index[id] == nil {
            index[id] = operations.count
            operations.append(Operation(id: id, kind: kind, resource: resource?.id, external: external,
                                        deleteOnFailure: deleteOnFailure))
        }
        depend(id, on: dependencies)
        return id
    }

    mutating func depend(_ id: String, on dependencies: [String]) {
        guard let i = index[id] else { return }
        for dependency in dependencies where dependency != id && !operations[i].dependencies.contains(dependency) {
            operations[i].dependencies.append(dependency)
        }
    }

    /// Kahn's algorithm, ties broken by insertion order; a cycle is reported with its members.
    func build() throws(DeployError) -> Plan {
        var remaining = operations.map { Set($0.dependencies) }
        var dependents: [String: [Int]] = [:]
        for (i, op) in operations.enumerated() { for d in op.dependencies { dependents[d, default: []].append(i) } }
        var ready = Heap(operations.indices.filter { remaining[$0].isEmpty })
        var ordered: [Operation] = []
        while let i = ready.popMin() {
            var op = operations[i]
            op.dependencies.sort()
            ordered.append(op)
            for j in dependents[op.id] ?? [] {
                remaining[j].remove(op.id)
                if remaining[j].isEmpty { ready.insert(j) }
            }
        }
        guard ordered.count == operations.count else {
            let stuck = operations.indices.filter { !remaining[$0].isEmpty }.map { operations[$0].id }
                .filter { !$0.hasPrefix("barrier") }
            throw .invalidDependencies(["dependency cycle among: " + stuck.joined(separator: "; ")])
        }
        return Plan(operations: ordered, resources: resources)
    }
}

/// A minimal binary min-heap of insertion indices.
private struct Heap {
    private var items: [Int] = []
    init(_ values: [Int]) { for v in values { insert(v) } }
    mutating func insert(_ v: Int) {
        items.append(v)
        var i = items.count - 1
        while i > 0, items[(i - 1) / 2] > items[i] { items.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
    }
    mutating func popMin() -> Int? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let min = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count, items[l] < items[m] { m = l }
            if r < items.count, items[r] < items[m] { m = r }
            if m == i { break }
            items.swapAt(i, m); i = m
        }
        return min
    }
}

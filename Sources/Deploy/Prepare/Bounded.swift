import Structured

/// Runs `body` over `items` with at most `limit` in flight; results in the order of `items`.
func boundedMap<T: Sendable, R: Sendable>(_ items: [T], limit: Int, _ body: @escaping @Sendable (T) async -> R) async -> [R] {
    guard !items.isEmpty else { return [] }
    return await withTaskGroup(of: (Int, R).self) { group in
        var results = [R?](repeating: nil, count: items.count)
        var next = 0
        func start() {
            let index = next
            let item = items[index]
            next += 1
            group.addTask { (index, await body(item)) }
        }
        while next < min(max(limit, 1), items.count) { start() }
        while let (index, result) = await group.next() {
            results[index] = result
            if next < items.count { start() }
        }
        return results.map { $0! }
    }
}

extension Value {
    /// Sets a member at a path of object keys, creating objects on the way.
    mutating func set(_ keys: [String], _ newValue: Value) {
        guard let first = keys.first else { self = newValue; return }
        if objectValue == nil { self = .emptyObject }
        var child = self[first] ?? .emptyObject
        if keys.count > 1, child.objectValue == nil { child = .emptyObject }
        child.set(Array(keys.dropFirst()), newValue)
        self[first] = child
    }

    /// Equality that ignores the order of object members (the server may reorder them).
    func sameContent(as other: Value) -> Bool {
        switch (self, other) {
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let theirs = b[key], value.sameContent(as: theirs) else { return false }
            }
            return true
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameContent(as: $1) }
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        default: return self == other
        }
    }
}


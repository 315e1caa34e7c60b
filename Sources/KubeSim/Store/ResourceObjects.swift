import Structured

/// The stored objects of one resource, indexed by namespace with names kept sorted, so a get is one
/// hash lookup and a list of one namespace walks only that namespace, in key order, without sorting
/// or copying the rest of the resource (10,000 objects in one namespace must not slow a list of
/// another).
struct ResourceObjects: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// One namespace ("" for cluster-scoped objects).
    struct Namespace: Sendable {
        var objects: [String: Value] = [:]
        /// Names in ascending order (binary-search insertion: a create moves pointers, never sorts).
        var names: [String] = []
    }

    private var namespaces: [String: Namespace] = [:]
    /// Namespace names in ascending order.
    private var namespaceOrder: [String] = []
    private(set) var count = 0

    init() {}

    init(dictionaryLiteral elements: (ObjectKey, Value)...) {
        for (key, value) in elements { self[key] = value }
    }

    var isEmpty: Bool { count == 0 }

    subscript(key: ObjectKey) -> Value? {
        get { namespaces[key.namespace]?.objects[key.name] }
        set {
            if let newValue {
                if namespaces[key.namespace] == nil {
                    namespaceOrder.insert(key.namespace, at: Self.insertionPoint(of: key.namespace, in: namespaceOrder))
                    namespaces[key.namespace] = Namespace()
                }
                let added = namespaces[key.namespace]!.objects.updateValue(newValue, forKey: key.name) == nil
                if added {
                    count += 1
                    namespaces[key.namespace]!.names.insertSorted(key.name)
                }
            } else if namespaces[key.namespace]?.objects.removeValue(forKey: key.name) != nil {
                count -= 1
                namespaces[key.namespace]!.names.removeSorted(key.name)
                if namespaces[key.namespace]!.objects.isEmpty {
                    namespaces[key.namespace] = nil
                    namespaceOrder.removeSorted(key.namespace)
                }
            }
        }
    }

    /// Keys in list order (namespace, then name), of one namespace or (nil) all of them, starting
    /// after `after` when given.
    func keys(namespace: String?, after: ObjectKey? = nil) -> [ObjectKey] {
        var result: [ObjectKey] = []
        let spaces: [String] = namespace.map { [$0] } ?? namespaceOrder
        for ns in spaces {
            guard let bucket = namespaces[ns] else { continue }
            if let after, ns < after.namespace { continue }
            var start = 0
            if let after, ns == after.namespace {
                start = Self.insertionPoint(of: after.name, in: bucket.names)
                if start < bucket.names.count, bucket.names[start] == after.name { start += 1 }
            }
            result.reserveCapacity(result.count + bucket.names.count - start)
            for name in bucket.names[start...] { result.append(ObjectKey(namespace: ns, name: name)) }
        }
        return result
    }

    /// Number of objects in one namespace (nil: all).
    func count(namespace: String?) -> Int {
        guard let namespace else { return count }
        return namespaces[namespace]?.objects.count ?? 0
    }

    /// Entries in list order.
    func makeIterator() -> some IteratorProtocol<(key: ObjectKey, value: Value)> {
        let keys = keys(namespace: nil)
        var index = 0
        let storage = self
        return AnyIterator {
            guard index < keys.count else { return nil }
            let key = keys[index]
            index += 1
            return (key, storage[key]!)
        }
    }

    static func insertionPoint(of name: String, in sorted: [String]) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < name { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

private extension Array where Element == String {
    mutating func insertSorted(_ name: String) {
        insert(name, at: ResourceObjects.insertionPoint(of: name, in: self))
    }

    mutating func removeSorted(_ name: String) {
        let i = ResourceObjects.insertionPoint(of: name, in: self)
        if i < count, self[i] == name { remove(at: i) }
    }
}

import OrderedCollections
import Structured

/// A set of field paths in the FieldsV1 shape of `metadata.managedFields`: a tree whose keys are
/// path elements (`f:name`, `k:{"name":"web"}`, `v:"value"`, `i:0`) and whose `.` marks a node that
/// is itself a member (list items, leaves with children).
public struct FieldSet: Sendable, Hashable {
    public var isMember = false
    public var children: [String: FieldSet] = [:]

    public init() {}

    public var isEmpty: Bool { !isMember && children.isEmpty }

    /// Parse `fieldsV1`: a node with "." or without children is a member.
    public init(fieldsV1: Value) {
        let object = fieldsV1.objectValue ?? [:]
        for (key, child) in object {
            if key == "." { isMember = true } else { children[key] = FieldSet(fieldsV1: child) }
        }
        if object.isEmpty { isMember = true }
    }

    /// Serialize as `fieldsV1`: "." first, then elements in structured-merge-diff order
    /// (fields, keys, values, indexes; each sorted).
    public var fieldsV1: Value {
        var object = OrderedDictionary<String, Value>(minimumCapacity: children.count + 1)
        if isMember && !children.isEmpty { object["."] = .object([:]) }
        let ranked = children.map { (rank: Self.rank($0.key), key: $0.key, child: $0.value) }
        for entry in ranked.sorted(by: { $0.rank == $1.rank ? $0.key < $1.key : $0.rank < $1.rank }) {
            object[entry.key] = entry.child.fieldsV1
        }
        return .object(object)
    }

    static func elementOrder(_ a: String, _ b: String) -> Bool {
        let ra = rank(a), rb = rank(b)
        return ra == rb ? a < b : ra < rb
    }

    /// Fields, keys, values, then the rest (by the element's first two characters).
    static func rank(_ s: String) -> Int {
        let utf8 = s.utf8
        var bytes = utf8.makeIterator()
        let first = bytes.next(), second = bytes.next(), third = bytes.next()
        // Only a third byte beyond ASCII could join the ':' into a longer character.
        if second == UInt8(ascii: ":"), third.map({ $0 < 0x80 }) ?? true {
            switch first {
            case UInt8(ascii: "f"): return 0
            case UInt8(ascii: "k"): return 1
            case UInt8(ascii: "v"): return 2
            default: return 3
            }
        }
        guard third.map({ $0 >= 0x80 }) ?? false else { return 3 }
        switch s.prefix(2) { case "f:": return 0; case "k:": return 1; case "v:": return 2; default: return 3 }
    }

    /// All member paths (each a list of elements).
    public var paths: [[String]] {
        var result: [[String]] = []
        func walk(_ set: FieldSet, _ prefix: [String]) {
            if set.isMember && !prefix.isEmpty { result.append(prefix) }
            for (k, child) in set.children { walk(child, prefix + [k]) }
        }
        walk(self, [])
        return result
    }

    /// Member paths without members below them (the values a conflict compares).
    public var leafPaths: [[String]] {
        paths.filter { path in
            var node = self
            for element in path { node = node.children[element]! }
            return node.children.isEmpty
        }
    }

    public mutating func insert(_ path: [String]) { insert(path[...]) }

    /// In place down the tree: a child copied out and written back would copy its whole subtree.
    private mutating func insert(_ path: ArraySlice<String>) {
        guard let first = path.first else { isMember = true; return }
        children[first, default: FieldSet()].insert(path.dropFirst())
    }

    public func contains(_ path: [String]) -> Bool {
        var node = self
        for element in path {
            guard let child = node.children[element] else { return false }
            node = child
        }
        return node.isMember
    }

    public mutating func remove(_ path: [String]) { remove(path[...]) }

    private mutating func remove(_ path: ArraySlice<String>) {
        guard let first = path.first else { isMember = false; return }
        guard children[first] != nil else { return }
        children[first]!.remove(path.dropFirst())
        if children[first]!.isEmpty { children[first] = nil }
    }

    public func union(_ other: FieldSet) -> FieldSet {
        var result = self
        for path in other.paths { result.insert(path) }
        return result
    }

    public func subtracting(_ other: FieldSet) -> FieldSet {
        var result = self
        for path in other.paths where result.contains(path) { result.remove(path) }
        return result
    }

    /// `.spec.containers[name="web"].image`, as structured-merge-diff prints paths in conflicts.
    public static func describe(_ path: [String]) -> String {
        var out = ""
        for element in path {
            let body = String(element.dropFirst(2))
            switch element.prefix(2) {
            case "f:": out += "." + body
            case "k:":
                if let object = try? JSON.decode(body).objectValue {
                    out += "[" + object.map { "\($0.key)=\(JSON.wireString($0.value))" }.joined(separator: ",") + "]"
                } else { out += "[\(body)]" }
            case "v:": out += "[=\(body)]"
            case "i:": out += "[\(body)]"
            default: out += "." + element
            }
        }
        return out
    }
}

/// Builds field sets from objects and navigates objects by field-set paths, using the built-in
/// list semantics of `PatchSchema`.
struct FieldPaths {
    var schema: PatchSchema
    var kind: String

    /// Fields present in `object` (structured-merge-diff's ToFieldSet): scalars, atomic values and
    /// list items are members; non-empty maps only through their children. `ignoring` top-level
    /// system fields.
    func fieldSet(of object: Value, skipSystem: Bool = true) -> FieldSet {
        var set = FieldSet()
        var root = object
        if skipSystem { root = Self.stripSystem(object) }
        var names: [String] = [], elements: [String] = []
        walkMap(root, names: &names, elements: &elements, into: &set)
        return set
    }

    static func stripSystem(_ object: Value) -> Value {
        var root = object
        root["apiVersion"] = nil
        root["kind"] = nil
        root["status"] = nil
        if var meta = root["metadata"]?.objectValue {
            for key in ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
                        "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"] { meta[key] = nil }
            root["metadata"] = meta.isEmpty ? nil : .object(meta)
        }
        return root
    }

    /// `names` and `elements` are the path down to `value`, pushed and popped in place.
    private func walkMap(_ value: Value, names: inout [String], elements: inout [String], into set: inout FieldSet) {
        guard case .object(let fields) = value else { return }
        for (key, child) in fields {
            names.append(key)
            elements.append("f:" + key)
            walk(child, names: &names, elements: &elements, into: &set)
            names.removeLast()
            elements.removeLast()
        }
    }

    private func walk(_ value: Value, names: inout [String], elements: inout [String], into set: inout FieldSet) {
        switch value {
        case .object(let o):
            if o.isEmpty || schema.isAtomicMap(at: names, kind: kind) { set.insert(elements); return }
            walkMap(value, names: &names, elements: &elements, into: &set)
        case .array(let items):
            switch schema.list(at: names) {
            case .atomic: set.insert(elements)
            case .set:
                for item in items { set.insert(elements + ["v:" + JSON.wireString(item)]) }
            case .map(let keys):
                for item in items {
                    elements.append(Self.keyElement(item, keys))
                    walkMap(item, names: &names, elements: &elements, into: &set)
                    set.insert(elements)
                    elements.removeLast()
                }
            }
        default:
            set.insert(elements)
        }
    }

    static func keyElement(_ item: Value, _ keys: [String]) -> String {
        var keyObject: Value = .object([:])
        for key in keys.sorted() {
            if let v = item[key] { keyObject[key] = v } else if key == "protocol" { keyObject[key] = "TCP" }
        }
        return "k:" + JSON.wireString(keyObject)
    }

    /// The value at a field-set path, nil when absent.
    func value(in object: Value, at path: [String]) -> Value? {
        var current: Value? = object
        var names: [String] = []
        for element in path {
            guard let here = current else { return nil }
            let body = String(element.dropFirst(2))
            switch element.prefix(2) {
            case "f:": current = here[body]; names.append(body)
            case "k:":
                guard case .map(let keys) = schema.list(at: names) else { return nil }
                current = here.arrayValue?.first { Self.keyElement($0, keys) == element }
            case "v:": current = here.arrayValue?.first { JSON.wireString($0) == body }
            default: return nil
            }
        }
        return current
    }

    /// Remove the node at a field-set path (a field, a list item, a set value).
    func remove(from object: inout Value, at path: [String]) {
        guard let first = path.first else { return }
        let body = String(first.dropFirst(2))
        removeInner(&object, element: first, body: body, rest: Array(path.dropFirst()), names: [])
    }

    private func removeInner(_ object: inout Value, element: String, body: String, rest: [String], names: [String]) {
        switch element.prefix(2) {
        case "f:":
            guard object.objectValue != nil else { return }
            if rest.isEmpty { object[body] = nil; return }
            guard var child = object[body] else { return }
            object[body] = .null
            let next = rest[0]
            removeInner(&child, element: next, body: String(next.dropFirst(2)), rest: Array(rest.dropFirst()), names: names + [body])
            object[body] = child
        case "k:", "v:":
            guard var items = object.arrayValue else { return }
            let index: Int?
            if element.hasPrefix("k:"), case .map(let keys) = schema.list(at: names) {
                index = items.firstIndex { Self.keyElement($0, keys) == element }
            } else {
                index = items.firstIndex { JSON.wireString($0) == body }
            }
            guard let index else { return }
            if rest.isEmpty { items.remove(at: index) } else {
                let next = rest[0]
                removeInner(&items[index], element: next, body: String(next.dropFirst(2)), rest: Array(rest.dropFirst()), names: names)
            }
            object = .array(items)
        default: return
        }
    }
}

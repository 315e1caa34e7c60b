import Structured

/// Server-side apply (`application/apply-patch+yaml`): merge the applied configuration into the
/// live object, fail on conflicts with other managers unless forced, and drop fields the manager
/// applied before but no longer does (when nobody else owns them).
struct ServerSideApply {
    var manager: FieldManager
    var type: ResourceType

    init(type: ResourceType) {
        self.type = type
        manager = FieldManager(type: type)
    }

    /// The object to store (managedFields already set). `live` nil means create.
    func apply(live: Value?, applied input: Value, managerName: String, force: Bool, subresource: String?) throws(APIError) -> Value {
        var applied = input
        applied["status"] = subresource == "status" ? input["status"] : nil
        if subresource == "status" {
            applied = ["status": input["status"] ?? .null]
        }
        let appliedSet = manager.paths.fieldSet(of: applied, skipSystem: subresource != "status")
        var entries = FieldManager.entries(live)
        let apiVersion = type.apiVersion
        let now = Timestamp.now()
        guard let live else {
            var created = input
            created.setMetadata("managedFields", nil)
            FieldManager.set([.init(manager: managerName, operation: "Apply", apiVersion: apiVersion, time: now,
                                    subresource: subresource, fields: appliedSet)], on: &created)
            return created
        }

        // Conflicts: fields another manager owns whose value this apply changes.
        var conflicts: [(entry: Int, path: [String])] = []
        for (i, entry) in entries.enumerated() where !entry.same(managerName, "Apply", subresource) {
            for path in appliedSet.leafPaths where entry.fields.contains(path) {
                if !Self.same(manager.paths.value(in: applied, at: path), manager.paths.value(in: live, at: path)) {
                    conflicts.append((i, path))
                }
            }
        }
        conflicts.sort { a, b in
            for (x, y) in zip(a.path, b.path) where x != y { return FieldSet.elementOrder(x, y) }
            return a.path.count < b.path.count
        }
        if !conflicts.isEmpty {
            if !force { throw conflictError(conflicts.map { (entries[$0.entry], $0.path) }) }
            for c in conflicts { entries[c.entry].fields.remove(c.path) }
        }

        var merged = merge(live, applied, names: [])
        // Fields this manager applied last time and dropped now, owned by no one else, go away.
        if let previous = entries.first(where: { $0.same(managerName, "Apply", subresource) }) {
            let others = entries.filter { !$0.same(managerName, "Apply", subresource) }
            let dropped = previous.fields.paths.filter { !appliedSet.contains($0) }.sorted { $0.count > $1.count }
            for path in dropped where !others.contains(where: { ownsWithin($0.fields, path) }) {
                manager.paths.remove(from: &merged, at: path)
            }
        }
        if let i = entries.firstIndex(where: { $0.same(managerName, "Apply", subresource) }) {
            if entries[i].fields != appliedSet { entries[i].time = now }
            entries[i].fields = appliedSet
            entries[i].apiVersion = apiVersion
        } else {
            entries.append(.init(manager: managerName, operation: "Apply", apiVersion: apiVersion, time: now,
                                 subresource: subresource, fields: appliedSet))
        }
        FieldManager.set(entries, on: &merged)
        merged.setMetadata("resourceVersion", input[path: "metadata", "resourceVersion"] ?? nil)
        return merged
    }

    static func same(_ a: Value?, _ b: Value?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let x?, let y?): return x.sameContent(as: y)
        default: return false
        }
    }

    private func ownsWithin(_ set: FieldSet, _ path: [String]) -> Bool {
        var node = set
        for element in path {
            guard let child = node.children[element] else { return false }
            node = child
        }
        return !node.isEmpty
    }

    /// Apply semantics of merging: granular maps merge, associative lists merge by key, sets union,
    /// atomic values replace.
    func merge(_ live: Value, _ applied: Value, names: [String]) -> Value {
        switch applied {
        case .object(let a):
            if names.count > 0 && manager.paths.schema.isAtomicMap(at: names, kind: type.kind) { return applied }
            var result = live.objectValue != nil ? live : .object([:])
            for (key, value) in a {
                if names.isEmpty && key == "metadata", var meta = value.objectValue {
                    meta["managedFields"] = nil
                    meta["resourceVersion"] = nil
                    result[key] = merge(result[key] ?? .null, .object(meta), names: [key])
                    continue
                }
                result[key] = merge(result[key] ?? .null, value, names: names + [key])
            }
            return result
        case .array(let items):
            switch manager.paths.schema.list(at: names) {
            case .atomic: return applied
            case .set:
                var result = live.arrayValue ?? []
                for item in items where !result.contains(item) { result.append(item) }
                return .array(result)
            case .map(let keys):
                var result = live.arrayValue ?? []
                for item in items {
                    let element = FieldPaths.keyElement(item, keys)
                    if let i = result.firstIndex(where: { FieldPaths.keyElement($0, keys) == element }) {
                        result[i] = merge(result[i], item, names: names)
                    } else {
                        result.append(item)
                    }
                }
                return .array(result)
            }
        default:
            return applied
        }
    }

    /// 409 worded as structured-merge-diff words it through the API server.
    private func conflictError(_ conflicts: [(FieldManager.Entry, [String])]) -> APIError {
        let causes = conflicts.map { APIError.Cause(type: "FieldManagerConflict", message: "conflict with \($0.0.printed)",
                                                    field: FieldSet.describe($0.1)) }
        let message: String
        if conflicts.count == 1 {
            message = "Apply failed with 1 conflict: conflict with \(conflicts[0].0.printed): \(FieldSet.describe(conflicts[0].1))"
        } else {
            var byManager: [String: [String]] = [:]
            for (entry, path) in conflicts { byManager[entry.printed, default: []].append(FieldSet.describe(path)) }
            var lines: [String] = []
            for key in byManager.keys.sorted() {
                lines.append("conflicts with \(key):")
                for path in byManager[key]! { lines.append("- \(path)") }
            }
            message = "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
        }
        return APIError(code: 409, reason: "Conflict", message: message, causes: causes)
    }
}

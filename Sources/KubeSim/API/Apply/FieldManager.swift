import OrderedCollections
import Structured

/// Keeps `metadata.managedFields` as the real server does: every write records which manager owns
/// which fields; server-side apply (`ServerSideApply`) merges, detects conflicts and removes fields a
/// manager stopped applying.
struct FieldManager {
    var paths: FieldPaths

    init(type: ResourceType) { paths = FieldPaths(schema: PatchSchema(isCustom: type.isCustom), kind: type.kind) }

    struct Entry {
        var manager: String
        var operation: String
        var apiVersion: String
        var time: String
        var subresource: String?
        var fields: FieldSet

        init(manager: String, operation: String, apiVersion: String, time: String, subresource: String?, fields: FieldSet) {
            self.manager = manager
            self.operation = operation
            self.apiVersion = apiVersion
            self.time = time
            self.subresource = subresource
            self.fields = fields
        }

        init?(_ v: Value) {
            guard let manager = v["manager"]?.stringValue else { return nil }
            self.manager = manager
            operation = v["operation"]?.stringValue ?? "Update"
            apiVersion = v["apiVersion"]?.stringValue ?? ""
            time = v["time"]?.stringValue ?? ""
            subresource = v["subresource"]?.stringValue
            fields = FieldSet(fieldsV1: v["fieldsV1"] ?? .object([:]))
        }

        var value: Value {
            var v = OrderedDictionary<String, Value>(minimumCapacity: 7)
            v["manager"] = .string(manager)
            v["operation"] = .string(operation)
            v["apiVersion"] = .string(apiVersion)
            if !time.isEmpty { v["time"] = .string(time) }
            v["fieldsType"] = "FieldsV1"
            v["fieldsV1"] = fields.fieldsV1
            if let subresource { v["subresource"] = .string(subresource) }
            return .object(v)
        }

        func same(_ manager: String, _ operation: String, _ subresource: String?) -> Bool {
            self.manager == manager && self.operation == operation && self.subresource == subresource
        }

        /// The identity structured-merge-diff prints in conflicts.
        var printed: String {
            var s = "\"\(manager)\""
            if let subresource { s += " with subresource \"\(subresource)\"" }
            if operation == "Update" { s += " using \(apiVersion)" }
            return s
        }
    }

    static func entries(_ object: Value?) -> [Entry] {
        (object?[path: "metadata", "managedFields"]?.arrayValue ?? []).compactMap(Entry.init)
    }

    static func set(_ entries: [Entry], on object: inout Value) {
        let kept = entries.filter { !$0.fields.isEmpty }
        object.setMetadata("managedFields", kept.isEmpty ? nil : .array(kept.map(\.value)))
    }

    /// Record a non-apply write (create, update, patch) by `manager`: it owns what it changed,
    /// others lose what it changed.
    func recordUpdate(old: Value?, new: inout Value, manager: String, subresource: String?) {
        var entries = Self.entries(new)
        let apiVersion = new["apiVersion"]?.stringValue ?? ""
        var newObject = new
        var oldObject = old ?? .object([:])
        if subresource == "status" {
            newObject = ["status": new["status"] ?? .null]
            oldObject = ["status": oldObject["status"] ?? .null]
        }
        let newSet = fieldSetIncludingStatus(newObject, subresource: subresource)
        let oldSet = old == nil ? FieldSet() : fieldSetIncludingStatus(oldObject, subresource: subresource)
        var changed = FieldSet()
        var removed = FieldSet()
        if old == nil {
            // A create: every field is new (what the comparisons below find, without them).
            changed = newSet
        } else {
            for path in newSet.leafPaths where !ServerSideApply.same(paths.value(in: oldObject, at: path), paths.value(in: newObject, at: path)) {
                changed.insert(path)
            }
            for path in newSet.paths where !oldSet.contains(path) { changed.insert(path) }
            for path in oldSet.paths where !newSet.contains(path) { removed.insert(path) }
        }
        if changed.isEmpty && removed.isEmpty { Self.set(entries, on: &new); return }
        for i in entries.indices where !entries[i].same(manager, "Update", subresource) {
            entries[i].fields = entries[i].fields.subtracting(changed).subtracting(removed)
        }
        if let i = entries.firstIndex(where: { $0.same(manager, "Update", subresource) }) {
            entries[i].fields = entries[i].fields.union(changed).subtracting(removed)
            entries[i].time = Timestamp.now()
            entries[i].apiVersion = apiVersion
        } else {
            entries.append(Entry(manager: manager, operation: "Update", apiVersion: apiVersion, time: Timestamp.now(),
                                 subresource: subresource, fields: changed))
        }
        Self.set(entries, on: &new)
    }

    private func fieldSetIncludingStatus(_ object: Value, subresource: String?) -> FieldSet {
        if subresource == "status" {
            return paths.fieldSet(of: object, skipSystem: false)
        }
        return paths.fieldSet(of: object)
    }
}

import OrderedCollections
import Structured

/// Server-side field validation (`fieldValidation` = Strict, Warn or Ignore; Warn when absent, as
/// on the real server): the fields of a request object that its schema does not declare, as paths
/// the way the API server words them (`spec.template.spec.containers[0].imagePullPolicyy`).
struct FieldValidator {
    /// OpenAPI v3 schema of the object's root, and the components its `$ref`s point into.
    let root: Value
    let components: [String: Value]
    /// Custom resources: the root's apiVersion/kind/metadata are the server's, whatever the schema says.
    let isCustom: Bool

    static let builtInComponents = SchemaDocument.all(.v3)

    /// nil when kubesim publishes no schema for the kind (nothing is checked).
    init?(type: ResourceType) {
        components = Self.builtInComponents
        isCustom = type.isCustom
        if type.isCustom {
            guard let schema = type.schema else { return nil }
            root = schema
        } else {
            guard let schema = SchemaCatalog.schema(group: type.group, version: type.version, kind: type.kind),
                  let published = Self.builtInComponents[schema.name] else { return nil }
            root = published
        }
    }

    /// The object without the fields its schema does not declare (what the server stores), and
    /// their paths.
    func prune(_ object: Value) -> (Value, [String]) {
        var found: [String] = []
        var pruned = object
        if isCustom {
            // apiVersion and kind are always known; metadata is checked as ObjectMeta.
            guard case .object(var fields) = object else { return (object, []) }
            let kept = fields.filter { ["apiVersion", "kind", "metadata"].contains($0.key) }
            for key in kept.keys { fields[key] = nil }
            var rest = Value.object(fields)
            walk(&rest, root, "", &found)
            var metadata = kept["metadata"]
            if metadata != nil, let meta = components[SchemaCatalog.meta + "ObjectMeta"] { walk(&metadata!, meta, "metadata", &found) }
            guard case .object(var restFields) = rest else { return (object, found) }
            if let v = kept["apiVersion"] { restFields["apiVersion"] = v }
            if let v = kept["kind"] { restFields["kind"] = v }
            if let metadata { restFields["metadata"] = metadata }
            // Keep the usual order: apiVersion, kind, metadata first.
            var ordered: OrderedDictionary<String, Value> = [:]
            for key in ["apiVersion", "kind", "metadata"] { if let v = restFields[key] { ordered[key] = v } }
            for (k, v) in restFields where ordered[k] == nil { ordered[k] = v }
            pruned = .object(ordered)
        } else {
            walk(&pruned, root, "", &found)
        }
        return (pruned, found)
    }

    func unknownFields(_ object: Value) -> [String] { prune(object).1 }

    /// Whether the schema declares every field of `object`, that is whether `prune` would find
    /// nothing. Almost every write passes, so this walks without building paths or copies and
    /// `prune` runs only when something is undeclared.
    func declaresAll(_ object: Value) -> Bool {
        guard isCustom else { return declares(object, root) }
        guard case .object(var fields) = object else { return true }
        let metadata = fields["metadata"]
        for key in ["apiVersion", "kind", "metadata"] { fields[key] = nil }
        if let metadata, let meta = components[SchemaCatalog.meta + "ObjectMeta"], !declares(metadata, meta) { return false }
        return declares(.object(fields), root)
    }

    /// `walk` without the pruning: false at the first field `walk` would report.
    private func declares(_ value: Value, _ schema: Value) -> Bool {
        switch value {
        case .object(let fields):
            let s = resolve(schema)
            let properties = s["properties"]?.objectValue
            let additional = s["additionalProperties"]
            if properties == nil && additional == nil { return true }
            let preserve = s["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
            for (key, child) in fields {
                if let p = properties?[key] {
                    if !declares(child, p) { return false }
                } else if let additional, additional.objectValue != nil {
                    if !declares(child, additional) { return false }
                } else if !(additional?.boolValue == true || preserve) {
                    return false
                }
            }
            return true
        case .array(let items):
            guard let item = resolve(schema)["items"] else { return true }
            return items.allSatisfy { declares($0, item) }
        default:
            return true
        }
    }

    /// Undeclared fields as server-side apply's typed conversion names them: a leading dot, list
    /// items of keyed lists by their keys (`.spec.containers[name="web"].foo`), others by position.
    func undeclaredFieldsForApply(_ object: Value, kind: String) -> [String] {
        var found: [String] = []
        let paths = PatchSchema(isCustom: isCustom)
        guard isCustom, case .object(var fields) = object else {
            var copy = object
            walk(&copy, root, "", &found, names: [], applyPaths: paths)
            return found
        }
        // Custom resources: apiVersion and kind are the server's, metadata is ObjectMeta, the rest
        // the CRD's openAPIV3Schema.
        var metadata = fields["metadata"]
        for key in ["apiVersion", "kind", "metadata"] { fields[key] = nil }
        var rest = Value.object(fields)
        if metadata != nil, let meta = components[SchemaCatalog.meta + "ObjectMeta"] {
            walk(&metadata!, meta, ".metadata", &found, names: ["metadata"], applyPaths: paths)
        }
        walk(&rest, root, "", &found, names: [], applyPaths: paths)
        return found
    }

    /// `[0]`, or for server-side apply's keyed lists `[name="web"]` / `[containerPort=80,protocol="TCP"]`.
    /// Keys come from the built-in kinds' patch schema, or from the list's own schema
    /// (`x-kubernetes-list-type: map` with `x-kubernetes-list-map-keys`, as CRDs declare them).
    private static func itemPath(_ item: Value, index: Int, names: [String], applyPaths: PatchSchema?, schema: Value) -> String {
        guard let applyPaths else { return "[\(index)]" }
        var keys: [String] = []
        if case .map(let patchKeys) = applyPaths.list(at: names) { keys = patchKeys }
        else if schema["x-kubernetes-list-type"]?.stringValue == "map" {
            keys = schema["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        guard !keys.isEmpty else { return "[\(index)]" }
        let parts = keys.compactMap { key in item[key].map { "\(key)=\(JSON.wireString($0))" } }
        return parts.isEmpty ? "[\(index)]" : "[" + parts.joined(separator: ",") + "]"
    }

    /// Built-in components by their full `$ref` (`#/components/schemas/<name>`), so resolving a
    /// reference is one lookup with no string cut.
    static let builtInByRef: [String: Value] = Dictionary(
        uniqueKeysWithValues: builtInComponents.map { ("#/components/schemas/" + $0.key, $0.value) })

    private func resolve(_ schema: Value) -> Value {
        guard let ref = schema["$ref"]?.stringValue ?? schema["allOf"]?.arrayValue?.first?["$ref"]?.stringValue else {
            return schema
        }
        if let target = Self.builtInByRef[ref] { return target }
        return components[String(ref.split(separator: "/").last ?? "")] ?? schema
    }

    /// `applyPaths`: name paths the way server-side apply does (see `undeclaredFieldsForApply`);
    /// `names` are the field names down to here, which pick the list's keys.
    private func walk(_ value: inout Value, _ schema: Value, _ path: String, _ found: inout [String],
                      names: [String] = [], applyPaths: PatchSchema? = nil) {
        let s = resolve(schema)
        switch value {
        case .object(var fields):
            let properties = s["properties"]?.objectValue
            let additional = s["additionalProperties"]
            let preserve = s["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
            if properties == nil && additional == nil { return }  // an untyped object: nothing to check
            var dropped: [String] = []
            for (key, child) in fields {
                let childPath = path.isEmpty && applyPaths == nil ? key : path + "." + key
                var copy = child
                if let p = properties?[key] {
                    walk(&copy, p, childPath, &found, names: names + [key], applyPaths: applyPaths)
                } else if let additional, additional.objectValue != nil {
                    walk(&copy, additional, childPath, &found, names: names + [key], applyPaths: applyPaths)
                } else if additional?.boolValue == true || preserve {
                    continue
                } else {
                    found.append(childPath)
                    dropped.append(key)
                    continue
                }
                if copy != child { fields[key] = copy }
            }
            for key in dropped { fields[key] = nil }
            value = .object(fields)
        case .array(var items):
            guard let item = s["items"] else { return }
            for i in items.indices {
                walk(&items[i], item, path + Self.itemPath(items[i], index: i, names: names, applyPaths: applyPaths, schema: s), &found,
                     names: names, applyPaths: applyPaths)
            }
            value = .array(items)
        default:
            return
        }
    }
}

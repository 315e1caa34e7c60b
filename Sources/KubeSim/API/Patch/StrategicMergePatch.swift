import Structured

/// Strategic merge patch for built-in kinds: lists with a merge key merge item by item, scalar
/// "merge" lists (finalizers) merge as sets, and the directives `$patch` (delete, replace, merge),
/// `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>` and `$retainKeys` are honoured.
public struct StrategicMergePatch {
    public var schema: PatchSchema
    public var kind: String

    public init(schema: PatchSchema, kind: String) {
        self.schema = schema
        self.kind = kind
    }

    public func apply(_ patch: Value, to target: Value) throws(APIError) -> Value {
        try mergeMap(target, patch, path: [])
    }

    private func mergeMap(_ original: Value, _ patch: Value, path: [String]) throws(APIError) -> Value {
        guard let patchObject = patch.objectValue else { return patch }
        if let directive = patchObject["$patch"]?.stringValue {
            switch directive {
            case "delete": return .null
            case "replace":
                var replaced = patch
                replaced["$patch"] = nil
                return replaced
            case "merge": break
            default: throw APIError.badRequest("Unknown patch type: \(directive) in map: \(JSON.wireString(patch))")
            }
        }
        var result = original.objectValue != nil ? original : .object([:])
        var orders: [String: [Value]] = [:]
        for (key, value) in patchObject {
            if key == "$patch" || key == "$retainKeys" { continue }
            if key.hasPrefix("$setElementOrder/") {
                orders[String(key.dropFirst("$setElementOrder/".count))] = value.arrayValue ?? []
                continue
            }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                let remove = value.arrayValue ?? []
                if let list = result[field]?.arrayValue { result[field] = .array(list.filter { !remove.contains($0) }) }
                continue
            }
            let childPath = path + [key]
            if value.isNull { result[key] = nil; continue }
            let existing = result[key] ?? .null
            switch value {
            case .object:
                if schema.isAtomicMap(at: childPath, kind: kind) && value.objectValue?["$patch"] == nil {
                    result[key] = value
                } else {
                    let merged = try mergeMap(existing, value, path: childPath)
                    result[key] = merged.isNull ? nil : merged
                }
            case .array(let items):
                result[key] = try mergeList(existing.arrayValue ?? [], items, path: childPath)
            default:
                result[key] = value
            }
        }
        for (field, order) in orders {
            if let list = result[field]?.arrayValue { result[field] = .array(reorder(list, order, path: path + [field])) }
        }
        if let retain = patchObject["$retainKeys"]?.arrayValue?.compactMap(\.stringValue), case .object(var o) = result {
            for key in o.keys where !retain.contains(key) { o[key] = nil }
            result = .object(o)
        }
        return result
    }

    private func mergeList(_ original: [Value], _ patch: [Value], path: [String]) throws(APIError) -> Value {
        switch schema.list(at: path) {
        case .atomic:
            return .array(patch.filter { $0.objectValue?["$patch"] == nil })
        case .set:
            var result = original
            for item in patch where !result.contains(item) { result.append(item) }
            return .array(result)
        case .map(let keys):
            if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
                return .array(patch.filter { $0["$patch"] == nil })
            }
            let key = keys[0]
            var result = original
            for item in patch {
                guard item.objectValue != nil else { continue }
                let identity = item[key]
                let index = result.firstIndex { $0[key] == identity && identity != nil }
                if item["$patch"]?.stringValue == "delete" {
                    if let index { result.remove(at: index) }
                    continue
                }
                if let index {
                    result[index] = try mergeMap(result[index], item, path: path)
                } else {
                    var cleaned = item
                    cleaned["$patch"] = nil
                    result.append(try mergeMap(.object([:]), cleaned, path: path))
                }
            }
            return .array(result)
        }
    }

    /// `$setElementOrder`: items named in the order come first in that order, others keep their place after.
    private func reorder(_ list: [Value], _ order: [Value], path: [String]) -> [Value] {
        let key: String?
        if case .map(let keys) = schema.list(at: path) { key = keys[0] } else { key = nil }
        func identity(_ v: Value) -> Value { key.map { v[$0] ?? .null } ?? v }
        var remaining = list
        var result: [Value] = []
        for wanted in order {
            let id = key.map { wanted[$0] ?? .null } ?? wanted
            if let i = remaining.firstIndex(where: { identity($0) == id }) { result.append(remaining.remove(at: i)) }
        }
        return result + remaining
    }
}

import Structured

/// JSON merge patch (RFC 7386): objects merge, `null` deletes, everything else replaces.
public enum MergePatch {
    public static func apply(_ patch: Value, to target: Value) -> Value {
        guard case .object(let patchObject) = patch else { return patch }
        var result = target.objectValue != nil ? target : .object([:])
        for (key, value) in patchObject {
            if value.isNull {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return result
    }
}

/// JSON patch (RFC 6902) with JSON pointers (RFC 6901).
public enum JSONPatch {
    public static func apply(_ patch: Value, to target: Value) throws(APIError) -> Value {
        guard let operations = patch.arrayValue else {
            throw APIError.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        }
        var document = target
        for op in operations {
            guard let name = op["op"]?.stringValue else { throw APIError(code: 500, reason: "InternalError", message: "Unexpected kind: unknown") }
            let path = try pointer(op["path"]?.stringValue ?? "")
            switch name {
            case "add": document = try add(document, path, op["value"] ?? .null)
            case "remove": document = try remove(document, path)
            case "replace":
                _ = try get(document, path)
                document = try add(try remove(document, path), path, op["value"] ?? .null)
            case "move":
                let from = try pointer(op["from"]?.stringValue ?? "")
                let value = try get(document, from)
                document = try add(try remove(document, from), path, value)
            case "copy":
                let from = try pointer(op["from"]?.stringValue ?? "")
                document = try add(document, path, try get(document, from))
            case "test":
                if try get(document, path) != (op["value"] ?? .null) {
                    throw APIError(code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request")
                }
            default: throw APIError(code: 500, reason: "InternalError", message: "Unexpected kind: \(name)")
            }
        }
        return document
    }

    static func pointer(_ text: String) throws(APIError) -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw APIError(code: 500, reason: "InternalError", message: "add operation does not apply: doc is missing path: \"\(text)\": missing value") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    static func missing(_ path: [String], _ op: String = "replace") -> APIError {
        APIError(code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request",
                 causes: [.init(type: "FieldValueInvalid", message: "\(op) operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\": missing value", field: "")])
    }

    static func get(_ doc: Value, _ path: [String]) throws(APIError) -> Value {
        var current = doc
        for token in path {
            switch current {
            case .object(let o): guard let next = o[token] else { throw missing(path) }; current = next
            case .array(let a): guard let i = Int(token), a.indices.contains(i) else { throw missing(path) }; current = a[i]
            default: throw missing(path)
            }
        }
        return current
    }

    static func add(_ doc: Value, _ path: [String], _ value: Value) throws(APIError) -> Value {
        guard let token = path.first else { return value }
        let rest = Array(path.dropFirst())
        switch doc {
        case .object(var o):
            if rest.isEmpty { o[token] = value; return .object(o) }
            guard let child = o[token] else { throw missing(path, "add") }
            o[token] = try add(child, rest, value)
            return .object(o)
        case .array(var a):
            if rest.isEmpty {
                if token == "-" { a.append(value); return .array(a) }
                guard let i = Int(token), i >= 0, i <= a.count else { throw missing(path, "add") }
                a.insert(value, at: i)
                return .array(a)
            }
            guard let i = Int(token), a.indices.contains(i) else { throw missing(path, "add") }
            a[i] = try add(a[i], rest, value)
            return .array(a)
        default: throw missing(path, "add")
        }
    }

    static func remove(_ doc: Value, _ path: [String]) throws(APIError) -> Value {
        guard let token = path.first else { return .null }
        let rest = Array(path.dropFirst())
        switch doc {
        case .object(var o):
            guard let child = o[token] else { throw missing(path, "remove") }
            if rest.isEmpty { o.removeValue(forKey: token) } else { o[token] = try remove(child, rest) }
            return .object(o)
        case .array(var a):
            guard let i = Int(token), a.indices.contains(i) else { throw missing(path, "remove") }
            if rest.isEmpty { a.remove(at: i) } else { a[i] = try remove(a[i], rest) }
            return .array(a)
        default: throw missing(path, "remove")
        }
    }
}

import GoTemplate

/// Go's names for the dynamic types of template values, as `%T` and reflect's Kind print them.
enum GoType {
    /// `fmt.Sprintf("%T", v)`.
    static func name(of v: TemplateValue) -> String {
        switch v {
        case .missing, .null: return "<nil>"
        case .bool: return "bool"
        case .int: return "int"
        case .int64: return "int64"
        case .float: return "float64"
        case .string: return "string"
        case .bytes: return "[]uint8"
        case .list: return "[]interface {}"
        case .map: return "map[string]interface {}"
        case .object(let o): return o.goTypeName
        }
    }

    /// `reflect.ValueOf(v).Kind().String()`.
    static func kind(of v: TemplateValue) -> String {
        switch v {
        case .missing, .null: return "invalid"
        case .bool: return "bool"
        case .int: return "int"
        case .int64: return "int64"
        case .float: return "float64"
        case .string: return "string"
        case .bytes, .list: return "slice"
        case .map: return "map"
        case .object(let o):
            if o.goTypeName.hasPrefix("*") { return "ptr" }
            if o.goTypeName.hasPrefix("map[") { return "map" }
            if o.goTypeName.hasPrefix("[]") { return "slice" }
            return "struct"
        }
    }

    /// Go's reflect.DeepEqual on template values: types must match exactly.
    static func deepEqual(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        switch (a, b) {
        case (.missing, .missing), (.null, .null), (.missing, .null), (.null, .missing): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.int64(let x), .int64(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.list(let x), .list(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { deepEqual($0, $1) }
        case (.map(let x), .map(let y)):
            guard x.count == y.count else { return false }
            for (k, v) in x {
                guard let w = y[k], deepEqual(v, w) else { return false }
            }
            return true
        case (.object(let x), .object(let y)):
            return x.goTypeName == y.goTypeName && deepEqual(x.representation, y.representation)
        default: return false
        }
    }

    /// Sprig's `empty`: zero values of Go kinds (structs never are).
    static func isEmpty(_ v: TemplateValue) -> Bool {
        switch v {
        case .missing, .null: return true
        case .bool(let b): return !b
        case .int(let i): return i == 0
        case .int64(let i): return i == 0
        case .float(let d): return d == 0
        case .string(let s): return s.isEmpty
        case .bytes(let b): return b.isEmpty
        case .list(let l): return l.isEmpty
        case .map(let m): return m.isEmpty
        case .object: return false
        }
    }

    /// Length of a slice or array, `nil` for other kinds (Sprig's reflect-based list functions).
    static func sliceElements(_ v: TemplateValue) -> [TemplateValue]? {
        switch v {
        case .list(let l): return l
        case .bytes(let b): return b.map { .int(Int($0)) }
        default: return nil
        }
    }
}

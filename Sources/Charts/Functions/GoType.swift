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
        case .map(let m): return m.goTypeName ?? plainMap
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
        case .object(let o as TypedContainer): return kind(of: o.value)
        // Helm's engine.files is a map[string][]byte, common.VersionSet a []string.
        case .object(is FilesObject): return "map"
        case .object(is VersionSet): return "slice"
        case .object(let o):
            if o.goTypeName.hasPrefix("*") { return "ptr" }
            if o.goTypeName.hasPrefix("map[") { return "map" }
            if o.goTypeName.hasPrefix("[]") { return "slice" }
            return "struct"
        }
    }

    /// Go's reflect.DeepEqual on template values: types must match exactly.
    static func deepEqual(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        if let x = mapEntries(a), let y = mapEntries(b) {
            guard name(of: a) == name(of: b), x.count == y.count else { return false }
            for (k, v) in x {
                guard let w = y[k], deepEqual(v, w) else { return false }
            }
            return true
        }
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
        case (.object(let x), .object(let y)):
            return x.goTypeName == y.goTypeName && deepEqual(x.representation, y.representation)
        default: return false
        }
    }

    static let plainMap = "map[string]interface {}"

    /// A map of named type (`common.Values`) as a function with a `map[string]interface{}`
    /// parameter returns it (`set`, `merge`): the same map, seen as the unnamed type.
    static func asPlainMap(_ m: TemplateMap) -> TemplateValue {
        m.goTypeName == nil ? .map(m) : .object(TypedContainer(goTypeName: plainMap, value: .map(m), boxesElements: true))
    }

    /// The map when `v`'s Go type is exactly `map[string]interface {}` (Sprig's type assertions).
    static func plainMapValue(_ v: TemplateValue) -> TemplateMap? {
        switch v {
        case .map(let m) where m.goTypeName == nil: return m
        case .object(let o as TypedContainer) where o.goTypeName == plainMap:
            if case .map(let m) = o.value { return m }
        default: break
        }
        return nil
    }

    /// The entries of a Go map of any type (plain, named, or a typed container).
    private static func mapEntries(_ v: TemplateValue) -> TemplateMap? {
        switch v {
        case .map(let m): return m
        case .object(let o as TypedContainer): if case .map(let m) = o.value { return m }
        default: break
        }
        return nil
    }

    /// copystructure.Copy: maps are copied all the way down and keep their Go type names.
    static func deepCopy(_ v: TemplateValue) -> TemplateValue {
        switch v {
        case .map(let m):
            let copy = TemplateMap(m.entries.mapValues(deepCopy))
            copy.goTypeName = m.goTypeName
            return .map(copy)
        case .list(let l): return .list(l.map(deepCopy))
        default: return v
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

import OrderedCollections
import Structured

/// The one metaschema check Helm's compile makes that a chart can fail in practice: `pattern`
/// values and `patternProperties` names must be Go regexps (the metaschemas' `format: regex`,
/// which v6 asserts while compiling). Reported as v6 prints a metaschema failure; the first bad
/// pattern in document order (Helm's order among several follows Go's map iteration); and a
/// document that is neither an object nor a boolean, or a reference that is not a string.
extension JSONSchema {
    /// `"file:///values.schema.json#" (or a loaded document's URL) is not valid against metaschema: ...` and its violations.
    func metaschemaReport() -> String? {
        let violation: Violation
        switch root {
        case .object, .bool:
            guard let bad = badPattern(root, pointer: [], schemaPath: []) else { return nil }
            violation = bad
        default:
            // A document that is no schema at all (only 2020-12 applies: it has no `$schema`).
            violation = Violation(location: [], message: "got \(JSONSchema.typeName(root)), want boolean or object")
        }
        let metaschema: String
        switch draft {
        case 4: metaschema = "http://json-schema.org/draft-04/schema#"
        case 6: metaschema = "http://json-schema.org/draft-06/schema#"
        case 7: metaschema = "http://json-schema.org/draft-07/schema#"
        case 2019: metaschema = "https://json-schema.org/draft/2019-09/schema#"
        default: metaschema = "https://json-schema.org/draft/2020-12/schema#"
        }
        return "\"\(url)#\" is not valid against metaschema: jsonschema validation failed with '\(metaschema)'\n"
            + JSONSchema.describe([violation]).dropLast()
    }

    /// The violation for the first bad pattern under `schema` (at JSON pointer `pointer`);
    /// `schemaPath` lists the pointers of the schema objects above it (2019-09 and later wrap
    /// each level in the vocabulary metaschema's `'allOf' failed`).
    private func badPattern(_ schema: Value, pointer: [String], schemaPath: [[String]]) -> Violation? {
        guard case .object(let s) = schema else { return nil }
        let path = schemaPath + [pointer]
        func wrapped(_ leaf: Violation) -> Violation {
            guard draft >= 2019 else { return leaf }
            return path.reversed().reduce(leaf) { inner, location in
                Violation(location: location, message: "'allOf' failed", causes: [inner])
            }
        }
        for (keyword, value) in s {
            let isReference = keyword == "$ref" || (keyword == "$dynamicRef" && draft >= 2020) || (keyword == "$recursiveRef" && draft == 2019)
            if isReference, value.stringValue == nil {
                return wrapped(Violation(location: pointer + [keyword], message: "got \(JSONSchema.typeName(value)), want string"))
            }
            if keyword == "pattern", case .string(let p) = value, let message = RE2Syntax.check(p) {
                return wrapped(Violation(location: pointer + ["pattern"], message: "\(JSONSchema.quote(p)) is not valid regex: \(message)"))
            }
            if keyword == "patternProperties", case .object(let properties) = value {
                for name in properties.keys {
                    if let message = RE2Syntax.check(name) {
                        let leaf = Violation(location: [], message: "\(JSONSchema.quote(name)) is not valid regex: \(message)")
                        return wrapped(Violation(location: [], message: "invalid propertyName \(JSONSchema.quote(name))", causes: [leaf]))
                    }
                }
            }
            for (child, location) in JSONSchema.subschemas(keyword, value) {
                guard let v = badPattern(child, pointer: pointer + location, schemaPath: path) else { continue }
                // Before 2019-09 `items` is the metaschema's `anyOf` of a schema and a schema array:
                // the failure shows both branches.
                if keyword == "items", draft < 2019 {
                    let at = pointer + ["items"]
                    if case .array = value {
                        let want = draft == 4 ? "object" : "boolean or object"
                        return Violation(location: at, message: "'anyOf' failed", causes: [Violation(location: at, message: "got array, want \(want)"), v])
                    }
                    return Violation(location: at, message: "'anyOf' failed", causes: [v, Violation(location: at, message: "got object, want array")])
                }
                // A `dependencies` entry is a schema or a list of names, likewise.
                if keyword == "dependencies", draft < 2019 {
                    let at = pointer + location
                    return Violation(location: at, message: "'anyOf' failed", causes: [v, Violation(location: at, message: "got object, want array")])
                }
                return v
            }
        }
        return nil
    }

    /// The subschemas a keyword holds, with their pointer segments below the keyword's schema.
    private static func subschemas(_ keyword: String, _ value: Value) -> [(Value, [String])] {
        switch keyword {
        case "properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies":
            guard case .object(let o) = value else { return [] }
            return o.map { ($0.value, [keyword, $0.key]) }
        case "allOf", "anyOf", "oneOf", "prefixItems":
            guard case .array(let a) = value else { return [] }
            return a.enumerated().map { ($0.element, [keyword, String($0.offset)]) }
        case "items":
            if case .array(let a) = value { return a.enumerated().map { ($0.element, [keyword, String($0.offset)]) } }
            return [(value, [keyword])]
        case "additionalProperties", "additionalItems", "not", "if", "then", "else", "contains",
             "propertyNames", "unevaluatedProperties", "unevaluatedItems":
            return [(value, [keyword])]
        default:
            return []
        }
    }
}

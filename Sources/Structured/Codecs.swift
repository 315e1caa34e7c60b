// Public surface of the YAML and JSON codecs. Implementations live in YAML/ and JSON/.

/// How YAML scalars are typed, mirroring the two Go stacks Helm uses.
public enum YAMLMode: Sendable {
    /// values.yaml, `-f` files, Chart.yaml, `fromYaml`: sigs.k8s.io/yaml over go-yaml v2,
    /// every number a double, YAML 1.1 booleans (yes/no/on/off/y/n) for keys and values.
    case values
    /// Rendered manifests: integers stay exact `Int64`, otherwise typed like `values`.
    case manifest
}

public enum YAML {
    /// Decode one YAML document. `file` names the source in errors.
    public static func decode(_ text: String, mode: YAMLMode = .values, file: String? = nil) throws(StructuredError) -> Value {
        throw StructuredError("YAML decoding is not implemented yet")
    }

    /// Decode every document of a multi-document stream (`---` separated).
    public static func decodeAll(_ text: String, mode: YAMLMode = .values, file: String? = nil) throws(StructuredError) -> [Value] {
        throw StructuredError("YAML decoding is not implemented yet")
    }

    /// Encode exactly like Helm's `toYaml` (sigs.k8s.io/yaml: sorted keys, yaml.v2 style),
    /// including the trailing newline that `toYaml` then trims.
    public static func encode(_ value: Value) throws(StructuredError) -> String {
        throw StructuredError("YAML encoding is not implemented yet")
    }
}

public enum JSON {
    /// Decode JSON text (numbers: integers that fit stay `.int`, others `.double`, unless `allDoubles`
    /// asks for Go's `interface{}` typing where every number is float64).
    public static func decode(_ text: String, allDoubles: Bool = false, file: String? = nil) throws(StructuredError) -> Value {
        throw StructuredError("JSON decoding is not implemented yet")
    }

    /// Encode like Go's encoding/json: object keys sorted when `sortKeys` (Go maps), `<`, `>`, `&`
    /// escaped as \u003c etc. when `escapeHTML` (Helm's toJson), `indent` for MarshalIndent.
    public static func encode(_ value: Value, sortKeys: Bool = true, escapeHTML: Bool = true, indent: String? = nil) -> String {
        fatalError("JSON encoding is not implemented yet")
    }
}

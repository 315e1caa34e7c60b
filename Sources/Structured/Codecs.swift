// Public surface of the YAML and JSON codecs. Implementations live in YAML/ and JSON/.

/// How YAML scalars are typed, mirroring the two Go stacks Helm uses.
public enum YAMLMode: Sendable {
    /// values.yaml, `-f` files, Chart.yaml: sigs.k8s.io/yaml over go-yaml v2, every number a double,
    /// YAML 1.1 booleans (yes/no/on/off/y/n) for keys and values.
    case values
    /// Rendered manifests: integers stay exact `Int64`, otherwise typed like `values`.
    case manifest
}

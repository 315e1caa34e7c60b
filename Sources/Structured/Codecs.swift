import Foundation

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
    /// Decode one YAML document (the first of a stream, as go-yaml's Unmarshal does).
    /// An empty document decodes to `.null`. `file` names the source in errors.
    public static func decode(_ text: String, mode: YAMLMode = .values, file: String? = nil) throws(StructuredError) -> Value {
        try YAMLDecoder(mode: mode, file: file).decode(text, firstOnly: true).first ?? .null
    }

    /// Decode every document of a multi-document stream (`---` separated).
    public static func decodeAll(_ text: String, mode: YAMLMode = .values, file: String? = nil) throws(StructuredError) -> [Value] {
        try YAMLDecoder(mode: mode, file: file).decode(text, firstOnly: false)
    }

    /// Encode exactly like Helm's `toYaml` (sigs.k8s.io/yaml: sorted keys, yaml.v2 style),
    /// including the trailing newline that `toYaml` then trims.
    public static func encode(_ value: Value) throws(StructuredError) -> String {
        try YAMLEncoder(style: .goYAMLv2).encode(value)
    }

    /// Encode like Helm's `toYamlPretty` (yaml.v3, indent 2: indented lists, no folding),
    /// with the trailing newline.
    public static func encodePretty(_ value: Value) throws(StructuredError) -> String {
        try YAMLEncoder(style: .goYAMLv3).encode(value)
    }
}

public enum JSON {
    /// Decode JSON text (numbers: integers that fit stay `.int`, others `.double`, unless `allDoubles`
    /// asks for Go's `interface{}` typing where every number is float64).
    public static func decode(_ text: String, allDoubles: Bool = false, file: String? = nil) throws(StructuredError) -> Value {
        var parser = JSONParser(text: text, allDoubles: allDoubles, file: file)
        return try parser.parseDocument()
    }

    /// Encode like Go's encoding/json: object keys sorted when `sortKeys` (Go maps), `<`, `>`, `&`
    /// escaped as \u003c etc. when `escapeHTML` (Helm's toJson), `indent` for MarshalIndent.
    /// Returns "" for values Go refuses (NaN, infinities), as Helm's toJson does.
    public static func encode(_ value: Value, sortKeys: Bool = true, escapeHTML: Bool = true, indent: String? = nil) -> String {
        (try? encodeChecked(value, sortKeys: sortKeys, escapeHTML: escapeHTML, indent: indent)) ?? ""
    }

    /// `encode`, but throwing Go's error (`json: unsupported value: NaN`) instead of returning "".
    public static func encodeChecked(
        _ value: Value, sortKeys: Bool = true, escapeHTML: Bool = true, indent: String? = nil
    ) throws(StructuredError) -> String {
        var writer = JSONWriter(sortKeys: sortKeys, escapeHTML: escapeHTML, indent: indent)
        try writer.write(value, depth: 0)
        return String(decoding: writer.out, as: UTF8.self)
    }
}

extension YAML {
    /// A values file (values.yaml, `-f`) as Helm 4 reads it: split into documents the way
    /// Kubernetes' YAMLReader does (at lines starting with `---`), each decoded in values mode on its
    /// own (so error lines count from the document's start) and deep-merged in order, later
    /// documents winning; empty documents are skipped and an empty file gives `{}`.
    /// Helm 3 read only the first document.
    public static func decodeValuesFile(_ text: String, file: String? = nil) throws(StructuredError) -> Value {
        var result: Value = .emptyObject
        for chunk in try splitDocuments(text, file: file) {
            let document: Value
            do {
                document = try decode(chunk, mode: .values, file: file)
            } catch {
                throw StructuredError("cannot unmarshal yaml document: " + error.message, at: error.location)
            }
            switch document {
            case .null: continue
            case .object: result = deepMerge(result, document)
            default:
                throw StructuredError(
                    "cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(goTypeName(document)) into Go value of type map[string]interface {}",
                    at: SourceLocation(file: file, line: 1, column: 1))
            }
        }
        return result
    }

    /// Kubernetes' YAMLReader: a line starting with `---` ends a document when only blanks or a
    /// comment follow it; empty documents are dropped.
    static func splitDocuments(_ text: String, file: String?) throws(StructuredError) -> [String] {
        var documents: [String] = []
        var current = Substring()
        var currentStart = text.startIndex
        var line = 0
        var index = text.startIndex
        while index < text.endIndex {
            let end = text[index...].firstIndex(of: "\n").map { text.index(after: $0) } ?? text.endIndex
            let content = text[index..<end]
            line += 1
            if content.hasPrefix("---") {
                let rest = content.dropFirst(3).trimmingCharacters(in: .whitespacesAndNewlines)
                if let first = rest.first, first != "#" {
                    throw StructuredError("invalid Yaml document separator: \(rest)", at: SourceLocation(file: file, line: line, column: 1))
                }
                current = text[currentStart..<index]
                if !current.isEmpty { documents.append(String(current)) }
                currentStart = end
            }
            index = end
        }
        current = text[currentStart..<text.endIndex]
        if !current.isEmpty { documents.append(String(current)) }
        return documents
    }

    static func goTypeName(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Maps merge key by key; anything else in `top` replaces what `base` had.
    static func deepMerge(_ base: Value, _ top: Value) -> Value {
        guard case .object(var b) = base, case .object(let t) = top else { return top }
        for (k, v) in t {
            if let existing = b[k] { b[k] = deepMerge(existing, v) } else { b[k] = v }
        }
        return .object(b)
    }
}

import Structured

/// Values files (values.yaml, `-f`): several YAML documents, each a table, deep-merged in order.
public enum ValuesFile {
    public static func parse(_ text: String, name: String? = nil) throws(ChartsError) -> Value {
        let documents: [Value]
        do { documents = try YAML.decodeAll(text, mode: .values, file: name) } catch {
            throw ChartsError("cannot unmarshal yaml document: \(error.message)")
        }
        var merged = Value.emptyObject
        for document in documents {
            switch document {
            case .null: continue
            case .object: merged = mergeMaps(merged, document)
            default:
                throw ChartsError("cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(GoJSONType.of(document)) into Go value of type map[string]interface {}")
            }
        }
        return merged
    }

    /// Helm's loader.MergeMaps: `b` over `a`, tables merged recursively, everything else replaced.
    public static func mergeMaps(_ a: Value, _ b: Value) -> Value {
        guard case .object(var out) = a, case .object(let over) = b else { return b }
        for (key, value) in over {
            if case .object = value, let existing = out[key], case .object = existing {
                out[key] = mergeMaps(existing, value)
            } else {
                out[key] = value
            }
        }
        return .object(out)
    }
}

import OrderedCollections
import Structured

/// The catalogue as OpenAPI schemas, shaped as the API server publishes them: v3 references as
/// `allOf: [{$ref}]` beside a description, v2 as plain `$ref` into `#/definitions/`.
enum SchemaDocument {
    enum Flavor { case v3, v2 }

    static let quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity"
    static let time = "io.k8s.apimachinery.pkg.apis.meta.v1.Time"
    static let intOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"

    static func refPrefix(_ flavor: Flavor) -> String { flavor == .v3 ? "#/components/schemas/" : "#/definitions/" }

    /// Every catalogue type plus the scalar helper types, by name.
    static func all(_ flavor: Flavor) -> [String: Value] {
        var out: [String: Value] = [
            quantity: ["type": "string", "description": "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors."],
            time: ["type": "string", "format": "date-time", "description": "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers."],
            intOrString: ["type": "string", "format": "int-or-string", "description": "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number."],
        ]
        for (name, type) in SchemaCatalog.types { out[name] = schema(type, flavor) }
        return out
    }

    static func schema(_ type: TypeSchema, _ flavor: Flavor) -> Value {
        var properties: OrderedDictionary<String, Value> = [:]  // sorted, as the server publishes them
        for field in type.fields.sorted(by: { $0.name < $1.name }) {
            properties[field.name] = self.field(field.type, description: field.description, flavor)
        }
        var s: Value = ["description": .string(type.description), "type": "object", "properties": .object(properties)]
        if !type.required.isEmpty { s["required"] = .array(type.required.map { .string($0) }) }
        if let (g, v, k) = type.gvk {
            s["x-kubernetes-group-version-kind"] = [["group": .string(g), "kind": .string(k), "version": .string(v)]]
        }
        return s
    }

    static func field(_ type: FieldType, description: String, _ flavor: Flavor) -> Value {
        var s = plain(type, flavor)
        if !description.isEmpty {
            if flavor == .v3, let ref = s["$ref"] { s = ["allOf": [["$ref": ref]]] }
            s["description"] = .string(description)
        }
        return s
    }

    static func plain(_ type: FieldType, _ flavor: Flavor) -> Value {
        let prefix = refPrefix(flavor)
        switch type {
        case .string: return ["type": "string"]
        case .bytes: return ["type": "string", "format": "byte"]
        case .int32: return ["type": "integer", "format": "int32"]
        case .int64: return ["type": "integer", "format": "int64"]
        case .bool: return ["type": "boolean"]
        case .number: return ["type": "number", "format": "double"]
        case .quantity: return ["$ref": .string(prefix + quantity)]
        case .time: return ["$ref": .string(prefix + time)]
        case .intOrString: return ["$ref": .string(prefix + intOrString)]
        case .ref(let name): return ["$ref": .string(prefix + name)]
        case .array(let item): return ["type": "array", "items": plain(item, flavor)]
        case .map(let item): return ["type": "object", "additionalProperties": plain(item, flavor)]
        case .open: return ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        }
    }
}

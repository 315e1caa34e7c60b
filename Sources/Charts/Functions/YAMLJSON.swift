import GoTemplate
import Structured

/// Helm's YAML/JSON functions and Sprig's JSON ones, over the Structured codecs.
enum YAMLJSONFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("toYaml", .exactly(1)) { a in .string((try? toYAML(a[0])) ?? "") }
        r.add("mustToYaml", .exactly(1)) { a in .string(try toYAML(a[0])) }
        r.add("toYamlPretty", .exactly(1)) { a in .string((try? PrettyYAML.encode(a[0])) ?? "") }
        r.add("fromYaml", .exactly(1)) { a in
            let text = try a.string(0)
            do throws(StructuredError) {
                let v = try YAML.decode(text, mode: .values)
                switch v {
                case .null: return .map([:])
                case .object: return TemplateValue(v)
                default: return .map(["Error": .string("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(jsonKind(v)) into Go value of type map[string]interface {}")])
                }
            } catch {
                return .map(["Error": .string(yamlError(error))])
            }
        }
        r.add("fromYamlArray", .exactly(1)) { a in
            let text = try a.string(0)
            do throws(StructuredError) {
                let v = try YAML.decode(text, mode: .values)
                switch v {
                case .null: return .list([])
                case .array: return TemplateValue(v)
                default: return .list([.string("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(jsonKind(v)) into Go value of type []interface {}")])
                }
            } catch {
                return .list([.string(yamlError(error))])
            }
        }
        r.add("toJson", .exactly(1)) { a in .string((try? toJSON(a[0], escapeHTML: true)) ?? "") }
        r.add("mustToJson", .exactly(1)) { a in .string(try toJSON(a[0], escapeHTML: true)) }
        r.add("toPrettyJson", .exactly(1)) { a in .string((try? toJSON(a[0], escapeHTML: true, indent: "  ")) ?? "") }
        r.add("mustToPrettyJson", .exactly(1)) { a in .string(try toJSON(a[0], escapeHTML: true, indent: "  ")) }
        r.add("toRawJson", .exactly(1)) { a in .string(try toJSON(a[0], escapeHTML: false)) }
        r.add("mustToRawJson", .exactly(1)) { a in .string(try toJSON(a[0], escapeHTML: false)) }
        r.add("fromJson", .exactly(1)) { a in
            let text = try a.string(0)
            do throws(StructuredError) {
                let v = try JSON.decode(text, allDoubles: true)
                switch v {
                case .object: return TemplateValue(v)
                case .null: return .map([:])
                default: return .map(["Error": .string("json: cannot unmarshal \(jsonKind(v)) into Go value of type map[string]interface {}")])
                }
            } catch {
                return .map(["Error": .string(error.message)])
            }
        }
        r.add("fromJsonArray", .exactly(1)) { a in
            let text = try a.string(0)
            do throws(StructuredError) {
                let v = try JSON.decode(text, allDoubles: true)
                switch v {
                case .array: return TemplateValue(v)
                case .null: return .list([])
                default: return .list([.string("json: cannot unmarshal \(jsonKind(v)) into Go value of type []interface {}")])
                }
            } catch {
                return .list([.string(error.message)])
            }
        }
        r.add("mustFromJson", .exactly(1)) { a in
            do { return TemplateValue(try JSON.decode(try a.string(0), allDoubles: true)) }
            catch let e as StructuredError { throw TemplateFunctionError(e.message) }
        }
    }

    /// sigs.k8s.io/yaml reports parse failures as "error converting YAML to JSON: yaml: ...".
    static func yamlError(_ error: StructuredError) -> String {
        let message = error.message.hasPrefix("yaml: ") ? error.message : "yaml: " + error.message
        return "error converting YAML to JSON: " + message
    }

    /// The JSON type name Go's decoder reports in "cannot unmarshal X into ...".
    static func jsonKind(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    static func toYAML(_ v: TemplateValue) throws -> String {
        try checkEncodable(v)
        var text: String
        do { text = try YAML.encode(Value(v)) } catch { throw TemplateFunctionError(error.message) }
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    static func toJSON(_ v: TemplateValue, escapeHTML: Bool, indent: String? = nil) throws -> String {
        try checkEncodable(v)
        return JSON.encode(Value(v), sortKeys: true, escapeHTML: escapeHTML, indent: indent)
    }

    /// encoding/json refuses NaN and infinities ("json: unsupported value: NaN").
    static func checkEncodable(_ v: TemplateValue) throws {
        switch v {
        case .float(let d) where !d.isFinite:
            throw TemplateFunctionError("json: unsupported value: \(GoText.float(d))")
        case .list(let l): for x in l { try checkEncodable(x) }
        case .map(let m): for x in m.values { try checkEncodable(x) }
        default: break
        }
    }
}

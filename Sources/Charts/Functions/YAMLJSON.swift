import GoTemplate
import Structured

/// A host object encoding/json sees as a Go struct: its fields by json name, in declaration order.
protocol GoJSONEncoded {
    var jsonValue: Value { get }
}

/// Helm's YAML/JSON functions and Sprig's JSON ones, over the Structured codecs.
enum YAMLJSONFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("toYaml", .exactly(1)) { a in .string((try? toYAML(a.original(0))) ?? "") }
        r.add("mustToYaml", .exactly(1)) { a in .string(try toYAML(a.original(0))) }
        r.add("toYamlPretty", .exactly(1)) { a in .string((try? toYAML(a.original(0), pretty: true)) ?? "") }
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
        r.add("toJson", .exactly(1)) { a in .string((try? toJSON(a.original(0), escapeHTML: true)) ?? "") }
        r.add("mustToJson", .exactly(1)) { a in .string(try toJSON(a.original(0), escapeHTML: true)) }
        r.add("toPrettyJson", .exactly(1)) { a in .string((try? toJSON(a.original(0), escapeHTML: true, indent: "  ")) ?? "") }
        r.add("mustToPrettyJson", .exactly(1)) { a in .string(try toJSON(a.original(0), escapeHTML: true, indent: "  ")) }
        r.add("toRawJson", .exactly(1)) { a in .string(try toJSON(a.original(0), escapeHTML: false)) }
        r.add("mustToRawJson", .exactly(1)) { a in .string(try toJSON(a.original(0), escapeHTML: false)) }
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
                let message = jsonError(error, text, target: "map[string]interface {}")
                // encoding/json keeps decoding past a number out of float64's range (stored as
                // nil), so Sprig's map holds the other members beside "Error".
                if message.hasPrefix("json: cannot unmarshal number "),
                    let partial = try? JSON.decode(nullingOverflows(text), allDoubles: true),
                    case .object = partial, case .map(let m) = TemplateValue(partial) {
                    m["Error"] = .string(message)
                    return .map(m)
                }
                return .map(["Error": .string(message)])
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
                return .list([.string(jsonError(error, text, target: "[]interface {}"))])
            }
        }
        r.add("mustFromJson", .exactly(1)) { a in
            let text = try a.string(0)
            do { return TemplateValue(try JSON.decode(text, allDoubles: true)) }
            catch let e as StructuredError { throw TemplateFunctionError(jsonError(e, text, target: nil)) }
        }
    }

    /// sigs.k8s.io/yaml reports parse failures as "error converting YAML to JSON: yaml: ...".
    static func yamlError(_ error: StructuredError) -> String {
        let prefix = "error converting YAML to JSON: "
        if error.message.hasPrefix(prefix) { return error.message }
        let message = error.message.hasPrefix("yaml: ") ? error.message : "yaml: " + error.message
        return prefix + message
    }

    /// encoding/json's wording where the Structured decoder's differs: a literal cut short at the
    /// end (Go's scanner feeds a space at EOF: `invalid character ' ' in literal true (expecting
    /// 'e')`), and a top-level number for a map or slice (reported before its range).
    static func jsonError(_ error: StructuredError, _ text: String, target: String?) -> String {
        let trimmed = text.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        if let target, let first = trimmed.first, first == "-" || first.isNumber, error.message.hasPrefix("json: cannot unmarshal number ") {
            return "json: cannot unmarshal number into Go value of type \(target)"
        }
        if error.message == "unexpected end of JSON input" {
            let tail = text.reversed().prefix { $0.isLetter }
            let word = String(tail.reversed())
            for literal in ["true", "false", "null"] where !word.isEmpty && word.count < literal.count && literal.hasPrefix(word) {
                let expected = literal[literal.index(literal.startIndex, offsetBy: word.count)]
                return "invalid character ' ' in literal \(literal) (expecting '\(expected)')"
            }
            // A number cut short: `-`, `1.`, `1e`, `1e+`.
            let chars = Array(text)
            if let last = chars.last {
                let before = chars.count > 1 ? chars[chars.count - 2] : " "
                if last == "-" && !(before == "e" || before == "E") { return "invalid character ' ' in numeric literal" }
                if last == ".", before.isNumber { return "invalid character ' ' after decimal point in numeric literal" }
                if (last == "e" || last == "E") && before.isNumber { return "invalid character ' ' in exponent of numeric literal" }
                if (last == "+" || last == "-") && (before == "e" || before == "E") { return "invalid character ' ' in exponent of numeric literal" }
            }
        }
        return error.message
    }

    /// JSON text with each number too large for a float64 replaced by `null`.
    static func nullingOverflows(_ text: String) -> String {
        var out = ""
        var inString = false, escaped = false
        var number = ""
        func flush() {
            if !number.isEmpty { out += (Double(number).map { $0.isFinite } ?? true) ? number : "null"; number = "" }
        }
        for c in text {
            if inString {
                out.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            if c.isNumber || "+-.eE".contains(c) { number.append(c); continue }
            flush()
            if c == "\"" { inString = true }
            out.append(c)
        }
        flush()
        return out
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

    static func toYAML(_ v: TemplateValue, pretty: Bool = false) throws -> String {
        try checkEncodable(v)
        var text: String
        do { text = try pretty ? YAML.encodePretty(structured(v, sortStructs: true)) : YAML.encode(structured(v, sortStructs: true)) } catch { throw TemplateFunctionError(error.message) }
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    static func toJSON(_ v: TemplateValue, escapeHTML: Bool, indent: String? = nil) throws -> String {
        do { return try JSON.encodeChecked(structured(v, sortStructs: false), sortKeys: false, escapeHTML: escapeHTML, indent: indent) } catch {
            throw TemplateFunctionError(error.message)
        }
    }

    /// What encoding/json sees: maps with sorted keys, host structs (`GoJSONEncoded`) as their
    /// fields in declaration order (sigs.k8s.io/yaml re-sorts them: `sortStructs`).
    static func structured(_ v: TemplateValue, sortStructs: Bool) -> Value {
        switch v {
        case .object(let o):
            if v.isNilSlice { return .null }
            if let encoded = o as? GoJSONEncoded { return sortStructs ? sorted(encoded.jsonValue) : encoded.jsonValue }
            return structured(o.representation, sortStructs: sortStructs)
        case .list(let l):
            return .array(l.map { structured($0, sortStructs: sortStructs) })
        case .map(let m):
            var object = Value.emptyObject.objectValue!
            for key in m.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                object[key] = structured(m[key]!, sortStructs: sortStructs)
            }
            return .object(object)
        default:
            return Value(v)
        }
    }

    private static func sorted(_ v: Value) -> Value {
        switch v {
        case .object(let o):
            var object = Value.emptyObject.objectValue!
            for key in o.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) { object[key] = sorted(o[key]!) }
            return .object(object)
        case .array(let a): return .array(a.map(sorted))
        default: return v
        }
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

import GoTemplate
import Structured

/// `toYamlPretty`: yaml.v3 with a 2-space indent, which (unlike `toYaml`) indents sequences
/// under their key. Structure is laid out here; scalars come from the Structured emitter.
enum PrettyYAML {
    static func encode(_ v: TemplateValue) throws -> String {
        try YAMLJSONFunctions.checkEncodable(v)
        var lines: [String] = []
        try emit(Value(v), indent: 0, into: &lines)
        return lines.joined(separator: "\n")
    }

    static func scalar(_ v: Value) throws -> [String] {
        var text: String
        do { text = try YAML.encode(v) } catch { throw TemplateFunctionError(error.message) }
        if text.hasSuffix("\n") { text.removeLast() }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    static func isBlock(_ v: Value) -> Bool {
        switch v {
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        default: return false
        }
    }

    static func emit(_ v: Value, indent: Int, into lines: inout [String]) throws {
        let pad = String(repeating: " ", count: indent)
        switch v {
        case .object(let o) where !o.isEmpty:
            for key in o.keys.sorted() {
                let child = o[key]!
                let k = try scalar(.string(key)).joined(separator: "\n")
                if isBlock(child) {
                    lines.append(pad + k + ":")
                    try emit(child, indent: indent + 2, into: &lines)
                } else {
                    let s = try scalar(child)
                    lines.append(pad + k + ": " + s[0])
                    for rest in s.dropFirst() { lines.append(rest.isEmpty ? rest : pad + rest) }
                }
            }
        case .array(let a) where !a.isEmpty:
            for item in a {
                if isBlock(item) {
                    var nested: [String] = []
                    try emit(item, indent: indent + 2, into: &nested)
                    let first = nested[0].dropFirst(indent + 2)
                    lines.append(pad + "- " + first)
                    lines.append(contentsOf: nested.dropFirst())
                } else {
                    let s = try scalar(item)
                    lines.append(pad + "- " + s[0])
                    for rest in s.dropFirst() { lines.append(rest.isEmpty ? rest : pad + "  " + rest) }
                }
            }
        default:
            let s = try scalar(v)
            lines.append(contentsOf: s.map { pad + $0 })
        }
    }
}

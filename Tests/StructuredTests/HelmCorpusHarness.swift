import Foundation
import Structured
import TestSupport

/// Renders the whole YAML corpus through a real helm in one `helm template` run and collects,
/// per input, what Helm's toYaml/toJson/toRawJson/toPrettyJson/toYamlPretty print for the
/// `fromYaml` (or `fromYamlArray`) decoding, what a subchart sees when the input is its
/// values.yaml, and the `fromYaml` error message for malformed inputs.
struct HelmCorpusHarness {
    struct Case: Sendable {
        var name: String
        var text: String
        var isList: Bool
    }

    /// Outputs of one input, keyed by the function that printed them.
    typealias Outputs = [String: String]

    static let corpusDirectory = Repository.root + "/Tests/Fixtures/YAMLCorpus"
    static let functions = ["toYaml", "toJson", "toRawJson", "toPrettyJson", "toYamlPretty"]

    static func loadCases(subdirectory: String? = nil) throws -> [Case] {
        let dir = subdirectory.map { corpusDirectory + "/" + $0 } ?? corpusDirectory
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".yaml") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
            return Case(name: name, text: String(decoding: data, as: UTF8.self), isList: name.hasSuffix(".list.yaml"))
        }
    }

    struct Results {
        var fromYaml: [String: Outputs] = [:]
        var values: [String: Outputs] = [:]
        var errors: [String: String] = [:]
        /// values.yaml files Helm refused though fromYaml read them (multi-document handling).
        var valueErrors: [String: String] = [:]
    }

    /// Build the chart once (cached per process) and run `helm template` with `oracle`.
    static func run(_ oracle: Oracle, cases: [Case], errorCases: [Case]) throws -> Results {
        let dir = try makeTemporaryDirectory("yaml-corpus")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/templates", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/corpus", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/errors", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: corpus\nversion: 0.1.0\n".write(toFile: dir + "/Chart.yaml", atomically: true, encoding: .utf8)
        let fields = functions.map { "\($0)={{ \($0) $d | b64enc }}" }.joined(separator: " ")
        let template = """
            {{- range $p, $_ := .Files.Glob "corpus/*" }}
            {{- $text := $.Files.Get $p }}
            {{- $d := dict }}
            {{- if hasSuffix ".list.yaml" $p }}{{ $d = fromYamlArray $text }}{{ else }}{{ $d = fromYaml $text }}{{ end }}
            # CASE {{ base $p }} \(fields)
            {{- end }}
            {{- range $p, $_ := .Files.Glob "errors/*" }}
            # ERROR {{ base $p }} {{ (fromYaml ($.Files.Get $p)).Error | b64enc }}
            {{- end }}

            """
        try template.write(toFile: dir + "/templates/corpus.yaml", atomically: true, encoding: .utf8)
        for c in cases { try Data(c.text.utf8).write(to: URL(fileURLWithPath: dir + "/corpus/" + c.name)) }
        for c in errorCases { try Data(c.text.utf8).write(to: URL(fileURLWithPath: dir + "/errors/" + c.name)) }
        let result = try runProcess(try oracle.path(), ["template", dir])
        guard result.succeeded else { throw HarnessError(message: "helm template failed: \(result.stderr)") }
        var results = Results()
        parse(result.stdout, into: &results)
        // The values path: every map-rooted input that Helm can decode is the values.yaml of its own
        // subchart (one that cannot be decoded would fail the whole render), in a second run.
        try fm.removeItem(atPath: dir + "/templates/corpus.yaml")
        var decodable = cases.filter { c in !c.isList && !(results.fromYaml[c.name]?["toJson"] ?? "").hasPrefix("{\"Error\":") }
        let valueFields = ["toYaml", "toJson"].map { "\($0)={{ \($0) (omit .Values \"global\") | b64enc }}" }.joined(separator: " ")
        // A values.yaml Helm rejects fails the whole render and names its subchart: record the
        // error, drop that input and render again.
        for _ in 0..<20 {
            try? fm.removeItem(atPath: dir + "/charts")
            for (index, c) in decodable.enumerated() {
                let sub = dir + "/charts/v\(index)"
                try fm.createDirectory(atPath: sub + "/templates", withIntermediateDirectories: true)
                try "apiVersion: v2\nname: v\(index)\nversion: 0.1.0\n".write(toFile: sub + "/Chart.yaml", atomically: true, encoding: .utf8)
                try Data(c.text.utf8).write(to: URL(fileURLWithPath: sub + "/values.yaml"))
                try "# VALUES \(c.name) \(valueFields)\n".write(toFile: sub + "/templates/values.yaml", atomically: true, encoding: .utf8)
            }
            let second = try runProcess(try oracle.path(), ["template", dir])
            if second.succeeded {
                parse(second.stdout, into: &results)
                return results
            }
            let marker = "error unpacking subchart v"
            guard let range = second.stderr.range(of: marker),
                let index = Int(second.stderr[range.upperBound...].prefix(while: { $0.isNumber })), index < decodable.count,
                let message = second.stderr.range(of: "cannot load values.yaml: ")
            else { throw HarnessError(message: "helm template (values) failed: \(second.stderr)") }
            results.valueErrors[decodable[index].name] = String(second.stderr[message.upperBound...])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            decodable.remove(at: index)
        }
        throw HarnessError(message: "too many values files rejected by helm")
    }

    static func parse(_ stdout: String, into results: inout Results) {
        for line in stdout.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count >= 3, parts[0] == "#" else { continue }
            let name = String(parts[2])
            switch parts[1] {
            case "CASE", "VALUES":
                var outputs: Outputs = [:]
                for field in parts.dropFirst(3) {
                    guard let eq = field.firstIndex(of: "=") else { continue }
                    outputs[String(field[..<eq])] = decodeBase64(field[field.index(after: eq)...])
                }
                if parts[1] == "CASE" { results.fromYaml[name] = outputs } else { results.values[name] = outputs }
            case "ERROR":
                results.errors[name] = parts.count > 3 ? decodeBase64(parts[3]) : ""
            default: continue
            }
        }
    }

    static func decodeBase64(_ s: Substring) -> String {
        String(decoding: Data(base64Encoded: String(s)) ?? Data(), as: UTF8.self)
    }

    /// What Bosun prints for the same functions (Helm trims one trailing newline off toYaml).
    /// When decoding fails, Helm's fromYaml gives `{"Error": message}` and fromYamlArray `[message]`.
    static func bosunOutputs(_ c: Case, decode: (String) throws(StructuredError) -> Value) -> Outputs {
        do {
            let value = try decode(c.text)
            // fromYaml of an empty document gives an empty map, fromYamlArray an empty list.
            if value.isNull { return bosunOutputs(c.isList ? .array([]) : .emptyObject) }
            return bosunOutputs(value)
        } catch {
            return bosunOutputs(c.isList ? .array([.string(error.message)]) : .object(["Error": .string(error.message)]))
        }
    }

    static func bosunOutputs(_ value: Value) -> Outputs {
        func trimmed(_ s: String) -> String { s.hasSuffix("\n") ? String(s.dropLast()) : s }
        return [
            "toYaml": (try? YAML.encode(value)).map(trimmed) ?? "",
            "toJson": JSON.encode(value),
            "toRawJson": JSON.encode(value, escapeHTML: false),
            "toPrettyJson": JSON.encode(value, indent: "  "),
            "toYamlPretty": (try? YAML.encodePretty(value)).map(trimmed) ?? "",
        ]
    }

    struct HarnessError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

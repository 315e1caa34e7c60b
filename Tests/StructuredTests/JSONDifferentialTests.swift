import Foundation
import Structured
import Testing
import TestSupport

/// `fromJson` inputs (valid and malformed) through real helm 4 in one run: Bosun's
/// `JSON.decode(allDoubles: true)` re-encoded must print what helm prints, errors included.
@Suite struct JSONDifferentialTests {
    static let inputs: [String] = [
        #"{"a": 1, "b": [true, false, null], "c": {"d": "e"}}"#,
        #"{"n": [0, -0, 1.0, 1.5, 1e3, 1E-7, 12345678901234567890, 9007199254740993, 1e21, 123456789.123, -1.25e-10]}"#,
        #"{"s": "\u00e9\ud83d\ude00\n\t\"\\\/<>&\u2028", "e": "", "u": "\u0001\u001f"}"#,
        #"{"a": 1, "a": 2}"#,
        #"{"z": 1, "A": 2, "a": 3, "10": 4, "9": 5, "é": 6}"#,
        #"{"nested": {"deep": {"deeper": [[[]]], "empty": {}}}}"#,
        "{\n  \"pretty\": [\n    1,\n    2\n  ]\n}\n",
        #"  {"ws": true}  "#,
        #"{"big": 1e308, "small": 5e-324, "neg": -9223372036854775808}"#,
        #"{"a": 1,}"#,
        #"{"a": 1 "b": 2}"#,
        #"{"a" 1}"#,
        #"{'a': 1}"#,
        #"{"a": tru}"#,
        #"{"a": nul}"#,
        #"{"a": 01}"#,
        #"{"a": 1.}"#,
        #"{"a": .5}"#,
        #"{"a": -}"#,
        #"{"a": 1e}"#,
        #"{"a": "x"#,
        #"{"a": "\q"}"#,
        "{\"a\": \"tab\there\"}",
        #"{"a": 1} x"#,
        #"[1, 2]"#,
        #""str""#,
        "",
        #"{"a": [1, 2}"#,
        #"{"a": NaN}"#,
        #"{"a": +1}"#,
    ]

    @Test func fromJsonMatchesHelm4() throws {
        let dir = try makeTemporaryDirectory("json-corpus")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/templates", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/json", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: json\nversion: 0.1.0\n".write(toFile: dir + "/Chart.yaml", atomically: true, encoding: .utf8)
        for (i, text) in Self.inputs.enumerated() {
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/json/\(String(format: "%02d", i)).json"))
        }
        try """
            {{- range $p, $_ := .Files.Glob "json/*" }}
            {{- $d := $.Files.Get $p | fromJson }}
            # JSON {{ base $p }} {{ toJson $d | b64enc }} {{ toYaml $d | b64enc }}
            {{- end }}

            """.write(toFile: dir + "/templates/json.yaml", atomically: true, encoding: .utf8)
        let result = try runProcess(try Oracle.helm4.path(), ["template", dir])
        #expect(result.succeeded, "\(result.stderr)")
        var helm: [String: [String]] = [:]
        for line in result.stdout.split(separator: "\n") where line.hasPrefix("# JSON ") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            helm[String(parts[2])] = parts.dropFirst(3).map { HelmCorpusHarness.decodeBase64($0) }
        }
        #expect(helm.count == Self.inputs.count)
        for (i, text) in Self.inputs.enumerated() {
            let name = String(format: "%02d", i) + ".json"
            let value: Value
            do {
                let decoded = try JSON.decode(text, allDoubles: true)
                if case .object = decoded {
                    value = decoded
                } else {
                    let kind = decoded.arrayValue != nil ? "array" : "string"
                    value = ["Error": .string("json: cannot unmarshal \(kind) into Go value of type map[string]interface {}")]
                }
            } catch {
                value = ["Error": .string(error.message)]
            }
            var yaml = (try? YAML.encode(value)) ?? ""
            if yaml.hasSuffix("\n") { yaml.removeLast() }
            #expect(helm[name] == [JSON.encode(value), yaml], "input \(String(reflecting: text))")
        }
    }
}

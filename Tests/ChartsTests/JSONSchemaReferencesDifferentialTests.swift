import Foundation
import Structured
import Testing
import TestSupport

@testable import Charts

/// `$ref`s to other documents (JSONSchema+References), through `helm template` and through us:
/// the cases of Tests/Fixtures/Charts/schemas/references.json, whose documents are written to a
/// temporary directory that `@DIR@` names. Relative refs resolve against file:///values.schema.json,
/// so those cases only exercise a file missing under `/` (nothing is ever written there).
@Suite struct JSONSchemaReferencesDifferentialTests {
    @Test func referenceCasesMatchHelm() throws {
        let text = try String(contentsOfFile: RenderHarness.fixtures + "/schemas/references.json", encoding: .utf8)
        let fixture = try JSON.decode(text)
        guard let documents = fixture["documents"]?.objectValue, let cases = fixture["cases"]?.arrayValue else {
            throw ChartsError("references.json: needs documents and cases")
        }
        let work = try makeTemporaryDirectory("bosun-schema-refs")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let shared = work + "/documents"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        for (name, content) in documents {
            try (content.stringValue ?? "").write(toFile: shared + "/" + name, atomically: true, encoding: .utf8)
        }
        var argumentLists: [[String]] = []
        for item in cases {
            guard let name = item["name"]?.stringValue, let schema = item["schema"], let values = item["values"] else {
                throw ChartsError("references.json: a case needs name, schema and values")
            }
            let schemaText = JSON.encode(schema).replacingOccurrences(of: "@DIR@", with: shared)
            argumentLists.append([try JSONSchemaDifferentialTests.writeCaseChart(name, schema: schemaText, values: values, in: work)])
        }
        #expect(argumentLists.count >= 50)
        let (mismatches, helmOutcomes) = try RenderHarness.compare(argumentLists)
        for m in mismatches {
            Issue.record("\((m.arguments[0] as NSString).lastPathComponent):\n--- helm\n\(m.helm)\n--- ours\n\(m.ours)")
        }
        // Most cases fail in helm, and most of those on loading: a suite where every ref
        // resolved would not test the loader.
        #expect(helmOutcomes.filter { !$0.succeeded }.count >= 40)
        #expect(helmOutcomes.filter { $0.text.contains("failing loading") }.count >= 20)
    }

    /// values.schema.json files that are no JSON or no schema: the Decoder's message, or the
    /// metaschema's type error, is the chart's report (the same decoding as loaded documents).
    @Test func unparsableSchemasMatchHelm() throws {
        let texts = ["not json", "", " \n", "{\"type\":", "tru", "{} x", "{}}", "[1, 2]", "\"str\"", "null", "12", "{\"a\": 1,}"]
        let work = try makeTemporaryDirectory("bosun-schema-unparsable")
        defer { try? FileManager.default.removeItem(atPath: work) }
        var argumentLists: [[String]] = []
        for (i, text) in texts.enumerated() {
            let chart = work + "/c\(i)"
            try FileManager.default.createDirectory(atPath: chart + "/templates", withIntermediateDirectories: true)
            try "apiVersion: v2\nname: c\(i)\nversion: 0.1.0\n".write(toFile: chart + "/Chart.yaml", atomically: true, encoding: .utf8)
            try text.write(toFile: chart + "/values.schema.json", atomically: true, encoding: .utf8)
            try "a: 1\n".write(toFile: chart + "/values.yaml", atomically: true, encoding: .utf8)
            try "kind: ConfigMap\n".write(toFile: chart + "/templates/cm.yaml", atomically: true, encoding: .utf8)
            argumentLists.append([chart])
        }
        let (mismatches, helmOutcomes) = try RenderHarness.compare(argumentLists)
        for m in mismatches {
            Issue.record("\(texts[Int((m.arguments[0] as NSString).lastPathComponent.dropFirst())!].debugDescription):\n--- helm\n\(m.helm)\n--- ours\n\(m.ours)")
        }
        #expect(helmOutcomes.filter { !$0.succeeded }.count == texts.count)
    }

    /// A byte-order mark before the schema: helm accepts it.
    @Test func byteOrderMarkMatchesHelm() throws {
        let work = try makeTemporaryDirectory("bosun-schema-bom")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let chart = work + "/bom"
        try FileManager.default.createDirectory(atPath: chart + "/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: bom\nversion: 0.1.0\n".write(toFile: chart + "/Chart.yaml", atomically: true, encoding: .utf8)
        try "\u{FEFF}{\"properties\": {\"a\": {\"type\": \"string\"}}}".write(toFile: chart + "/values.schema.json", atomically: true, encoding: .utf8)
        try "a: 1\n".write(toFile: chart + "/values.yaml", atomically: true, encoding: .utf8)
        try "kind: ConfigMap\n".write(toFile: chart + "/templates/cm.yaml", atomically: true, encoding: .utf8)
        let (mismatches, helmOutcomes) = try RenderHarness.compare([[chart]])
        for m in mismatches { Issue.record("--- helm\n\(m.helm)\n--- ours\n\(m.ours)") }
        #expect(helmOutcomes.first?.text.contains("got number, want string") == true)
    }

    /// A subchart whose schema cannot load: its section follows the parent's, as in helm.
    @Test func subchartLoadFailureMatchesHelm() throws {
        let work = try makeTemporaryDirectory("bosun-schema-refs-sub")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let parent = work + "/parent", child = parent + "/charts/child"
        for dir in [parent + "/templates", child + "/templates"] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        try "apiVersion: v2\nname: parent\nversion: 0.1.0\n".write(toFile: parent + "/Chart.yaml", atomically: true, encoding: .utf8)
        try "apiVersion: v2\nname: child\nversion: 0.1.0\n".write(toFile: child + "/Chart.yaml", atomically: true, encoding: .utf8)
        try "child:\n  a: 1\n".write(toFile: parent + "/values.yaml", atomically: true, encoding: .utf8)
        try #"{"required": ["zz"]}"#.write(toFile: parent + "/values.schema.json", atomically: true, encoding: .utf8)
        try #"{"properties": {"a": {"$ref": "\#(work)/missing.json"}}}"#.write(toFile: child + "/values.schema.json", atomically: true, encoding: .utf8)
        try "kind: ConfigMap\n".write(toFile: parent + "/templates/cm.yaml", atomically: true, encoding: .utf8)
        let (mismatches, helmOutcomes) = try RenderHarness.compare([[parent]])
        for m in mismatches { Issue.record("--- helm\n\(m.helm)\n--- ours\n\(m.ours)") }
        #expect(helmOutcomes.first?.text.contains("child:\nfailing loading") == true)
    }
}

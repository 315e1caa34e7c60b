import Foundation
import Structured
import Testing
import TestSupport

@testable import Charts

/// values.schema.json against values, through `helm template` and through us: the cases in
/// Tests/Fixtures/Charts/schemas/cases.json (unevaluated*, formats, references, drafts) must
/// pass or fail alike, with the same report. Each case leaves at most one sibling property
/// error, since Helm's order of those follows Go's random map iteration.
@Suite struct JSONSchemaDifferentialTests {
    @Test func schemaCasesMatchHelm() throws {
        let text = try String(contentsOfFile: RenderHarness.fixtures + "/schemas/cases.json", encoding: .utf8)
        guard case .array(let cases) = try JSON.decode(text) else { throw ChartsError("cases.json: not an array") }
        let work = try makeTemporaryDirectory("bosun-schemas")
        defer { try? FileManager.default.removeItem(atPath: work) }
        var argumentLists: [[String]] = []
        for item in cases {
            guard let name = item["name"]?.stringValue, let schema = item["schema"], let values = item["values"] else {
                throw ChartsError("cases.json: a case needs name, schema and values")
            }
            argumentLists.append([try Self.writeCaseChart(name, schema: JSON.encode(schema), values: values, in: work)])
        }
        #expect(argumentLists.count >= 50)
        let (mismatches, helmOutcomes) = try RenderHarness.compare(argumentLists)
        for m in mismatches {
            Issue.record("\((m.arguments[0] as NSString).lastPathComponent):\n--- helm\n\(m.helm)\n--- ours\n\(m.ours)")
        }
        // Most cases are violations: a schema that helm accepts everywhere would test little.
        #expect(helmOutcomes.filter { !$0.succeeded }.count >= 40)
    }

    /// A chart `name` under `directory` with `schema` as values.schema.json, `values` and one
    /// template; returns its path.
    static func writeCaseChart(_ name: String, schema: String, values: Value, in directory: String) throws -> String {
        let chart = directory + "/" + name
        try FileManager.default.createDirectory(atPath: chart + "/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: \(name)\nversion: 0.1.0\n".write(toFile: chart + "/Chart.yaml", atomically: true, encoding: .utf8)
        try schema.write(toFile: chart + "/values.schema.json", atomically: true, encoding: .utf8)
        try JSON.encode(values).write(toFile: chart + "/values.yaml", atomically: true, encoding: .utf8)
        try "kind: ConfigMap\n".write(toFile: chart + "/templates/cm.yaml", atomically: true, encoding: .utf8)
        return chart
    }
}

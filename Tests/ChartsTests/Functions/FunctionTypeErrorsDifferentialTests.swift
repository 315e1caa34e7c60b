import Foundation
import Testing
import TestSupport

@testable import Charts

/// Functions called with wrong argument types (Tests/Fixtures/Functions/wrong-types.txt), one
/// chart per case, through `helm template` and through `ChartTemplate`: the whole error text
/// (Helm's reformatted trace, Go's reflect wording) or output must be identical.
@Suite struct FunctionTypeErrorsDifferentialTests {
    @Test func wrongArgumentTypesFailLikeHelm() throws {
        let expressions = try HelmFunctionsDifferentialTests.cases("wrong-types.txt")
        let work = try makeTemporaryDirectory("bosun-wrong-types")
        defer { try? FileManager.default.removeItem(atPath: work) }
        var argumentLists: [[String]] = []
        for (i, expression) in expressions.enumerated() {
            let chart = work + "/c\(i)"
            try FileManager.default.createDirectory(atPath: chart + "/templates", withIntermediateDirectories: true)
            try "apiVersion: v2\nname: c\nversion: 0.1.0\n".write(toFile: chart + "/Chart.yaml", atomically: true, encoding: .utf8)
            try FileManager.default.copyItem(atPath: HelmFunctionsDifferentialTests.fixtures + "/values.yaml", toPath: chart + "/values.yaml")
            try "# {{ \(expression) }}\n".write(toFile: chart + "/templates/t.yaml", atomically: true, encoding: .utf8)
            argumentLists.append([chart])
        }
        #expect(expressions.count >= 150)
        let (mismatches, helmOutcomes) = try RenderHarness.compare(argumentLists)
        for m in mismatches {
            let i = argumentLists.firstIndex(of: m.arguments)!
            Issue.record("\(expressions[i]):\n--- helm\n\(m.helm)\n--- ours\n\(m.ours)")
        }
        #expect(helmOutcomes.filter { !$0.succeeded }.count >= 130)
    }
}

import Foundation
import Testing
import TestSupport

@testable import Charts

/// Broken charts under Tests/Fixtures/Charts/broken: helm 4 and bosun must fail with the same message.
@Suite struct ChartTemplateBrokenTests {
    @Test func brokenChartsFailLikeHelm() throws {
        let root = RenderHarness.fixtures + "/broken"
        let cases = try RenderHarness.cases(file: RenderHarness.fixtures + "/broken.cases")
        #expect(cases.count >= 30)
        let argumentLists: [[String]] = cases.map { c in
            let path = root + "/" + c.name
            if let first = c.arguments.first, !first.hasPrefix("-") { return [first, path] + c.arguments.dropFirst() }
            return [path] + c.arguments
        }
        let (mismatches, helmOutcomes) = try RenderHarness.compare(argumentLists)
        for (arguments, outcome) in zip(argumentLists, helmOutcomes) where outcome.succeeded {
            Issue.record("helm accepted broken case \(arguments)")
        }
        for m in mismatches {
            Issue.record("\(m.arguments.joined(separator: " ")):\n--- helm\n\(m.helm)\n--- ours\n\(m.ours)")
        }
    }
}

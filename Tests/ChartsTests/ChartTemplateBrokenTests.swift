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

    /// The release-name check (a DNS-1123 subdomain of at most 53 bytes, checked without a regex
    /// engine): names at the edges of the rule render as in helm; broken ones are in broken.cases.
    @Test func releaseNamesAtTheEdgesRenderLikeHelm() throws {
        let chart = RenderHarness.fixtures + "/features/release-data"
        let names = ["a", "0", "a.b", "a-b.c-d", "a--b", "0.0.0", String(repeating: "a", count: 53)]
        let (mismatches, helmOutcomes) = try RenderHarness.compare(names.map { [$0, chart] })
        #expect(helmOutcomes.allSatisfy { $0.succeeded })
        for m in mismatches { Issue.record("\(m.arguments[0]):\n--- helm\n\(m.helm)\n--- ours\n\(m.ours)") }
        #expect(!ChartTemplate.isDNS1123Subdomain("a\n"))
        #expect(!ChartTemplate.isDNS1123Subdomain(""))
    }
}

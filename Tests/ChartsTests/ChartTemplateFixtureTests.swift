import Foundation
import Testing
import TestSupport

@testable import Charts

/// Feature charts under Tests/Fixtures/Charts/features, rendered by helm 4 and by us, byte for byte.
@Suite struct ChartTemplateFixtureTests {
    @Test func featureChartsMatchHelm() throws {
        let root = RenderHarness.fixtures + "/features"
        // The packaged fixture needs its subchart as a .tgz: build it with helm into a copy.
        let work = try makeTemporaryDirectory("bosun-fixtures")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let packaged = work + "/packaged"
        try FileManager.default.copyItem(atPath: root + "/packaged", toPath: packaged)
        let pack = try runProcess(try Oracle.helm4.path(), ["package", packaged + "/inner-src", "-d", packaged + "/charts"])
        #expect(pack.succeeded, "\(pack.stderr)")

        let cases = try RenderHarness.cases(file: RenderHarness.fixtures + "/features.cases")
        let argumentLists: [[String]] = cases.map { c in
            let dir = c.name == "packaged" ? packaged : root + "/" + c.name
            let args = c.arguments.map { $0.replacingOccurrences(of: "{dir}", with: dir) }
            // A bare name first means "NAME CHART" (helm's release-name positional).
            if let first = args.first, !first.hasPrefix("-") { return [first, dir] + args.dropFirst() }
            return [dir] + args
        }
        #expect(Set(cases.map(\.name)).count >= 15)
        let (mismatches, helmOutcomes) = try RenderHarness.compare(argumentLists)
        for m in mismatches {
            Issue.record("\(m.arguments.joined(separator: " ")): \(RenderHarness.firstDifference(m.helm.text, m.ours.text))\n--- helm\n\(m.helm)\n--- ours\n\(m.ours)")
        }
        // Every feature case is meant to render: a helm failure means the fixture itself is wrong.
        for (arguments, outcome) in zip(argumentLists, helmOutcomes) where !outcome.succeeded {
            Issue.record("helm failed on feature case \(arguments): \(outcome.text)")
        }
    }
}

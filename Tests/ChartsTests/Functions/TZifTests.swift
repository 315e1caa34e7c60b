import Foundation
import Testing
import TestSupport

@testable import Charts

/// Zone names and offsets from the TZif files (`TZif`, `PosixTZ`) and `toDate`'s zone-name
/// parsing: `Tests/Fixtures/Functions/timezones` (30 zones x 13 instants, 18 parse cases) is
/// rendered by helm live and compared byte for byte.
@Suite struct TZifTests {
    @Test func zonesPrintLikeHelm() throws {
        let chart = Repository.root + "/Tests/Fixtures/Functions/timezones"
        let (mismatches, helm) = try RenderHarness.compare([[chart]])
        #expect(helm.allSatisfy { $0.succeeded }, "helm failed: \(helm.map(\.text))")
        #expect(helm.first?.text.contains("2024-07-03 05:46:40 EDT -0400") == true)
        for m in mismatches {
            Issue.record("\(RenderHarness.firstDifference(m.helm.text, m.ours.text))")
        }
    }

    @Test func footerRulesApplyPastTheLastTransition() throws {
        let rule = try #require(PosixTZ("EST5EDT,M3.2.0,M11.1.0"))
        // 2100-07-01 12:00 UTC is summer time, 2100-01-01 is not.
        #expect(rule.lookup(4_118_140_800 + 43_200)?.name == "EDT")
        #expect(rule.lookup(4_102_444_800)?.name == "EST")
        let fixed = try #require(PosixTZ("<+0545>-5:45"))
        #expect(fixed.lookup(0)?.offset == 20_700)
    }
}

import Foundation
import Testing
import TestSupport

@testable import Charts

/// Go maps are references: `set`, `unset`, `merge*` change a map for every variable, field,
/// list element, template and subchart that holds it, and `deepCopy` breaks the sharing.
/// `Tests/Fixtures/Functions/aliasing` exercises each path; helm renders it live.
@Suite struct DictAliasingTests {
    @Test func aliasedMapsMutateLikeHelm() throws {
        let chart = Repository.root + "/Tests/Fixtures/Functions/aliasing"
        let (mismatches, helm) = try RenderHarness.compare([[chart]])
        #expect(helm.allSatisfy { $0.succeeded }, "helm failed: \(helm.map(\.text))")
        #expect(helm.first?.text.contains("# mergeemptyfill: map[q:1 w:1] map[n:map[w:1]]") == true)
        for m in mismatches {
            Issue.record("\(RenderHarness.firstDifference(m.helm.text, m.ours.text))\n--- ours\n\(m.ours.text)")
        }
    }
}

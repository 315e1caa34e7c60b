import Foundation
import Testing
import TestSupport

@testable import Charts

/// Go's static types of Sprig results (`[]string`, `[]int`, `map[string]string`, `[][]interface {}`)
/// through `typeOf`, `kindOf`, `typeIs`, `deepEqual`, `%T`, and how such values index, range and print.
/// `Tests/Fixtures/Functions/gotypes` is rendered by helm live and compared byte for byte.
@Suite struct ReflectionTests {
    @Test func goTypesMatchHelm() throws {
        let chart = Repository.root + "/Tests/Fixtures/Functions/gotypes"
        let (mismatches, helm) = try RenderHarness.compare([[chart]])
        #expect(helm.allSatisfy { $0.succeeded }, "helm failed: \(helm.map(\.text))")
        #expect(helm.first?.text.contains("# splitList: []string|slice|[]string|true|true|true") == true)
        for m in mismatches {
            Issue.record("\(RenderHarness.firstDifference(m.helm.text, m.ours.text))\n--- ours\n\(m.ours.text)")
        }
    }
}

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

    /// Helm's `common.Values` (`.`, `.Values`, `.Template`, a subchart's `.Values`) against plain
    /// maps: copies, merges, `set`, `dig`, `deepEqual`, `tpl`, `include`, in a chart and its subchart.
    @Test func namedValuesTypeMatchesHelm() throws {
        let chart = Repository.root + "/Tests/Fixtures/Functions/named-types"
        let (mismatches, helm) = try RenderHarness.compare([[chart]])
        #expect(helm.allSatisfy { $0.succeeded }, "helm failed: \(helm.map(\.text))")
        #expect(helm.first?.text.contains("# values: common.Values|map|common.Values|true|true|true") == true)
        for m in mismatches {
            Issue.record("\(RenderHarness.firstDifference(m.helm.text, m.ours.text))\n--- ours\n\(m.ours.text)")
        }
    }

    /// Failures that name or depend on `common.Values` (Sprig's `dig` assertion, `in type interface {}`
    /// field errors), one chart per line of `Tests/Fixtures/Functions/named-types-errors.txt`.
    @Test func namedValuesTypeErrorsMatchHelm() throws {
        let lines = try CaseCharts.lines("Tests/Fixtures/Functions/named-types-errors.txt")
        let files = [
            "Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n",
            "values.yaml": "a: 1\nl: [1]\nglobal:\n  g: 1\nsub:\n  k: 2\n",
            "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
            "charts/sub/values.yaml": "k: 1\ns: str\n",
        ]
        let (mismatches, helm) = try CaseCharts.compare(lines, files: files) { line in
            let (place, expression) = (line.prefix { $0 != " " }, line.drop { $0 != " " }.dropFirst())
            return (place == "sub" ? "charts/sub/templates/t.yaml" : "templates/t.yaml", "# {{ \(expression) }}\n")
        }
        #expect(lines.count >= 40)
        for m in mismatches { Issue.record("\(m)") }
        #expect(helm.filter { !$0.succeeded }.count >= 30)
    }
}

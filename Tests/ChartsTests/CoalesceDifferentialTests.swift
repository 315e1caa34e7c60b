import Foundation
import Testing
import TestSupport

@testable import Charts

/// Coalesced values (`toJson .Values`) of charts with subcharts, compared with helm.
@Suite struct CoalesceDifferentialTests {
    static let parentValues = """
        top: 1
        table: {a: 1, b: {c: 2, d: 3}}
        list: [1, 2]
        nullDefault: null
        global: {g: parent, nested: {x: 1}}
        child:
          fromParent: yes
          over: parent
          deleteMe: null
        """
    static let childValues = """
        over: child
        deleteMe: child-default
        keep: [a, b]
        global: {g: child, nested: {y: 2}, childOnly: true}
        deep: {a: {b: {c: 1}}}
        """

    static let cases: [[String]] = [
        [],
        ["--set", "table.b.c=null,top=null"],
        ["--set", "table=scalar"],
        ["--set", "list[3]=x"],
        ["--set", "child.deep.a.b=null", "--set", "child.keep=null"],
        ["--set", "global.g=cli,global.nested.z=3"],
        ["--set", "child.global.g=child-cli"],
        ["--set-json", "child={\"over\":{\"now\":\"table\"}}"],
        ["--set", "newNull=null,table.b=null"],
        ["--set", "child.over=null"],
    ]

    @Test func valuesMatchHelm() throws {
        let chart = try HelmOracle.writeChart([
            "Chart.yaml": "apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n  - name: child\n    version: 1.0.0\n",
            "values.yaml": Self.parentValues,
            "templates/values.yaml": "{{ toJson .Values }}\n",
            "charts/child/Chart.yaml": "apiVersion: v2\nname: child\nversion: 1.0.0\n",
            "charts/child/values.yaml": Self.childValues,
            "charts/child/templates/values.yaml": "{{ toJson .Values }}\n",
        ], name: "parent")
        defer { try? FileManager.default.removeItem(atPath: (chart as NSString).deletingLastPathComponent) }
        let (mismatches, helm) = try RenderHarness.compare(Self.cases.map { [chart] + $0 })
        #expect(helm.allSatisfy { $0.succeeded })
        for m in mismatches {
            Issue.record("\(m.arguments.dropFirst()): \(RenderHarness.firstDifference(m.helm.text, m.ours.text))")
        }
    }
}

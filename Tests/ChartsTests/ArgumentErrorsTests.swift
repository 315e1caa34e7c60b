import Foundation
import Testing
import TestSupport

@testable import Charts

/// Marked function errors rewritten the way Go's text/template reports argument errors.
@Suite struct ArgumentErrorsTests {
    let source = "a: {{ upper 1 }}\nb: {{ trunc (add 1 2) .Values.x.y | quote }}\nc: {{ .Values.n | upper }}\n"

    func rewrite(_ line: Int, _ column: Int, _ function: String, _ marker: String, _ message: String) -> String {
        let raw = "template: t:\(line):\(column): executing \"t\" at <\(function) ...>: error calling \(function): " + marker + message
        return ArgumentErrors.rewrite(raw) { $0 == "t" ? source : nil }
    }

    @Test func literalArgumentsGetEvalArgsMessage() {
        #expect(rewrite(1, 6, "upper", ArgumentErrors.marker(index: 0, expected: "string"), "wrong type for value; expected string; got int")
            == "template: t:1:12: executing \"t\" at <1>: expected string; found 1")
    }

    @Test func pipelinesPointAtTheirLastOperandAndChainsAtTheirSecondField() {
        #expect(rewrite(2, 6, "trunc", ArgumentErrors.marker(index: 0, expected: "int"), "wrong type for value; expected int; got int64")
            == "template: t:2:19: executing \"t\" at <2>: wrong type for value; expected int; got int64")
        #expect(rewrite(2, 6, "trunc", ArgumentErrors.marker(index: 1, expected: "string"), "wrong type for value; expected string; got float64")
            == "template: t:2:29: executing \"t\" at <.Values.x.y>: wrong type for value; expected string; got float64")
    }

    @Test func pipedValuesAndArityPointAtTheFunction() {
        #expect(rewrite(3, 18, "upper", ArgumentErrors.marker(index: 0, expected: "string"), "wrong type for value; expected string; got float64")
            == "template: t:3:18: executing \"t\" at <upper>: wrong type for value; expected string; got float64")
        #expect(rewrite(1, 6, "upper", ArgumentErrors.arityMarker, "wrong number of args for upper: want 1 got 2")
            == "template: t:1:6: executing \"t\" at <upper>: wrong number of args for upper: want 1 got 2")
    }

    @Test func unknownSourcesKeepGoCallFormWithoutMarkers() {
        let raw = "template: gotpl:1:3: executing \"gotpl\" at <upper 1>: error calling upper: " + ArgumentErrors.marker(index: 0, expected: "string") + "m"
        #expect(ArgumentErrors.rewrite(raw) { _ in nil } == "template: gotpl:1:3: executing \"gotpl\" at <upper 1>: error calling upper: m")
        #expect(ArgumentErrors.strippingMarkers("x: " + ArgumentErrors.arityMarker + "y") == "x: y")
    }

    /// `Tests/Fixtures/Charts/tpl-argument-errors.txt`: wrong-type and arity errors inside `tpl`
    /// text (from values, nested `tpl`, `tpl` within `include` and the reverse), one chart per
    /// line through helm and us, byte for byte.
    @Test func tplArgumentErrorsMatchHelm() throws {
        let lines = try CaseCharts.lines("Tests/Fixtures/Charts/tpl-argument-errors.txt")
        let files = [
            "Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n",
            "values.yaml": "num: 3\ns: x\nlist: [1]\ntext: \"a: {{ upper .Values.num }}\"\nctl: \"\\x01\\u00e9 {{ lower 2 }}\"\n",
            "templates/_h.tpl": "{{- define \"inc\" }}{{ tpl \"{{ upper 1 }}\" . }}{{ end }}\n{{- define \"inc2\" }}{{ upper .Values.num }}{{ end }}\n",
        ]
        let (mismatches, helm) = try CaseCharts.compare(lines, files: files) { ("templates/t.yaml", "# " + $0 + "\n") }
        #expect(lines.count >= 30)
        #expect(helm.allSatisfy { !$0.succeeded })
        for m in mismatches { Issue.record("\(m)") }
    }
}

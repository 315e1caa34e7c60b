import Foundation
import Testing
import TestSupport

@testable import Charts

/// Go's regexp/syntax refusals and messages (`RE2Syntax`) and the RE2 constructs the ICU
/// translation must keep (octal and `\x{}` escapes, literal braces, `\pL`, repeated assertions):
/// each pattern of `Tests/Fixtures/Functions/regex-syntax.txt` runs through helm and us.
@Suite struct RE2SyntaxTests {
    static let text = #"aAb{,5}a}x 12\u00e9{}-_[]ab\u0000\u0007A$"#

    @Test func patternsParseAndMatchLikeHelm() throws {
        let lines = try CaseCharts.lines("Tests/Fixtures/Functions/regex-syntax.txt")
        let files = ["Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n"]
        let (mismatches, helm) = try CaseCharts.compare(lines, files: files) { line in
            if line.hasPrefix("must ") {
                return ("templates/t.yaml", "# {{ mustRegexReplaceAll `\(line.dropFirst(5))` \"\(Self.text)\" \"<$0>\" | toJson }}\n")
            }
            return ("templates/t.yaml", "# {{ regexFindAll `\(line)` \"\(Self.text)\" -1 | join \"|\" | quote }}\n")
        }
        #expect(lines.count >= 100)
        #expect(helm.filter { !$0.succeeded }.count >= 50)
        #expect(helm.filter { $0.succeeded }.count >= 30)
        for m in mismatches { Issue.record("\(m)") }
    }

    @Test func messagesNameTheOffendingText() {
        #expect(RE2Syntax.check("a**") == "error parsing regexp: invalid nested repetition operator: `**`")
        #expect(RE2Syntax.check("(a{100}){100}") == "error parsing regexp: invalid repeat count: `{100}`")
        #expect(RE2Syntax.check("[[:foo:]]") == "error parsing regexp: invalid character class range: `[:foo:]`")
        #expect(RE2Syntax.check("\\") == "error parsing regexp: trailing backslash at end of expression: ``")
        #expect(RE2Syntax.check("\\p{upper case_letter}") == nil)
        #expect(RE2Syntax.check("(?i)(?P<x>(?-i:a)|b+?){2,3}?") == nil)
    }
}

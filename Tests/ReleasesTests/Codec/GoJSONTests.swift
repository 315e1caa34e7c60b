import Structured
import Testing
@testable import Releases

@Suite struct GoJSONTests {
    @Test func keepsMemberOrderAndTypes() throws {
        let text = #"{"b":1,"a":[true,null,-2.5,"x"],"c":{"z":12345678901234567890,"y":1e3}}"#
        let v = try GoJSON.decode(Array(text.utf8))
        #expect(v["b"] == .int(1))
        #expect(v[path: "c", "z"] == .double(12345678901234567890))
        #expect(v[path: "c", "y"] == .double(1000))
        #expect(GoJSON.encode(v) == #"{"b":1,"a":[true,null,-2.5,"x"],"c":{"z":12345678901234567000,"y":1000}}"#)
        #expect(GoJSON.encode(v, sortKeys: true).hasPrefix(#"{"a":"#))
    }

    @Test(arguments: [
        (1e21, "1e+21"), (1e20, "100000000000000000000"), (0.000001, "0.000001"), (1e-7, "1e-7"),
        (0.1, "0.1"), (-3.25, "-3.25"), (1.5e300, "1.5e+300"), (123456.789, "123456.789"), (2.5e-10, "2.5e-10"),
    ])
    func floatsPrintAsGo(value: Double, expected: String) {
        #expect(GoJSON.formatFloat(value) == expected)
    }

    @Test func escapesLikeGo() throws {
        let s: Value = .string("<a href=\"x\">&</a>\n\t\u{1}é\u{2028}")
        #expect(GoJSON.encode(s) == #""\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e\n\t\u0001é\u2028""#)
        #expect(try GoJSON.decode(Array(GoJSON.encode(s).utf8)) == s)
        #expect(try GoJSON.decode(Array(#""\ud83d\ude00 \/""#.utf8)) == .string("😀 /"))
    }

    @Test(arguments: [#"{"a":1"#, #"{"a" 1}"#, "[1,]", "tru", #""abc"#, "{} x", "01x"])
    func rejectsBrokenJSON(text: String) {
        #expect(throws: GoJSON.SyntaxError.self) { try GoJSON.decode(Array(text.utf8)) }
    }
}

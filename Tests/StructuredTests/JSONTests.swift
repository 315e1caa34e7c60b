import Foundation
import Structured
import Testing

/// Go encoding/json specifics: number layout, escaping, key order, MarshalIndent; and decoding.
@Suite struct JSONTests {
    @Test(arguments: [
        (1.0, "1"), (-0.0, "-0"), (1e20, "100000000000000000000"), (1e21, "1e+21"), (1e-6, "0.000001"),
        (1e-7, "1e-7"), (1.5e-7, "1.5e-7"), (123456789.123, "123456789.123"), (0.1, "0.1"),
        (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"), (12345678901234567890.0, "12345678901234567000"),
    ])
    func floatsPrintLikeGo(value: Double, expected: String) {
        #expect(JSON.encode(.double(value)) == expected)
    }

    @Test func integersPrintExactly() {
        #expect(JSON.encode(.int(Int64.max)) == "9223372036854775807")
        #expect(JSON.encode(.int(-5)) == "-5")
    }

    @Test func unsupportedValuesGiveEmptyOrThrow() {
        #expect(JSON.encode(["a": .double(.nan)]) == "")
        #expect(throws: StructuredError.self) { try JSON.encodeChecked(.double(.infinity)) }
    }

    @Test func escapesLikeGo() {
        let s: Value = .string("<a href=\"x\">&</a>\u{2028}\u{2029}\u{7f}\u{1}\u{8}\u{c}\t\n\r\\é😀")
        #expect(JSON.encode(s) == #""\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e\u2028\u2029"# + "\u{7f}" + #"\u0001\b\f\t\n\r\\é😀""#)
        #expect(JSON.encode(s, escapeHTML: false) == #""<a href=\"x\">&</a>\u2028\u2029"# + "\u{7f}" + #"\u0001\b\f\t\n\r\\é😀""#)
    }

    @Test func sortsKeysByBytes() {
        let v: Value = ["b": 1, "B": 2, "a": 3, "é": 4, "z": 5, "10": 6, "9": 7]
        #expect(JSON.encode(v) == #"{"10":6,"9":7,"B":2,"a":3,"b":1,"z":5,"é":4}"#)
        #expect(JSON.encode(v, sortKeys: false).hasPrefix(#"{"b":1,"B":2"#))
    }

    @Test func marshalIndentLayout() {
        let v: Value = ["a": [1, [:], []], "b": ["c": nil]]
        #expect(JSON.encode(v, indent: "  ") == "{\n  \"a\": [\n    1,\n    {},\n    []\n  ],\n  \"b\": {\n    \"c\": null\n  }\n}")
    }

    @Test func decodesNumbersByMode() throws {
        #expect(try JSON.decode("[1, 1.0, 9007199254740993, 1e2, -0]") == [.int(1), .double(1), .int(9007199254740993), .double(100), .int(0)])
        #expect(try JSON.decode("[1, 9007199254740993]", allDoubles: true) == [.double(1), .double(9007199254740992)])
    }

    @Test func decodesStringsAndEscapes() throws {
        #expect(try JSON.decode(#""a\u00e9\ud83d\ude00\/\n""#) == .string("aé😀/\n"))
        #expect(try JSON.decode(#"{"a":1,"a":2}"#) == ["a": 2])
    }

    @Test(arguments: [
        ("{\"a\": 1,\n \"b\": }", "invalid character '}' looking for beginning of value", 2, 7),
        ("[1, 2", "unexpected end of JSON input", 1, 6),
        ("{\"a\" 1}", "invalid character '1' after object key", 1, 6),
        ("[1 2]", "invalid character '2' after array element", 1, 4),
        ("tru", "unexpected end of JSON input", 1, 4),
        ("nul!", "invalid character '!' in literal null (expecting 'l')", 1, 4),
        ("{} x", "invalid character 'x' after top-level value", 1, 4),
        ("\"a\tb\"", "invalid character '\\t' in string literal", 1, 3),
    ])
    func errorsLikeGoWithPosition(text: String, message: String, line: Int, column: Int) {
        do {
            _ = try JSON.decode(text, file: "x.json")
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.message == message)
            #expect(error.location == SourceLocation(file: "x.json", line: line, column: column))
        }
    }
}

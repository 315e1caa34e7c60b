import Structured
import Testing

/// The byte API (`JSON.decode([UInt8])`, `JSON.encodeBytes`) that the Kube client and Releases'
/// record codec use: same parser and writer as the String API.
@Suite struct JSONBytesTests {
    @Test func keepsMemberOrderAndTypes() throws {
        let text = #"{"b":1,"a":[true,null,-2.5,"x"],"c":{"z":12345678901234567890,"y":1e3,"x":-0,"w":123456789012345678}}"#
        let v = try JSON.decode(Array(text.utf8))
        #expect(v == (try JSON.decode(text)))
        #expect(v["b"] == .int(1))
        #expect(v[path: "c", "z"] == .double(12345678901234567890))
        #expect(v[path: "c", "y"] == .double(1000))
        #expect(v[path: "c", "x"] == .int(0))
        #expect(v[path: "c", "w"] == .int(123456789012345678))
        #expect(v.objectValue?.keys.elements == ["b", "a", "c"])
        let kept = try JSON.encodeBytes(v, sortKeys: false)
        #expect(String(decoding: kept, as: UTF8.self)
            == #"{"b":1,"a":[true,null,-2.5,"x"],"c":{"z":12345678901234567000,"y":1000,"x":0,"w":123456789012345678}}"#)
        #expect(String(decoding: try JSON.encodeBytes(v), as: UTF8.self).hasPrefix(#"{"a":[true"#))
    }

    @Test(arguments: [Int64.min, Int64.max, -1, 0, 7, 999_999_999_999_999_999, 1_000_000_000_000_000_000, -1_000_000_000_000_000_000])
    func integersRoundTripExactly(value: Int64) throws {
        let bytes = try JSON.encodeBytes(.int(value))
        #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        #expect(try JSON.decode(bytes) == .int(value))
    }

    @Test func numbersBeyondInt64AreDoubles() throws {
        #expect(try JSON.decode(Array("9223372036854775808".utf8)) == .double(9223372036854775808))
        #expect(try JSON.decode(Array("[1.0,2e0,-3E-1]".utf8)) == [.double(1), .double(2), .double(-0.3)])
        #expect(try JSON.decode(Array("[7]".utf8), allDoubles: true) == [.double(7)])
    }

    @Test func escapesAndUnicode() throws {
        let s: Value = .string("<a href=\"x\">&</a>\n\t\u{1}é\u{2028}😀")
        let go = try JSON.encodeBytes(s)
        #expect(String(decoding: go, as: UTF8.self) == #""\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e\n\t\u0001é\u2028😀""#)
        #expect(try JSON.decode(go) == s)
        let raw = try JSON.encodeBytes(s, escapeHTML: false)
        #expect(String(decoding: raw, as: UTF8.self).hasPrefix(#""<a href=\"x\">&</a>"#))
        #expect(try JSON.decode(Array(#""\ud83d\ude00 \/""#.utf8)) == .string("😀 /"))
        // Invalid UTF-8 in a string becomes U+FFFD, as in Go.
        #expect(try JSON.decode([0x22, 0x61, 0xFF, 0x22]) == .string("a\u{FFFD}"))
    }

    @Test(arguments: [
        (#"{"a":1"#, "unexpected end of JSON input"), (#"{"a" 1}"#, "invalid character '1' after object key"),
        ("[1,]", "invalid character ']' looking for beginning of value"), ("tru", "unexpected end of JSON input"),
        (#""abc"#, "unexpected end of JSON input"), ("{} x", "invalid character 'x' after top-level value"),
        ("01x", "invalid character '1' after top-level value"), ("", "unexpected end of JSON input"),
        ("-", "unexpected end of JSON input"), ("1.", "unexpected end of JSON input"),
    ])
    func rejectsBrokenJSON(text: String, message: String) {
        do {
            _ = try JSON.decode(Array(text.utf8), file: "body")
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.message == message)
            #expect(error.location?.file == "body")
        }
    }

    @Test func nanIsRefused() {
        #expect(throws: StructuredError.self) { try JSON.encodeBytes(["a": .double(.nan)]) }
    }
}

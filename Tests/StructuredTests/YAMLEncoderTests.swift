import Foundation
import Structured
import Testing

/// toYaml / toYamlPretty layout rules on values built in code (the corpus covers decoded ones).
@Suite struct YAMLEncoderTests {
    @Test func integersAndDoublesPrintLikeHelm() throws {
        #expect(try YAML.encode(["a": .int(9007199254740993), "b": .double(1e6), "c": .double(1.5e-7), "d": .double(1e21)])
            == "a: 9007199254740993\nb: 1000000\nc: 1.5e-07\nd: 1e+21\n")
        #expect(try YAML.encodePretty(["b": .double(1e6)]) == "b: 1e+06\n")
    }

    @Test func topLevelScalarsAndEmpties() throws {
        #expect(try YAML.encode("abc") == "abc\n")
        #expect(try YAML.encode(.null) == "null\n")
        #expect(try YAML.encode(.emptyObject) == "{}\n")
        #expect(try YAML.encode([]) == "[]\n")
        #expect(try YAML.encode("x\n\n") == "|+\n  x\n\n")
        #expect(try YAML.encode(["x\n\n"]) == "- |+\n  x\n\n")
    }

    @Test func nelFoldsAndForbiddenCharactersFail() throws {
        #expect(try YAML.encode("a\u{85}b  \u{85}  \u{85}c") == "|-\n  a b\n  c\n")
        #expect(throws: StructuredError.self) { try YAML.encode(["a": "x\u{7f}"]) }
        #expect(try YAML.encodePretty(["a": "x\u{7f}"]) == "a: \"x\\x7F\"\n")
    }

    @Test func listsUnderKeysAreIndentedOnlyInPretty() throws {
        let v: Value = ["a": [1, [2, 3]]]
        #expect(try YAML.encode(v) == "a:\n- 1\n- - 2\n  - 3\n")
        #expect(try YAML.encodePretty(v) == "a:\n  - 1\n  - - 2\n    - 3\n")
    }

    @Test func infinitiesFailInToYaml() {
        #expect(throws: StructuredError.self) { try YAML.encode(["a": .double(.infinity)]) }
        #expect((try? YAML.encodePretty(["a": .double(.infinity)])) == "a: .inf\n")
    }
}

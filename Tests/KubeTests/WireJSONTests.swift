import Structured
import Testing

@testable import Kube

@Suite struct WireJSONTests {
    @Test func roundTripKeepsOrderAndTypes() throws {
        let text = #"{"b":1,"a":[true,false,null,1.5,-2,"x\"y\\z\n\u00e9\ud83d\ude00"],"c":{},"d":[],"e":12345678901234}"#
        let value = try WireJSON.decode(text)
        #expect(value["b"] == .int(1))
        #expect(value["a"]?.arrayValue?[3] == .double(1.5))
        #expect(value["a"]?.arrayValue?[5] == .string("x\"y\\z\né😀"))
        #expect(value.objectValue?.keys.elements == ["b", "a", "c", "d", "e"])
        #expect(try WireJSON.decode(WireJSON.encode(value)) == value)
        #expect(WireJSON.encode(["k": .string("a\u{1}")]) == #"{"k":"a\u0001"}"#)
    }

    @Test func rejectsBrokenJSON() {
        for bad in ["{", "[1,]", "{\"a\" 1}", "tru", "\"open", "1 2", ""] {
            #expect(throws: KubeError.self) { try WireJSON.decode(bad) }
        }
    }
}

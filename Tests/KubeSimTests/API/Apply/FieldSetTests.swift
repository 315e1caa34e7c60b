import Structured
import Testing
@testable import KubeSim

/// FieldsV1 serialization order and in-place set edits.
@Suite struct FieldSetTests {
    @Test func fieldsV1OrdersFieldsKeysValuesThenTheRest() {
        var set = FieldSet()
        for path in [["f:b"], ["i:0"], ["v:\"x\""], ["k:{\"name\":\"a\"}", "f:image"], ["f:a", "f:z"], ["f:a", "f:m"], ["k:{\"name\":\"a\"}"]] {
            set.insert(path)
        }
        let json = JSON.wireString(set.fieldsV1)
        #expect(json == #"{"f:a":{"f:m":{},"f:z":{}},"f:b":{},"k:{\"name\":\"a\"}":{".":{},"f:image":{}},"v:\"x\"":{},"i:0":{}}"#)
        #expect(FieldSet(fieldsV1: set.fieldsV1) == set)
    }

    @Test func rankReadsTheFirstTwoCharacters() {
        #expect(FieldSet.rank("f:name") == 0)
        #expect(FieldSet.rank("k:{}") == 1)
        #expect(FieldSet.rank("v:1") == 2)
        #expect(FieldSet.rank("i:0") == 3)
        #expect(FieldSet.rank("f:") == 0)
        #expect(FieldSet.rank("f") == 3)
        #expect(FieldSet.rank("") == 3)
        #expect(FieldSet.rank("fx:a") == 3)
        #expect(FieldSet.rank("f:é") == 0)
        // A combining mark joins the ':' into one character: no longer "f:".
        #expect(FieldSet.rank("f:\u{301}x") == 3)
    }

    @Test func insertContainsRemoveKeepTheTree() {
        var set = FieldSet()
        set.insert(["f:spec", "f:replicas"])
        set.insert(["f:spec", "f:template", "f:metadata"])
        #expect(set.contains(["f:spec", "f:replicas"]))
        #expect(!set.contains(["f:spec"]))
        #expect(!set.contains(["f:status"]))
        let before = set
        set.remove(["f:spec", "f:replicas"])
        #expect(!set.contains(["f:spec", "f:replicas"]))
        #expect(before.contains(["f:spec", "f:replicas"]))  // a copy keeps its own tree
        set.remove(["f:spec", "f:template", "f:metadata"])
        #expect(set.isEmpty)
    }
}

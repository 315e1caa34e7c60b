import Testing

@testable import Charts

/// Reference resolution against a document's URL, as Go's net/url resolves and prints it.
@Suite struct JSONSchemaURLTests {
    let root = "file:///values.schema.json"

    @Test func relativeNamesResolveUnderTheRoot() {
        #expect(JSONSchema.resolveURL("other.json", against: root) == "file:///other.json")
        #expect(JSONSchema.resolveURL("./a/../other.json", against: root) == "file:///other.json")
        #expect(JSONSchema.resolveURL("../../other.json", against: root) == "file:///other.json")
        #expect(JSONSchema.resolveURL("b.json", against: "file:///tmp/x/a.json") == "file:///tmp/x/b.json")
    }

    @Test func absoluteReferences() {
        #expect(JSONSchema.resolveURL("/tmp/a b.json", against: root) == "file:///tmp/a%20b.json")
        #expect(JSONSchema.resolveURL("/tmp/a%20b.json?v=1", against: root) == "file:///tmp/a%20b.json?v=1")
        #expect(JSONSchema.resolveURL("file://localhost/tmp/x.json", against: root) == "file://localhost/tmp/x.json")
        #expect(JSONSchema.resolveURL("C:/x.json", against: root) == "c:/x.json")
        #expect(JSONSchema.resolveURL("urn:example:thing", against: root) == "urn:example:thing")
        #expect(JSONSchema.filePath("file://elsewhere/tmp/a%20b.json?v=1") == "/tmp/a b.json")
    }

    /// A ref with no `#` used to resolve to `Value.null` (a nil literal of an ExpressibleByNilLiteral
    /// type) and so accept anything; now it names a document that must load.
    @Test func aMissingDocumentFailsInsteadOfPassing() {
        var schema = JSONSchema(["properties": ["a": ["$ref": "/nonexistent-bosun/x.json"]]])
        #expect(schema.loadReferences() == #"failing loading "file:///nonexistent-bosun/x.json": open /nonexistent-bosun/x.json: no such file or directory"#)
        #expect(schema.resolve("/nonexistent-bosun/x.json") == nil)
    }
}

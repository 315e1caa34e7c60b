import Structured
import Testing

@testable import Charts

/// The validator on schemas built in code (the differential suite runs schemas through helm).
@Suite struct JSONSchemaTests {
    func report(_ schema: Value, _ instance: Value) -> String? {
        JSONSchema(schema).validate(instance).map(JSONSchema.describe)
    }

    @Test func typesAndRequired() {
        let schema: Value = ["type": "object", "required": ["image", "tag"], "properties": ["replicas": ["type": "integer"]]]
        #expect(report(schema, ["replicas": 1.5]) == "- at '': missing properties 'image', 'tag'\n- at '/replicas': got number, want integer\n")
        #expect(report(schema, ["replicas": 2.0, "image": "x", "tag": "y"]) == nil)
    }

    @Test func enumConstAndNumbers() {
        #expect(report(["enum": ["a", "b"]], "c") == "- at '': value must be one of 'a', 'b'\n")
        #expect(report(["const": "a"], "c") == "- at '': value must be 'a'\n")
        #expect(report(["minimum": 2.0], 1.0) == "- at '': minimum: got 1, want 2\n")
        #expect(report(["exclusiveMaximum": 2.0], 2.0) == "- at '': exclusiveMaximum: got 2, want 2\n")
        #expect(report(["multipleOf": 2.0], 3.0) == "- at '': multipleOf: got 3, want 2\n")
    }

    @Test func stringsAndArrays() {
        #expect(report(["pattern": "^a+$"], "b") == "- at '': 'b' does not match pattern '^a+$'\n")
        #expect(report(["maxLength": 2], "abc") == "- at '': maxLength: got 3, want 2\n")
        #expect(report(["items": ["type": "string"]], ["a", 1.0]) == "- at '/1': got number, want string\n")
        #expect(report(["uniqueItems": true], [1.0, 2.0, 1.0]) == "- at '': items at 0 and 2 are equal\n")
        #expect(report(["prefixItems": [["type": "string"]], "items": false], ["a", 1.0]) == "- at '/1': false schema\n")
    }

    @Test func combinatorsNest() {
        let schema: Value = ["anyOf": [["type": "string"], ["type": "integer"]]]
        #expect(report(schema, true) == "- at '': 'anyOf' failed\n  - at '': got boolean, want string\n  - at '': got boolean, want integer\n")
        #expect(report(["oneOf": [["type": "number"], ["minimum": 0.0]]], 1.0) == "- at '': 'oneOf' failed, subschemas 0, 1 matched\n")
        #expect(report(["not": ["type": "string"]], "x") == "- at '': 'not' failed\n")
        let conditional: Value = ["if": ["properties": ["kind": ["const": "a"]]], "then": ["required": ["a"]], "else": ["required": ["b"]]]
        #expect(report(conditional, ["kind": "a"]) == "- at '': missing property 'a'\n")
        #expect(report(conditional, ["kind": "z"]) == "- at '': missing property 'b'\n")
    }

    @Test func referencesAndAdditionalProperties() {
        let schema: Value = [
            "$defs": ["port": ["type": "integer", "maximum": 65535.0]],
            "properties": ["port": ["$ref": "#/$defs/port"]],
            "additionalProperties": false,
        ]
        #expect(report(schema, ["port": 70000.0]) == "- at '/port': maximum: got 70,000, want 65,535\n")
        #expect(report(schema, ["extra": 1.0]) == "- at '': additional properties 'extra' not allowed\n")
        let nested: Value = ["properties": ["a": ["type": "object", "required": ["x", "y"], "properties": ["z": ["type": "string"]]]]]
        #expect(report(nested, ["a": ["z": 1.0]]) == "- at '/a': missing properties 'x', 'y'\n- at '/a/z': got number, want string\n")
    }

    @Test func draftSevenUsesDefinitionsAndRefOverridesSiblings() {
        let schema: Value = [
            "$schema": "http://json-schema.org/draft-07/schema#",
            "definitions": ["s": ["type": "string"]],
            "properties": ["a": ["$ref": "#/definitions/s", "type": "integer"]],
        ]
        #expect(report(schema, ["a": "ok"]) == nil)
        #expect(report(schema, ["a": 1.0]) == "- at '/a': got number, want string\n")
    }

    @Test func dependentRequired() {
        let schema: Value = ["dependentRequired": ["tls": ["cert", "key"]]]
        #expect(report(schema, ["tls": true, "cert": "c"]) == "- at '': properties 'key' required, if 'tls' exists\n")
    }
}

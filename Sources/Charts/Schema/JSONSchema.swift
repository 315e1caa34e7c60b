import Foundation
import OrderedCollections
import Structured

/// A JSON Schema validator with the behaviour Helm 4 gets from santhosh-tekuri/jsonschema v6:
/// `$schema` picks the draft (4, 6, 7, 2019-09, 2020-12; default 2020-12), `format` is not asserted,
/// and failures print as `- at '/path': message` lines, nested causes indented.
public struct JSONSchema: Sendable {
    let root: Value
    let draft: Int
    /// The document's URL, and the base its references resolve against (its root `$id`, if any).
    let url: String
    let base: String
    /// Every schema resource by URL: the chart's own, loaded documents and subschemas with their
    /// own `$id` (JSONSchema+References).
    var documents: [String: Resource]

    struct Resource: Sendable {
        var schema: Value
        var draft: Int
    }

    /// Parses values.schema.json; a failure carries the Decoder's message Helm prints as the
    /// chart's report (`invalid character …`, `EOF`, `unexpected EOF`).
    public init(json: [UInt8]) throws(ChartsError) {
        do { self.init(try JSONSchema.decodeDocument(json)) } catch { throw ChartsError(error.message) }
    }

    /// A schema document as v6 decodes it with encoding/json's Decoder: nothing but blanks is
    /// `EOF`, a value cut short io.ErrUnexpectedEOF, and v6 rejects anything after the value.
    static func decodeDocument(_ bytes: [UInt8]) throws(StructuredError) -> Value {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.unicodeScalars.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) { throw StructuredError("EOF") }
        do {
            return try JSON.decode(text)
        } catch {
            if error.message == "unexpected end of JSON input" { throw StructuredError("unexpected EOF") }
            if error.message.hasSuffix(" after top-level value") { throw StructuredError("invalid character after top-level value") }
            throw StructuredError(error.message)
        }
    }

    /// `defaultDraft` is the draft without `$schema`: 2020-12 for a document, the enclosing
    /// resource's for a subschema with its own `$id`.
    init(_ root: Value, url: String = JSONSchema.rootURL, documents: [String: Resource] = [:], defaultDraft: Int = 2020) {
        self.root = root
        self.url = url
        let draft = JSONSchema.draft(of: root, default: defaultDraft)
        self.draft = draft
        base = JSONSchema.identifier(of: root, draft: draft).map { JSONSchema.resolveURL($0, against: url) } ?? url
        var documents = documents
        if documents[url] == nil { documents[url] = Resource(schema: root, draft: draft) }
        if documents[base] == nil { documents[base] = Resource(schema: root, draft: draft) }
        self.documents = documents
    }

    /// The URL part of a schema's `$id` (`id` in draft 4), when it has one; before 2019-09 a
    /// `$ref` hides its sibling `$id` too.
    static func identifier(of schema: Value, draft: Int) -> String? {
        guard let object = schema.objectValue, draft >= 2019 || object["$ref"] == nil,
            let id = object[draft == 4 ? "id" : "$id"]?.stringValue else { return nil }
        let address = String(id.prefix { $0 != "#" })
        return address.isEmpty ? nil : address
    }

    private static func draft(of root: Value, default fallback: Int) -> Int {
        guard let uri = root.objectValue?["$schema"]?.stringValue else { return fallback }
        if uri.contains("draft-04") { return 4 }
        if uri.contains("draft-06") { return 6 }
        if uri.contains("draft-07") { return 7 }
        if uri.contains("2019-09") { return 2019 }
        return 2020
    }

    /// A failed keyword at an instance location, with nested causes (allOf/anyOf/oneOf/groups).
    public struct Violation: Sendable, Hashable {
        public var location: [String]
        public var message: String
        public var causes: [Violation] = []
        /// v6's Group kind (several errors of one schema under "validation failed"), which the
        /// root lifts; a `$ref`'s "validation failed" is a Reference and stays.
        var isGroup = false
    }

    /// Validate; `nil` when valid.
    public func validate(_ instance: Value) -> [Violation]? {
        let errors = check(root, instance, [], depth: 0).errors
        if errors.isEmpty { return nil }
        // v6 lifts the causes of a root result that is a group, also when one property's group
        // (several item errors under `/list`) is the only error.
        if errors.count == 1, errors[0].isGroup { return errors[0].causes }
        return errors
    }

    /// The text Helm prints after the chart name: one `- at` line per violation, then a newline.
    public static func describe(_ violations: [Violation]) -> String {
        var out = ""
        for v in violations { render(v, indent: 1, into: &out) }
        return String(out.dropFirst()) + "\n"
    }

    private static func render(_ v: Violation, indent: Int, into out: inout String) {
        out += "\n" + String(repeating: "  ", count: indent - 1) + "- "
        out += "at " + quote(pointer(v.location)) + ": " + v.message
        for c in v.causes { render(c, indent: indent + 1, into: &out) }
    }

    private static func pointer(_ location: [String]) -> String {
        location.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined()
    }

    static func quote(_ s: String) -> String {
        var inner = String(goQuote(s).dropFirst().dropLast())
        inner = inner.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "'", with: "\\'")
        return "'" + inner + "'"
    }

    static func display(_ v: Value) -> String {
        switch v {
        case .string(let s): return quote(s)
        case .array, .object: return "value"
        default: return GoValueText.value(v)
        }
    }

    // MARK: helpers

    /// Numbers as golang.org/x/text/message prints them in English: digit groups with commas.
    /// golang.org/x/text's `%v` of a float64: shortest digits, `%g`'s switch to an exponent
    /// (exponent < -4 or >= 6), written as `d.ddd×10⁰⁶`.
    static func localized(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return GoValueText.float(d) }
        if d == 0 { return "0" }
        let sign = d < 0 ? "-" : ""
        let (digits, point) = GoValueText.shortestDigits(abs(d))
        let exponent = point - 1
        if exponent < -4 || exponent >= 6 {
            var mantissa = String(digits.prefix(1))
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let superscripts: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
            var power = String(abs(exponent))
            if power.count < 2 { power = "0" + power }
            let raised = String(power.map { superscripts[Int(String($0))!] })
            return sign + mantissa + "×10" + (exponent < 0 ? "⁻" : "") + raised
        }
        var integer = "0", fraction = ""
        if point <= 0 {
            fraction = String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            integer = digits + String(repeating: "0", count: point - digits.count)
        } else {
            integer = String(digits.prefix(point))
            fraction = String(digits.dropFirst(point))
        }
        let groupedInteger = grouped(Int(integer) ?? 0)
        return sign + groupedInteger + (fraction.isEmpty ? "" : "." + fraction)
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func typeName(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    static func isInteger(_ v: Value) -> Bool {
        switch v {
        case .int: return true
        case .double(let d): return d.rounded() == d && d.isFinite
        default: return false
        }
    }

    /// JSON equality: numbers by value whatever their type.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case let (x, y) where x.doubleValue != nil && y.doubleValue != nil:
            if case .int(let i) = x, case .int(let j) = y { return i == j }
            return x.doubleValue == y.doubleValue
        case let (.array(x), .array(y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case let (.object(x), .object(y)):
            return x.count == y.count && x.allSatisfy { k, v in y[k].map { equal(v, $0) } ?? false }
        default: return a == b
        }
    }
}

import Foundation
import OrderedCollections
import Structured

/// A JSON Schema validator with the behaviour Helm 4 gets from santhosh-tekuri/jsonschema v6:
/// `$schema` picks the draft (4, 6, 7, 2019-09, 2020-12; default 2020-12), `format` is not asserted,
/// and failures print as `- at '/path': message` lines, nested causes indented.
public struct JSONSchema: Sendable {
    let root: Value
    let draft: Int

    public init(json: [UInt8]) throws(ChartsError) {
        let text = String(decoding: json, as: UTF8.self)
        do { root = try JSON.decode(text) } catch {
            throw ChartsError("jsonschema: invalid json file:///values.schema.json: \(error)")
        }
        draft = JSONSchema.draft(of: root)
    }

    init(_ root: Value) {
        self.root = root
        draft = JSONSchema.draft(of: root)
    }

    private static func draft(of root: Value) -> Int {
        guard let uri = root["$schema"]?.stringValue else { return 2020 }
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
    }

    /// Validate; `nil` when valid.
    public func validate(_ instance: Value) -> [Violation]? {
        let errors = check(root, instance, [], depth: 0)
        return errors.isEmpty ? nil : errors
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

    // MARK: validation

    private func group(_ errors: [Violation], _ location: [String]) -> [Violation] {
        errors
    }

    /// Errors of `schema` against `instance`; several errors are returned flat (Helm lists them as
    /// siblings at the top, or under "validation failed" when nested).
    private func check(_ schema: Value, _ instance: Value, _ location: [String], depth: Int) -> [Violation] {
        if depth > 200 { return [] }
        func fail(_ message: String) -> Violation { Violation(location: location, message: message) }
        switch schema {
        case .bool(let b): return b ? [] : [fail("false schema")]
        case .object: break
        default: return []
        }
        let s = schema.objectValue!
        let type = JSONSchema.typeName(instance)
        // Before 2019-09, `$ref` replaces every sibling keyword.
        if draft < 2019, let ref = s["$ref"]?.stringValue {
            return resolve(ref).map { check($0, instance, location, depth: depth + 1) } ?? []
        }

        if let t = s["type"] {
            let wanted: [String] = t.stringValue.map { [$0] } ?? (t.arrayValue ?? []).compactMap(\.stringValue)
            if !wanted.isEmpty {
                let matched = wanted.contains(type) || (wanted.contains("integer") && type == "number" && JSONSchema.isInteger(instance))
                if !matched { return [fail("got \(type), want \(wanted.joined(separator: " or "))")] }
            }
        }
        if let c = s["const"], !JSONSchema.equal(instance, c) {
            switch c {
            case .array, .object: return [fail("const failed")]
            default: return [fail("value must be \(JSONSchema.display(c))")]
            }
        }
        if let e = s["enum"]?.arrayValue, !e.contains(where: { JSONSchema.equal(instance, $0) }) {
            let primitive = !e.contains { if case .array = $0 { return true }; if case .object = $0 { return true }; return false }
            if !primitive { return [fail("enum failed")] }
            if e.count == 1 { return [fail("value must be \(JSONSchema.display(e[0]))")] }
            return [fail("value must be one of \(e.map(JSONSchema.display).joined(separator: ", "))")]
        }
        var errors: [Violation] = []
        if let ref = s["$ref"]?.stringValue {
            let target = resolve(ref)
            errors += target.map { check($0, instance, location, depth: depth + 1) } ?? []
        }

        switch instance {
        case .object(let object): errors += checkObject(s, object, location, depth: depth)
        case .array(let array): errors += checkArray(s, array, location, depth: depth)
        case .string(let string): errors += checkString(s, string, location)
        case .int, .double: errors += checkNumber(s, instance, location)
        default: break
        }

        if let not = s["not"], check(not, instance, location, depth: depth + 1).isEmpty {
            errors.append(fail("not failed"))
        }
        if let all = s["allOf"]?.arrayValue {
            let causes = all.compactMap { wrap(check($0, instance, location, depth: depth + 1), location) }
            if !causes.isEmpty { errors.append(Violation(location: location, message: "allOf failed", causes: causes)) }
        }
        if let any = s["anyOf"]?.arrayValue {
            var causes: [Violation] = []
            var matched = false
            for sub in any {
                if let v = wrap(check(sub, instance, location, depth: depth + 1), location) { causes.append(v) } else { matched = true; break }
            }
            if !matched { errors.append(Violation(location: location, message: "anyOf failed", causes: causes)) }
        }
        if let one = s["oneOf"]?.arrayValue {
            var matched = -1
            var causes: [Violation] = []
            for (i, sub) in one.enumerated() {
                if let v = wrap(check(sub, instance, location, depth: depth + 1), location) {
                    if matched == -1 { causes.append(v) }
                } else if matched == -1 {
                    matched = i
                } else {
                    errors.append(fail("oneOf failed, subschemas \(matched), \(i) matched"))
                    break
                }
            }
            if matched == -1 { errors.append(Violation(location: location, message: "oneOf failed, none matched", causes: causes)) }
        }
        if draft >= 7, let cond = s["if"] {
            if check(cond, instance, location, depth: depth + 1).isEmpty {
                if let then = s["then"], let v = wrap(check(then, instance, location, depth: depth + 1), location) { errors.append(v) }
            } else if let otherwise = s["else"], let v = wrap(check(otherwise, instance, location, depth: depth + 1), location) {
                errors.append(v)
            }
        }
        return errors
    }

    /// One error stays itself; several become a "validation failed" group (v6's Group kind).
    private func wrap(_ errors: [Violation], _ location: [String]) -> Violation? {
        switch errors.count {
        case 0: return nil
        case 1: return errors[0]
        default: return Violation(location: location, message: "validation failed", causes: errors)
        }
    }

    private func checkObject(_ s: OrderedDictionary<String, Value>, _ object: OrderedDictionary<String, Value>, _ location: [String], depth: Int) -> [Violation] {
        var errors: [Violation] = []
        func fail(_ m: String) { errors.append(Violation(location: location, message: m)) }
        if let min = s["minProperties"]?.intValue, object.count < min { fail("minProperties: got \(JSONSchema.grouped(object.count)), want \(JSONSchema.grouped(Int(min)))") }
        if let max = s["maxProperties"]?.intValue, object.count > max { fail("maxProperties: got \(JSONSchema.grouped(object.count)), want \(JSONSchema.grouped(Int(max)))") }
        if let required = s["required"]?.arrayValue?.compactMap(\.stringValue) {
            let missing = required.filter { object[$0] == nil }
            if missing.count == 1 { fail("missing property \(JSONSchema.quote(missing[0]))") }
            if missing.count > 1 { fail("missing properties \(missing.map(JSONSchema.quote).joined(separator: ", "))") }
        }
        if draft < 2019, let dependencies = s["dependencies"]?.objectValue {
            for (name, dependency) in dependencies where object[name] != nil {
                if let names = dependency.arrayValue {
                    let missing = names.compactMap(\.stringValue).filter { object[$0] == nil }
                    if !missing.isEmpty { fail("properties \(missing.map(JSONSchema.quote).joined(separator: ", ")) required, if \(JSONSchema.quote(name)) exists") }
                } else if let v = wrap(check(dependency, .object(object), location, depth: depth + 1), location) {
                    errors.append(v)
                }
            }
        }
        let properties = s["properties"]?.objectValue ?? [:]
        let patterns: [(NSRegularExpression, Value)] = (s["patternProperties"]?.objectValue ?? [:]).compactMap { key, value in
            (try? NSRegularExpression(pattern: key)).map { ($0, value) }
        }
        var additional: [String] = []
        for (name, value) in object {
            var evaluated = false
            if let sub = properties[name] {
                evaluated = true
                if let v = wrap(check(sub, value, location + [name], depth: depth + 1), location + [name]) { errors.append(v) }
            }
            for (regex, sub) in patterns where regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil {
                evaluated = true
                if let v = wrap(check(sub, value, location + [name], depth: depth + 1), location + [name]) { errors.append(v) }
            }
            if !evaluated, let extra = s["additionalProperties"] {
                if case .bool(let allowed) = extra {
                    if !allowed { additional.append(name) }
                } else if let v = wrap(check(extra, value, location + [name], depth: depth + 1), location + [name]) {
                    errors.append(v)
                }
            }
        }
        if !additional.isEmpty { fail("additional properties \(additional.map(JSONSchema.quote).joined(separator: ", ")) not allowed") }
        if draft == 4 { return errors }
        if let names = s["propertyNames"] {
            for name in object.keys where !check(names, .string(name), [], depth: depth + 1).isEmpty {
                fail("invalid propertyName \(JSONSchema.quote(name))")
            }
        }
        if draft == 6 { return errors }
        if let dependent = s["dependentSchemas"]?.objectValue {
            for (name, sub) in dependent where object[name] != nil {
                if let v = wrap(check(sub, .object(object), location, depth: depth + 1), location) { errors.append(v) }
            }
        }
        if let dependent = s["dependentRequired"]?.objectValue {
            for (name, list) in dependent where object[name] != nil {
                let missing = (list.arrayValue ?? []).compactMap(\.stringValue).filter { object[$0] == nil }
                if !missing.isEmpty { fail("properties \(missing.map(JSONSchema.quote).joined(separator: ", ")) required, if \(JSONSchema.quote(name)) exists") }
            }
        }
        return errors
    }

    private func checkArray(_ s: OrderedDictionary<String, Value>, _ array: [Value], _ location: [String], depth: Int) -> [Violation] {
        var errors: [Violation] = []
        func fail(_ m: String) { errors.append(Violation(location: location, message: m)) }
        if let min = s["minItems"]?.intValue, array.count < min { fail("minItems: got \(JSONSchema.grouped(array.count)), want \(JSONSchema.grouped(Int(min)))") }
        if let max = s["maxItems"]?.intValue, array.count > max { fail("maxItems: got \(JSONSchema.grouped(array.count)), want \(JSONSchema.grouped(Int(max)))") }
        if s["uniqueItems"]?.boolValue == true {
            outer: for i in array.indices {
                for j in array.indices where j > i && JSONSchema.equal(array[i], array[j]) {
                    fail("items at \(i) and \(j) are equal")
                    break outer
                }
            }
        }
        func item(_ sub: Value, _ i: Int) {
            let loc = location + [String(i)]
            if let v = wrap(check(sub, array[i], loc, depth: depth + 1), loc) { errors.append(v) }
        }
        var start = 0
        if draft >= 2020 {
            if let prefix = s["prefixItems"]?.arrayValue {
                for (i, sub) in prefix.enumerated() where i < array.count { item(sub, i) }
                start = prefix.count
            }
            if let items = s["items"] { for i in array.indices where i >= start { item(items, i) } }
        } else if let items = s["items"] {
            if let list = items.arrayValue {
                for (i, sub) in list.enumerated() where i < array.count { item(sub, i) }
                if array.count > list.count, let extra = s["additionalItems"] {
                    if case .bool(false) = extra {
                        fail("last \(array.count - list.count) additionalItem(s) not allowed")
                    } else {
                        for i in list.count..<array.count { item(extra, i) }
                    }
                }
            } else {
                for i in array.indices { item(items, i) }
            }
        }
        if draft >= 6, let contains = s["contains"] {
            let matches = array.indices.filter { check(contains, array[$0], location + [String($0)], depth: depth + 1).isEmpty }
            let minContains = draft >= 2019 ? (s["minContains"]?.intValue ?? 1) : 1
            if matches.count < minContains {
                if draft < 2019 || s["minContains"] == nil {
                    if matches.isEmpty { fail("no items match contains schema") }
                } else if matches.isEmpty {
                    fail("min \(minContains) items required to match contains schema, but none matched")
                } else {
                    fail("min \(minContains) items required to match contains schema, but matched \(matches.count) items at \(matches.map(String.init).joined(separator: " "))")
                }
            }
            if draft >= 2019, let maxContains = s["maxContains"]?.intValue, matches.count > maxContains {
                fail("max \(maxContains) items required to match contains schema, but matched \(matches.count) items at \(matches.map(String.init).joined(separator: " "))")
            }
        }
        return errors
    }

    private func checkString(_ s: OrderedDictionary<String, Value>, _ string: String, _ location: [String]) -> [Violation] {
        var errors: [Violation] = []
        let length = string.unicodeScalars.count
        if let min = s["minLength"]?.intValue, length < min { errors.append(Violation(location: location, message: "minLength: got \(JSONSchema.grouped(length)), want \(JSONSchema.grouped(Int(min)))")) }
        if let max = s["maxLength"]?.intValue, length > max { errors.append(Violation(location: location, message: "maxLength: got \(JSONSchema.grouped(length)), want \(JSONSchema.grouped(Int(max)))")) }
        if let pattern = s["pattern"]?.stringValue, let regex = try? NSRegularExpression(pattern: pattern),
            regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) == nil {
            errors.append(Violation(location: location, message: "\(JSONSchema.quote(string)) does not match pattern \(JSONSchema.quote(pattern))"))
        }
        return errors
    }

    private func checkNumber(_ s: OrderedDictionary<String, Value>, _ number: Value, _ location: [String]) -> [Violation] {
        var errors: [Violation] = []
        guard let n = number.doubleValue else { return [] }
        func fail(_ keyword: String, _ want: Value) {
            errors.append(Violation(location: location, message: "\(keyword): got \(JSONSchema.localized(n)), want \(JSONSchema.localized(want.doubleValue ?? 0))"))
        }
        if let min = s["minimum"], let m = min.doubleValue {
            if draft == 4, s["exclusiveMinimum"]?.boolValue == true {
                if n <= m { fail("exclusiveMinimum", min) }
            } else if n < m { fail("minimum", min) }
        }
        if let max = s["maximum"], let m = max.doubleValue {
            if draft == 4, s["exclusiveMaximum"]?.boolValue == true {
                if n >= m { fail("exclusiveMaximum", max) }
            } else if n > m { fail("maximum", max) }
        }
        if draft > 4 {
            if let min = s["exclusiveMinimum"], let m = min.doubleValue, n <= m { fail("exclusiveMinimum", min) }
            if let max = s["exclusiveMaximum"], let m = max.doubleValue, n >= m { fail("exclusiveMaximum", max) }
        }
        if let multiple = s["multipleOf"], let m = multiple.doubleValue, m > 0 {
            let q = n / m
            if q.rounded() != q { fail("multipleOf", multiple) }
        }
        return errors
    }

    // MARK: helpers

    /// Local references: `#`, `#/json/pointer`, and `#anchor`/`$id` names are looked up in the root.
    private func resolve(_ ref: String) -> Value? {
        guard let hash = ref.firstIndex(of: "#") else { return ref.isEmpty ? root : nil }
        let fragment = String(ref[ref.index(after: hash)...])
        if fragment.isEmpty { return root }
        if fragment.hasPrefix("/") {
            var current = root
            for raw in fragment.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
                let token = (String(raw).removingPercentEncoding ?? String(raw))
                    .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                if let next = current[token] { current = next } else if let i = Int(token), let a = current.arrayValue, i < a.count { current = a[i] } else { return nil }
            }
            return current
        }
        return findAnchor(fragment, in: root)
    }

    private func findAnchor(_ name: String, in value: Value) -> Value? {
        switch value {
        case .object(let o):
            if o["$anchor"]?.stringValue == name || o["$id"]?.stringValue == "#" + name { return value }
            for (_, v) in o { if let found = findAnchor(name, in: v) { return found } }
        case .array(let a):
            for v in a { if let found = findAnchor(name, in: v) { return found } }
        default: break
        }
        return nil
    }

    /// Numbers as golang.org/x/text/message prints them in English: digit groups with commas.
    static func localized(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return GoValueText.float(d) }
        if d == d.rounded(), abs(d) < 1e15 { return grouped(Int(d)) }
        let (digits, point) = GoValueText.shortestDigits(abs(d))
        var integer = "0", fraction = ""
        if point <= 0 {
            fraction = String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            integer = digits + String(repeating: "0", count: point - digits.count)
        } else {
            integer = String(digits.prefix(point))
            fraction = String(digits.dropFirst(point))
        }
        let sign = d < 0 ? "-" : ""
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

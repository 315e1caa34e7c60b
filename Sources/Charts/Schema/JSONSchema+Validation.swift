import Foundation
import OrderedCollections
import Structured

/// The validation walk, in santhosh-tekuri/jsonschema v6's keyword order (its messages depend on
/// it): type, const, enum, format, $ref, then object/array/string/number keywords, then
/// $recursiveRef/$dynamicRef, not, allOf, anyOf, oneOf, if/then/else, and last the
/// unevaluatedProperties/unevaluatedItems of 2019-09 and later.
extension JSONSchema {
    /// Properties and items no keyword has evaluated yet, tracked only while some schema up the
    /// in-place chain (or this one) has an `unevaluated*` keyword. Empty means "nothing left".
    struct Unevaluated {
        var properties: Set<String> = []
        var items: Set<Int> = []

        var isEmpty: Bool { properties.isEmpty && items.isEmpty }

        /// After a passing in-place subschema: only what it left unevaluated stays unevaluated.
        mutating func merge(_ other: Unevaluated) {
            properties.formIntersection(other.properties)
            items.formIntersection(other.items)
        }
    }

    struct Outcome {
        var errors: [Violation]
        var unevaluated: Unevaluated
    }

    /// What `schema` leaves to track for `instance` (v6's unevalFrom).
    private func tracked(_ s: OrderedDictionary<String, Value>, _ instance: Value, callerNeeds: Bool) -> Unevaluated {
        var result = Unevaluated()
        switch instance {
        case .object(let object):
            let wanted = callerNeeds || (draft >= 2019 && s["unevaluatedProperties"] != nil)
            if s["additionalProperties"] == nil, wanted { result.properties = Set(object.keys) }
        case .array(let array):
            var all = false
            var counted = 0
            if draft < 2020 {
                all = s["additionalItems"] != nil
                if let items = s["items"] {
                    if let list = items.arrayValue { counted = list.count } else { all = true }
                }
            } else {
                all = s["items"] != nil
                counted = s["prefixItems"]?.arrayValue?.count ?? 0
            }
            let wanted = callerNeeds || (draft >= 2019 && s["unevaluatedItems"] != nil)
            if !all, wanted, counted < array.count { result.items = Set(counted..<array.count) }
        default:
            break
        }
        return result
    }

    /// Errors of `schema` against `instance`; several errors are returned flat (Helm lists them as
    /// siblings at the top, or under "validation failed" when nested).
    func check(_ schema: Value, _ instance: Value, _ location: [String], depth: Int, callerNeeds: Bool = false) -> Outcome {
        if depth > 200 { return Outcome(errors: [], unevaluated: Unevaluated()) }
        func fail(_ message: String) -> Violation { Violation(location: location, message: message) }
        func failed(_ message: String) -> Outcome { Outcome(errors: [fail(message)], unevaluated: Unevaluated()) }
        let s: OrderedDictionary<String, Value>
        switch schema {
        case .bool(let b):
            if !b { return failed("false schema") }
            s = [:]
        case .object(let o):
            if o["$id"] != nil || (draft == 4 && o["id"] != nil), let resource = embedded(schema) {
                return resource.check(schema, instance, location, depth: depth, callerNeeds: callerNeeds)
            }
            s = o
        default: return Outcome(errors: [], unevaluated: Unevaluated())
        }
        var unevaluated = tracked(s, instance, callerNeeds: callerNeeds)
        if s.isEmpty { return Outcome(errors: [], unevaluated: unevaluated) }
        // Before 2019-09, `$ref` replaces every sibling keyword.
        if draft < 2019, let ref = s["$ref"]?.stringValue {
            guard let (document, target) = resolve(ref) else { return Outcome(errors: [], unevaluated: unevaluated) }
            let outcome = document.check(target, instance, location, depth: depth + 1)
            return Outcome(errors: wrap(outcome.errors, location, reference: true).map { [$0] } ?? [], unevaluated: unevaluated)
        }
        let type = JSONSchema.typeName(instance)

        if let t = s["type"] {
            let wanted: [String] = t.stringValue.map { [$0] } ?? (t.arrayValue ?? []).compactMap(\.stringValue)
            if !wanted.isEmpty {
                let matched = wanted.contains(type) || (wanted.contains("integer") && type == "number" && JSONSchema.isInteger(instance))
                if !matched { return failed("got \(type), want \(wanted.joined(separator: " or "))") }
            }
        }
        if let c = s["const"], draft >= 6, !JSONSchema.equal(instance, c) {
            switch c {
            case .array, .object: return failed("'const' failed")
            default: return failed("value must be \(JSONSchema.display(c))")
            }
        }
        if let e = s["enum"]?.arrayValue, !e.contains(where: { JSONSchema.equal(instance, $0) }) {
            let primitive = !e.contains { if case .array = $0 { return true }; if case .object = $0 { return true }; return false }
            if !primitive { return failed("'enum' failed") }
            if e.count == 1 { return failed("value must be \(JSONSchema.display(e[0]))") }
            return failed("value must be one of \(e.map(JSONSchema.display).joined(separator: ", "))")
        }
        // v6 asserts `format` for drafts before 2019-09 only (Helm does not opt in for later ones).
        if draft < 2019, let name = s["format"]?.stringValue,
            let message = JSONSchemaFormat.check(name, instance) {
            return failed("\(JSONSchema.display(instance)) is not valid \(name): \(message)")
        }

        var errors: [Violation] = []
        /// An in-place applicator: same instance; what it evaluates counts when it passes.
        func inPlace(_ sub: Value) -> [Violation] { inPlaceIn(self, sub) }
        /// The same for a subschema of another document (a reference's target).
        func inPlaceIn(_ document: JSONSchema, _ sub: Value) -> [Violation] {
            let outcome = document.check(sub, instance, location, depth: depth + 1, callerNeeds: !unevaluated.isEmpty)
            if outcome.errors.isEmpty { unevaluated.merge(outcome.unevaluated) }
            return outcome.errors
        }
        /// A reference: one error shows as itself, several under "validation failed".
        func reference(_ ref: String) {
            guard let (document, target) = resolve(ref) else { return }
            if let v = wrap(inPlaceIn(document, target), location, reference: true) { errors.append(v) }
        }
        if draft >= 2019, let ref = s["$ref"]?.stringValue { reference(ref) }

        switch instance {
        case .object(let object):
            // The in-place closure updates `unevaluated` itself, so the evaluated names come back.
            let (objectErrors, evaluated) = checkObject(s, object, location, depth: depth, inPlace)
            errors += objectErrors
            unevaluated.properties.subtract(evaluated)
        case .array(let array): errors += checkArray(s, array, location, depth: depth, &unevaluated)
        case .string(let string): errors += checkString(s, string, location)
        case .int, .double: errors += checkNumber(s, instance, location)
        default: break
        }

        if draft >= 2019 {
            // Resolved statically: the same as v6's dynamic scope while the schema is one resource.
            if draft == 2019, let ref = s["$recursiveRef"]?.stringValue { reference(ref) }
            if draft >= 2020, let ref = s["$dynamicRef"]?.stringValue { reference(ref) }
        }
        if let not = s["not"], inPlace(not).isEmpty {
            errors.append(fail("'not' failed"))
        }
        if let all = s["allOf"]?.arrayValue {
            let causes = all.compactMap { wrap(inPlace($0), location) }
            if !causes.isEmpty { errors.append(Violation(location: location, message: "'allOf' failed", causes: causes)) }
        }
        if let any = s["anyOf"]?.arrayValue {
            var causes: [Violation] = []
            var matched = false
            for sub in any {
                if let v = wrap(inPlace(sub), location) { causes.append(v) } else {
                    matched = true
                    // Unevaluated keywords need every passing branch's annotations.
                    if unevaluated.isEmpty { break }
                }
            }
            if !matched { errors.append(Violation(location: location, message: "'anyOf' failed", causes: causes)) }
        }
        if let one = s["oneOf"]?.arrayValue {
            var matched = -1
            var causes: [Violation] = []
            for (i, sub) in one.enumerated() {
                if let v = wrap(inPlace(sub), location) {
                    if matched == -1 { causes.append(v) }
                } else if matched == -1 {
                    matched = i
                } else {
                    errors.append(fail("'oneOf' failed, subschemas \(matched), \(i) matched"))
                    break
                }
            }
            if matched == -1 { errors.append(Violation(location: location, message: "'oneOf' failed, none matched", causes: causes)) }
        }
        if draft >= 7, let cond = s["if"] {
            if inPlace(cond).isEmpty {
                if let then = s["then"], let v = wrap(inPlace(then), location) { errors.append(v) }
            } else if let otherwise = s["else"], let v = wrap(inPlace(otherwise), location) {
                errors.append(v)
            }
        }

        if draft >= 2019 {
            if case .object(let object) = instance, let rest = s["unevaluatedProperties"] {
                for (name, value) in object where unevaluated.properties.contains(name) {
                    let loc = location + [name]
                    if let v = wrap(check(rest, value, loc, depth: depth + 1).errors, loc) { errors.append(v) }
                }
                unevaluated.properties = []
            }
            if case .array(let array) = instance, let rest = s["unevaluatedItems"] {
                for i in unevaluated.items.sorted() {
                    let loc = location + [String(i)]
                    if let v = wrap(check(rest, array[i], loc, depth: depth + 1).errors, loc) { errors.append(v) }
                }
                unevaluated.items = []
            }
        }
        return Outcome(errors: errors, unevaluated: unevaluated)
    }

    /// One error stays itself; several become a "validation failed" group (v6's Group kind, or
    /// its Reference kind for a `$ref`, which prints alike but is not lifted at the root).
    func wrap(_ errors: [Violation], _ location: [String], reference: Bool = false) -> Violation? {
        switch errors.count {
        case 0: return nil
        case 1: return errors[0]
        default: return Violation(location: location, message: "validation failed", causes: errors, isGroup: !reference)
        }
    }

    private func checkObject(
        _ s: OrderedDictionary<String, Value>, _ object: OrderedDictionary<String, Value>, _ location: [String], depth: Int,
        _ inPlace: (Value) -> [Violation]
    ) -> (errors: [Violation], evaluated: Set<String>) {
        var evaluatedNames: Set<String> = []
        var errors: [Violation] = []
        func fail(_ m: String) { errors.append(Violation(location: location, message: m)) }
        func child(_ sub: Value, _ name: String) {
            let loc = location + [name]
            if let v = wrap(check(sub, object[name]!, loc, depth: depth + 1).errors, loc) { errors.append(v) }
        }
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
                } else if let v = wrap(inPlace(dependency), location) {
                    errors.append(v)
                }
            }
        }
        let properties = s["properties"]?.objectValue ?? [:]
        let patterns: [(NSRegularExpression, Value)] = (s["patternProperties"]?.objectValue ?? [:]).compactMap { key, value in
            (try? GoRegex(key)).map { ($0.regex, value) }
        }
        var additional: [String] = []
        for name in object.keys {
            var evaluated = false
            if let sub = properties[name] {
                evaluated = true
                child(sub, name)
            }
            for (regex, sub) in patterns where regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil {
                evaluated = true
                child(sub, name)
            }
            if !evaluated, let extra = s["additionalProperties"] {
                evaluated = true
                if case .bool(let allowed) = extra {
                    if !allowed { additional.append(name) }
                } else {
                    child(extra, name)
                }
            }
            if evaluated { evaluatedNames.insert(name) }
        }
        if !additional.isEmpty { fail("additional properties \(additional.map(JSONSchema.quote).joined(separator: ", ")) not allowed") }
        if draft == 4 { return (errors, evaluatedNames) }
        if let names = s["propertyNames"] {
            for name in object.keys {
                let causes = check(names, .string(name), [], depth: depth + 1).errors
                if !causes.isEmpty {
                    errors.append(Violation(location: location, message: "invalid propertyName \(JSONSchema.quote(name))", causes: causes))
                }
            }
        }
        if draft == 6 { return (errors, evaluatedNames) }
        if draft >= 2019, let dependent = s["dependentSchemas"]?.objectValue {
            for (name, sub) in dependent where object[name] != nil {
                if let v = wrap(inPlace(sub), location) { errors.append(v) }
            }
        }
        if draft >= 2019, let dependent = s["dependentRequired"]?.objectValue {
            for (name, list) in dependent where object[name] != nil {
                let missing = (list.arrayValue ?? []).compactMap(\.stringValue).filter { object[$0] == nil }
                if !missing.isEmpty { fail("properties \(missing.map(JSONSchema.quote).joined(separator: ", ")) required, if \(JSONSchema.quote(name)) exists") }
            }
        }
        return (errors, evaluatedNames)
    }

    private func checkArray(_ s: OrderedDictionary<String, Value>, _ array: [Value], _ location: [String], depth: Int, _ unevaluated: inout Unevaluated) -> [Violation] {
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
            if let v = wrap(check(sub, array[i], loc, depth: depth + 1).errors, loc) { errors.append(v) }
        }
        if draft >= 2020 {
            var start = 0
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
                        // v6 reports these at their offset past the tuple, not their index.
                        for i in list.count..<array.count {
                            let loc = location + [String(i - list.count)]
                            if let v = wrap(check(extra, array[i], loc, depth: depth + 1).errors, loc) { errors.append(v) }
                        }
                    }
                }
            } else {
                for i in array.indices { item(items, i) }
            }
        }
        if draft >= 6, let contains = s["contains"] {
            var matches: [Int] = []
            var causes: [Violation] = []
            for i in array.indices {
                let loc = location + [String(i)]
                if let v = wrap(check(contains, array[i], loc, depth: depth + 1).errors, loc) { causes.append(v) } else {
                    matches.append(i)
                    if draft >= 2020 { unevaluated.items.remove(i) }
                }
            }
            let minContains = draft >= 2019 ? s["minContains"]?.intValue : nil
            if let minContains {
                if matches.count < minContains {
                    let message = matches.isEmpty
                        ? "min \(minContains) items required to match contains schema, but none matched"
                        : "min \(minContains) items required to match contains schema, but matched \(matches.count) items at \(matches.map(String.init).joined(separator: " "))"
                    errors.append(Violation(location: location, message: message, causes: causes))
                }
            } else if matches.isEmpty {
                errors.append(Violation(location: location, message: "no items match contains schema", causes: causes))
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
        // Go regexps (RE2 syntax through GoRegex's translation), as v6 compiles them.
        if let pattern = s["pattern"]?.stringValue, let regex = try? GoRegex(pattern),
            regex.firstMatch(in: string, from: 0) == nil {
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
}

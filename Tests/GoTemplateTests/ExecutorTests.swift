import GoTemplate
import Testing

/// A host object for tests: fields, methods with arguments, a failing method.
struct TestObject: TemplateObject {
    var goTypeName: String { "test.Object" }
    func field(_ name: String) -> TemplateValue? {
        switch name {
        case "Name": return .string("obj")
        case "Count": return .int(3)
        case "Join": return .object(JoinFunction())
        default: return nil
        }
    }
    func call(method name: String, arguments: [TemplateValue]) throws -> TemplateValue? {
        switch name {
        case "Greet":
            guard arguments.count == 1, case .string(let who) = arguments[0] else { throw TemplateFunctionError("Greet wants a string") }
            return .string("hi \(who)")
        case "Add":
            guard arguments.count == 2, case .int(let a) = arguments[0], case .int(let b) = arguments[1] else { throw TemplateFunctionError("Add wants two ints") }
            return .int(a + b)
        case "Fail": throw TemplateFunctionError("method failed")
        default: return nil
        }
    }
    var representation: TemplateValue { .map(["Name": .string("obj"), "Count": .int(3)]) }
}

/// A field of Go func type `func(string, string) string`: only `call` invokes it.
struct JoinFunction: TemplateCallable {
    var goTypeName: String { "func(string, string) string" }
    func field(_ name: String) -> TemplateValue? { nil }
    func call(method name: String, arguments: [TemplateValue]) throws -> TemplateValue? { nil }
    var representation: TemplateValue { .string("0xc000010000") }
    func invoke(name: String, arguments: [TemplateValue]) throws -> TemplateValue {
        guard arguments.count == 2 else {
            throw TemplateFunctionError("wrong number of args for \(name): got \(arguments.count) want 2")
        }
        guard case .string(let a) = arguments[0], case .string(let b) = arguments[1] else {
            throw TemplateFunctionError("join wants strings")
        }
        if a.isEmpty { throw TemplateFunctionError("empty first part") }
        return .string(a + "-" + b)
    }
}

/// Data typed as a Go program would hand it to text/template: ints, int64, bytes, objects.
let goTypedData: TemplateValue = .map([
    "i": .int(17), "i64": .int64(-5), "three64": .int64(3), "i3": .int(3), "zero": .int(0), "fz": .float(0),
    "f": .float(1.5), "s": .string("hello"), "t": .bool(true), "fa": .bool(false), "n": .null,
    "l": .list([.int(1), .int(2), .int(3)]), "sl": .list([.string("a"), .string("b"), .string("c")]),
    "m": .map(["a": .int(1), "b": .string("two"), "c": .null]),
    "bytes": .bytes([104, 105]), "obj": .object(TestObject()),
    "keys": .map(["b": .int(1), "a": .int(2), "Z": .int(3), "B": .int(4)]),
])

/// Go text/template execution cases with Go-typed data (`exec-cases.txt`): default and error
/// missingkey modes, typed comparisons, `slice`, bytes, host objects, delimiters, parse errors.
@Suite struct ExecutorTests {
    static let cases = Fixtures.cases("exec-cases.txt")

    static func run(_ c: FixtureCase) -> (output: String?, error: String?) {
        var mode = MissingKeyMode.default
        var left = "{{", right = "}}"
        if c.name.hasSuffix("[zero]") { mode = .zero }
        if c.name.hasSuffix("[error]") { mode = .error }
        if let open = c.name.range(of: "[delims="), c.name.hasSuffix("]") {
            let spec = c.name[open.upperBound..<c.name.index(before: c.name.endIndex)].split(separator: " ")
            left = String(spec[0]); right = String(spec[1])
        }
        var set = TemplateSet(leftDelimiter: left, rightDelimiter: right)
        do {
            try set.parse(name: "t", text: c.body)
            return (try set.execute(name: "t", data: goTypedData, options: ExecutionOptions(missingKey: mode)), nil)
        } catch {
            return (nil, "\(error)")
        }
    }

    @Test func fixtureIsWellFormed() {
        #expect(Self.cases.count >= 120)
        #expect(Self.cases.allSatisfy { $0.expectKind == "output" || $0.expectKind == "error" })
    }

    @Test(arguments: cases) func execute(_ c: FixtureCase) {
        let result = Self.run(c)
        if c.expectKind == "output" {
            #expect(result.error == nil)
            #expect(result.output == c.expected)
        } else {
            #expect(result.output == nil)
            #expect(result.error == c.expected)
        }
    }
}

/// A value as Go's text/template sees it: Go's dynamic types that Helm charts meet.
///
/// Chart values (always `map[string]interface{}` with float64 numbers) enter through
/// `init(_ value: Value)`. Maps are unordered like Go's; everything that prints a map sorts keys.
public enum TemplateValue: @unchecked Sendable {
    /// No value at all (Go's invalid reflect.Value): a missing map key. Prints `<no value>`.
    case missing
    /// Go's untyped nil. Prints `<nil>`.
    case null
    case bool(Bool)
    /// Go `int` (template integer literals, `len`, `atoi`, `int`, `until`).
    case int(Int)
    /// Go `int64` (Sprig arithmetic: `add`, `sub`, `int64`, ...).
    case int64(Int64)
    /// Go `float64` (every number in values files, float literals).
    case float(Double)
    case string(String)
    /// Go `[]byte` (`.Files.GetBytes`, `randBytes` before encoding).
    case bytes([UInt8])
    /// Go `[]interface{}`.
    case list([TemplateValue])
    /// Go `map[string]interface{}`: a shared reference (see `TemplateMap`).
    case map(TemplateMap)
    /// A host object with fields and methods (`.Files`, `.Capabilities`, semver versions).
    /// Indirect: the existential is 40 bytes, and boxing it keeps every value at 16 bytes + tag,
    /// which makes the copies execution makes everywhere cheaper.
    indirect case object(any TemplateObject)
}

/// A host object exposed to templates: `.Files.Get "x"`, `.Capabilities.APIVersions.Has "v1"`.
public protocol TemplateObject: Sendable {
    /// Go type name for `%T`, `typeOf` and error messages, e.g. `chart.Files`.
    var goTypeName: String { get }
    /// A field or zero-argument value; `nil` when the object has no such field.
    func field(_ name: String) -> TemplateValue?
    /// Call a method with arguments; `nil` when the object has no such method.
    func call(method name: String, arguments: [TemplateValue]) throws -> TemplateValue?
    /// What the object looks like to printing and to `toYaml`/`toJson` (usually a map).
    var representation: TemplateValue { get }
    /// What Go's fmt prints when the object reaches it by value (`printf "%v"`, a function's
    /// argument), when that differs from `representation`: a struct whose `String` method has a
    /// pointer receiver prints as `{field ...}` there. nil: the representation.
    var printedByValue: String? { get }
}

extension TemplateObject {
    public var printedByValue: String? { nil }
}

/// A host value of Go func type, for Go's `call` builtin (`{{ call .Handler "x" }}`).
/// As a field it is a value like any other; only `call` invokes it.
public protocol TemplateCallable: TemplateObject {
    /// Invoke with the call's arguments. `name` is how the template spelled the callee
    /// (`.Handler`), for Go's messages such as `wrong number of args for .Handler: got 1 want 2`.
    func invoke(name: String, arguments: [TemplateValue]) throws -> TemplateValue
}

/// A Go slice or map whose static type is not `[]interface{}` / `map[string]interface{}`:
/// `[]string` (Sprig's `splitList`, `keys`), `[]int` (`until`), `map[string]string` (`split`).
/// Templates index, range and print its `value`; `%T` and functions registered with
/// `receivesGoTypes` (`typeOf`, `kindOf`, `deepEqual`) see `goTypeName`; every other function
/// receives the plain `value`.
public struct TypedContainer: TemplateObject {
    public let goTypeName: String
    /// The elements, as a `.list` or `.map`.
    public let value: TemplateValue
    /// What a missing key of a typed map reads as (Go's zero value of the element type).
    public let zero: TemplateValue

    /// Whether the element type is `interface {}` (Helm's `common.Values`): a field read from it
    /// is boxed, as a plain map's is, for Go's `in type interface {}` messages.
    public let boxesElements: Bool

    public init(goTypeName: String, value: TemplateValue, zero: TemplateValue = .null, boxesElements: Bool = false) {
        self.goTypeName = goTypeName
        self.value = value
        self.zero = zero
        self.boxesElements = boxesElements
    }

    public func field(_ name: String) -> TemplateValue? {
        if case .map(let m) = value { return m[name] ?? zero }
        return nil
    }

    public func call(method name: String, arguments: [TemplateValue]) throws -> TemplateValue? { nil }

    public var representation: TemplateValue { value }
}

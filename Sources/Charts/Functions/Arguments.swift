import GoTemplate

/// The arguments of one function call, checked the way Go's text/template checks a call
/// against a typed Go signature (arity first, then each typed parameter).
struct Arguments {
    let function: String
    let values: [TemplateValue]
    /// The arguments as Go typed them, when a typed container was unwrapped (for messages).
    let typed: [TemplateValue]?

    enum Arity { case exactly(Int), atLeast(Int), range(Int, Int) }

    /// `keepGoTypes`: typed containers (`[]string`, ...) stay as they are, for the reflection
    /// functions; every other function works on their plain list or map.
    init(_ function: String, _ raw: [TemplateValue], _ arity: Arity, keepGoTypes: Bool = false) throws {
        self.function = function
        // A missing map key reaches a Go function as a nil interface.
        var unwrapped = false
        self.values = raw.map {
            switch $0 {
            case .missing: return .null
            case .object(let o as TypedContainer) where !keepGoTypes: unwrapped = true; return o.value
            default: return $0
            }
        }
        typed = unwrapped ? raw : nil
        switch arity {
        case .exactly(let n) where raw.count != n:
            throw TemplateFunctionError(ArgumentErrors.arityMarker + "wrong number of args for \(function): want \(n) got \(raw.count)")
        case .atLeast(let n) where raw.count < n:
            throw TemplateFunctionError(ArgumentErrors.arityMarker + "wrong number of args for \(function): want at least \(n) got \(raw.count)")
        case .range(let lo, let hi) where raw.count < lo || raw.count > hi:
            throw TemplateFunctionError(ArgumentErrors.arityMarker + "wrong number of args for \(function): want at least \(lo) got \(raw.count)")
        default: break
        }
    }

    var count: Int { values.count }

    /// Argument `index` with a typed container unwrapped to its plain list or map.
    func plain(_ index: Int) -> TemplateValue {
        if case .object(let o as TypedContainer) = values[index] { return o.value }
        return values[index]
    }
    subscript(_ index: Int) -> TemplateValue { values[index] }
    /// Argument `index` with its Go type, for a wrong-type message.
    func original(_ index: Int) -> TemplateValue { typed?[index] ?? values[index] }
    func rest(from index: Int) -> [TemplateValue] { Array(values.dropFirst(index)) }

    /// A parameter of the wrong Go type. With the parameter's index, the message carries a
    /// marker for `ArgumentErrors`: Go's reflection rejects such arguments before the call, so
    /// the renderer reports them at the argument's node, without "error calling".
    static func wrongType(_ expected: String, _ value: TemplateValue, index: Int? = nil) -> TemplateFunctionError {
        let message: String
        switch value {
        case .missing, .null: message = "wrong type for value; expected \(expected); got interface {}"
        default: message = "wrong type for value; expected \(expected); got \(GoType.name(of: value))"
        }
        guard let index else { return TemplateFunctionError(message) }
        return TemplateFunctionError(ArgumentErrors.marker(index: index, expected: expected) + message)
    }

    /// `result` as the typed argument it is, when a function returned one of its typed
    /// containers' storage rather than a new value.
    func typedBack(_ result: TemplateValue) -> TemplateValue {
        guard let typed else { return result }
        for case .object(let o as TypedContainer) in typed where Self.sharesStorage(o.value, result) { return .object(o) }
        return result
    }

    /// The same Go map, or lists over the same (non-empty) storage.
    private static func sharesStorage(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        switch (a, b) {
        case (.map(let x), .map(let y)): return x === y
        case (.list(let x), .list(let y)):
            guard !x.isEmpty, x.count == y.count else { return false }
            return x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in px.baseAddress == py.baseAddress } }
        default: return false
        }
    }

    /// A Go `string` parameter.
    func string(_ index: Int) throws -> String {
        if case .string(let s) = values[index] { return s }
        throw Self.wrongType("string", original(index), index: index)
    }

    /// A Go `int` parameter.
    func int(_ index: Int) throws -> Int {
        if case .int(let i) = values[index] { return i }
        throw Self.wrongType("int", original(index), index: index)
    }

    /// A Go `bool` parameter.
    func bool(_ index: Int) throws -> Bool {
        if case .bool(let b) = values[index] { return b }
        throw Self.wrongType("bool", original(index), index: index)
    }

    /// A Go `map[string]interface{}` parameter (nil is allowed and reads as empty).
    /// The map itself (Go maps are references: `set` changes the caller's map).
    func map(_ index: Int) throws -> TemplateMap {
        switch values[index] {
        case .map(let m): return m
        case .null, .missing: return TemplateMap()
        // A `common.Values` (assignable to the unnamed map type); `map[string]string` is not.
        case .object(let o as TypedContainer) where o.boxesElements:
            if case .map(let m) = o.value { return m }
            throw Self.wrongType("map[string]interface {}", original(index), index: index)
        default: throw Self.wrongType("map[string]interface {}", original(index), index: index)
        }
    }

    /// A Go `[]interface{}` parameter (nil allowed).
    func list(_ index: Int) throws -> [TemplateValue]? {
        switch values[index] {
        case .list(let l): return l
        case .null, .missing: return nil
        default: throw Self.wrongType("[]interface {}", original(index), index: index)
        }
    }

    /// Variadic `...string` parameters starting at `index`.
    func strings(from index: Int) throws -> [String] {
        try (index..<values.count).map { try string($0) }
    }

    /// Variadic `...int` parameters starting at `index`.
    func ints(from index: Int) throws -> [Int] {
        try (index..<values.count).map { try int($0) }
    }
}

typealias ArgumentsBody = @Sendable (Arguments) throws -> TemplateValue
typealias ContextBody = @Sendable (Arguments, any TemplateCallContext) throws -> TemplateValue

extension FunctionRegistry {
    /// A function on plain values. It receives typed containers (to name their Go type in a
    /// wrong-type message) and works on their plain list or map; a result that is a typed argument
    /// itself (`default`, `coalesce`) gets that argument's type back.
    mutating func add(_ name: String, _ arity: Arguments.Arity, _ body: @escaping ArgumentsBody) {
        register(name, receivesGoTypes: true) { raw, _ in
            let a = try Arguments(name, raw, arity)
            return a.typedBack(try body(a))
        }
    }

    mutating func add(_ name: String, _ arity: Arguments.Arity, context body: @escaping ContextBody) {
        register(name, receivesGoTypes: true) { raw, context in
            let a = try Arguments(name, raw, arity)
            return a.typedBack(try body(a, context))
        }
    }

    /// A function that passes values through (`dict`, `list`, `include`'s data): typed
    /// containers (`[]string`, ...) keep their Go type; `Arguments.plain` unwraps one.
    mutating func add(_ name: String, _ arity: Arguments.Arity, keepingGoTypes body: @escaping ContextBody) {
        register(name, receivesGoTypes: true) { raw, context in
            try body(Arguments(name, raw, arity, keepGoTypes: true), context)
        }
    }

    /// The same function under several names (Sprig aliases such as `dateModify`/`date_modify`).
    mutating func add(_ names: [String], _ arity: Arguments.Arity, _ body: @escaping ArgumentsBody) {
        for name in names { add(name, arity, body) }
    }
}

extension TemplateValue {
    /// A Go `[]string`.
    static func strings(_ items: [String]) -> TemplateValue {
        .object(TypedContainer(goTypeName: "[]string", value: .list(items.map { .string($0) })))
    }

    /// A nil Go `[]string`: prints and ranges as an empty one, encodes to JSON/YAML as null. A
    /// list-typed container has no use for `zero`, which marks the nil here.
    static var nilStrings: TemplateValue {
        .object(TypedContainer(goTypeName: "[]string", value: .list([]), zero: .missing))
    }

    /// Whether this is a nil slice made by `nilStrings`.
    var isNilSlice: Bool {
        guard case .object(let o as TypedContainer) = self, case .missing = o.zero, case .list(let l) = o.value else { return false }
        return l.isEmpty
    }
}

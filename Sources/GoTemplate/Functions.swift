/// What a function sees of the template run that called it, so functions like Helm's
/// `include` and `tpl` can execute named templates and parse new text in the same set.
public protocol TemplateCallContext: Sendable {
    /// Execute the named template of the running set with `data` as dot; returns its output.
    func executeTemplate(named name: String, data: TemplateValue) throws -> String
    /// Parse `text` as a template named `name` sharing the running set's definitions
    /// (definitions inside `text` stay local), execute it with `data`, return its output.
    func executeText(_ text: String, named name: String, data: TemplateValue) throws -> String
    /// Name of the template being executed (for error messages).
    var templateName: String { get }
}

/// A template function: the last argument is the piped value when called in a pipeline.
public typealias TemplateFunction = @Sendable (_ arguments: [TemplateValue], _ context: any TemplateCallContext) throws -> TemplateValue

/// Error a function throws; the evaluator wraps it as Go does:
/// `template: NAME:LINE:COL: executing "NAME" at <fn>: error calling fn: MESSAGE`.
public struct TemplateFunctionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

import Synchronization

/// The functions a template set can call, extended by callers (Charts adds Sprig and Helm's).
public struct FunctionRegistry: Sendable {
    struct Entry {
        let function: TemplateFunction
        let receivesGoTypes: Bool
    }
    private(set) var entries: [String: Entry] = [:]
    /// Identifies these entries: changes on every `register`, unique across registries. The
    /// parser resolves function names once and keeps the version it resolved them in.
    private(set) var version: UInt64 = 0
    private static let versions = Atomic<UInt64>(0)

    public init() {}

    /// `receivesGoTypes`: the function sees `TypedContainer` arguments as they are (for `typeOf`,
    /// `kindOf`, `deepEqual`, ...); other functions receive their plain list or map.
    public mutating func register(_ name: String, receivesGoTypes: Bool = false, _ function: @escaping TemplateFunction) {
        entries[name] = Entry(function: function, receivesGoTypes: receivesGoTypes)
        version = FunctionRegistry.versions.add(1, ordering: .relaxed).newValue
    }

    public subscript(name: String) -> TemplateFunction? { entries[name]?.function }

    public var functions: [String: TemplateFunction] { entries.mapValues(\.function) }

    var isEmpty: Bool { entries.isEmpty }
}

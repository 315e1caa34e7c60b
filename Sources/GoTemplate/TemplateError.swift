/// A parse or execution failure, with Go's exact message, e.g.
/// `template: a.yaml:3:12: executing "a.yaml" at <.Values.x.y>: nil pointer evaluating interface {}.y`.
public struct TemplateError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The text could not be parsed (`template: NAME:LINE: MESSAGE`).
        case parse
        /// Execution failed (`template: NAME:LINE:COL: executing "NAME" at <NODE>: MESSAGE`).
        case execution
    }

    public let kind: Kind
    /// The full message, formatted as Go formats it.
    public let message: String
    /// The template that was being parsed or executed.
    public let templateName: String

    public init(kind: Kind, message: String, templateName: String) {
        self.kind = kind
        self.message = message
        self.templateName = templateName
    }

    public var description: String { message }
}

/// What a missing map key evaluates to (Go's `missingkey=` option).
public enum MissingKeyMode: Sendable, Equatable {
    /// Go's default (`missingkey=default`/`invalid`): no value, printed as `<no value>`.
    case `default`
    /// `missingkey=zero`: the map element type's zero value (nil for `interface{}` maps). Helm's mode.
    case zero
    /// `missingkey=error`: execution stops with `map has no entry for key "x"`.
    case error
}

/// Options of one execution.
public struct ExecutionOptions: Sendable {
    public var missingKey: MissingKeyMode
    /// Maximum nesting of `{{template}}` calls (Go: 100000), beyond which execution fails with
    /// `exceeded maximum template depth (N)` instead of exhausting the stack.
    public var maxTemplateDepth: Int

    public init(missingKey: MissingKeyMode = .default, maxTemplateDepth: Int = 100_000) {
        self.missingKey = missingKey
        self.maxTemplateDepth = maxTemplateDepth
    }
}

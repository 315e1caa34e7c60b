/// The parsed form of a template. Positions are byte offsets into the source text of the
/// template that was being parsed (`Template.source`), as Go's `parse.Pos`.

/// One piece of a template body.
enum Node: Sendable {
    case text(TextNode)
    case action(ActionNode)
    case ifBranch(BranchNode)
    case withBranch(BranchNode)
    case range(BranchNode)
    case template(TemplateCallNode)
    case breakLoop(position: Int)
    case continueLoop(position: Int)
    case comment

    /// Go's `parse.IsEmptyTree` rule for one node: only space text and comments are empty.
    var isEmpty: Bool {
        switch self {
        case .comment: return true
        case .text(let t): return t.bytes.allSatisfy { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 || $0 == 11 || $0 == 12 }
        default: return false
        }
    }
}

final class TextNode: Sendable {
    let position: Int
    let bytes: [UInt8]
    init(position: Int, bytes: [UInt8]) { self.position = position; self.bytes = bytes }
}

final class ActionNode: Sendable {
    let position: Int
    let pipe: Pipeline
    init(position: Int, pipe: Pipeline) { self.position = position; self.pipe = pipe }
}

/// `if`, `with` and `range`: a pipeline, a body and an optional else body.
final class BranchNode: Sendable {
    let position: Int
    let pipe: Pipeline
    let list: [Node]
    let elseList: [Node]?
    init(position: Int, pipe: Pipeline, list: [Node], elseList: [Node]?) {
        self.position = position; self.pipe = pipe; self.list = list; self.elseList = elseList
    }
}

final class TemplateCallNode: Sendable {
    let position: Int
    let name: String
    let pipe: Pipeline?
    init(position: Int, name: String, pipe: Pipeline?) { self.position = position; self.name = name; self.pipe = pipe }
}

final class Pipeline: Sendable {
    let position: Int
    let isAssign: Bool
    let declarations: [VariableOperand]
    let commands: [Command]
    /// An action whose value is printed and whose last command calls printf (with a format):
    /// the executor can format straight into the output.
    let printsDirectly: Bool
    init(position: Int, isAssign: Bool, declarations: [VariableOperand], commands: [Command]) {
        self.position = position; self.isAssign = isAssign; self.declarations = declarations; self.commands = commands
        var direct = false
        if declarations.isEmpty, let last = commands.last, last.arguments.count > 1,
           case .identifier(let id) = last.arguments[0], id.builtin == .printf {
            direct = true
        }
        printsDirectly = direct
    }
}

final class Command: Sendable {
    let position: Int
    let arguments: [Operand]
    init(position: Int, arguments: [Operand]) { self.position = position; self.arguments = arguments }
}

/// An argument or the first word of a command.
enum Operand: Sendable {
    case field(FieldOperand)
    case variable(VariableOperand)
    case chain(ChainOperand)
    case identifier(IdentifierOperand)
    case pipeline(Pipeline)
    case dot(position: Int)
    case nilValue(position: Int)
    case bool(Bool, position: Int)
    case number(NumberOperand)
    case string(StringOperand)

    var position: Int {
        switch self {
        case .field(let f): return f.position
        case .variable(let v): return v.position
        case .chain(let c): return c.position
        case .identifier(let i): return i.position
        case .pipeline(let p): return p.position
        case .dot(let p), .nilValue(let p), .bool(_, let p): return p
        case .number(let n): return n.position
        case .string(let s): return s.position
        }
    }

    /// True for operands that cannot start a later pipeline stage (Go's "non executable command").
    var isLiteral: Bool {
        switch self {
        case .bool, .dot, .nilValue, .number, .string: return true
        default: return false
        }
    }
}

/// `.a.b.c`
final class FieldOperand: Sendable {
    let position: Int
    let names: [String]
    init(position: Int, names: [String]) { self.position = position; self.names = names }
}

/// `$x.a.b`: `name` is `$x`, `fields` are `a`, `b`.
final class VariableOperand: Sendable {
    let position: Int
    let name: String
    let fields: [String]
    init(position: Int, name: String, fields: [String]) { self.position = position; self.name = name; self.fields = fields }
}

/// `(pipeline).a.b`, or any other term followed by fields.
final class ChainOperand: Sendable {
    let position: Int
    let base: Operand
    let fields: [String]
    init(position: Int, base: Operand, fields: [String]) { self.position = position; self.base = base; self.fields = fields }
}

final class IdentifierOperand: Sendable {
    let position: Int
    let name: String
    /// Go's builtin of this name (nil when a registered function shadowed it at parse time).
    let builtin: Builtin?
    /// The registered function the name resolved to at parse time, valid while the set's
    /// registry still has `registryVersion` (saves a lookup per call).
    let function: FunctionRegistry.Entry?
    let registryVersion: UInt64
    init(position: Int, name: String, function: FunctionRegistry.Entry?, registryVersion: UInt64, builtin: Builtin?) {
        self.position = position; self.name = name; self.function = function; self.registryVersion = registryVersion
        self.builtin = function == nil ? builtin : Builtin(rawValue: name)
    }
}

final class NumberOperand: Sendable {
    let position: Int
    let text: String
    /// The value as an untyped constant would take in Go (int, or float64 when the text says so).
    let value: TemplateValue
    /// Set when the constant does not fit `int` (`%s overflows int` at execution).
    let overflows: Bool
    let isInteger: Bool
    init(position: Int, text: String, value: TemplateValue, overflows: Bool, isInteger: Bool) {
        self.position = position; self.text = text; self.value = value; self.overflows = overflows; self.isInteger = isInteger
    }
}

final class StringOperand: Sendable {
    let position: Int
    /// The literal as written, quotes included.
    let quoted: String
    let value: TemplateValue
    let text: String
    init(position: Int, quoted: String, text: String) {
        self.position = position; self.quoted = quoted; self.text = text; self.value = .string(text)
    }
}

// MARK: - Go's String() forms, used in error contexts (`at <...>`).

extension Operand: CustomStringConvertible {
    var description: String {
        switch self {
        case .field(let f): return f.names.map { "." + $0 }.joined()
        case .variable(let v): return ([v.name] + v.fields).joined(separator: ".")
        case .chain(let c):
            let base: String
            if case .pipeline(let p) = c.base { base = "(\(p))" } else { base = c.base.description }
            return base + c.fields.map { "." + $0 }.joined()
        case .identifier(let i): return i.name
        case .pipeline(let p): return p.description
        case .dot: return "."
        case .nilValue: return "nil"
        case .bool(let b, _): return b ? "true" : "false"
        case .number(let n): return n.text
        case .string(let s): return s.quoted
        }
    }
}

extension Pipeline: CustomStringConvertible {
    var description: String {
        var s = ""
        if !declarations.isEmpty {
            s = declarations.map { ([$0.name] + $0.fields).joined(separator: ".") }.joined(separator: ", ")
            s += isAssign ? " = " : " := "
        }
        return s + commands.map(\.description).joined(separator: " | ")
    }
}

extension Command: CustomStringConvertible {
    var description: String {
        arguments.map { arg in
            if case .pipeline(let p) = arg { return "(\(p))" }
            return arg.description
        }.joined(separator: " ")
    }
}

extension Node: CustomStringConvertible {
    var description: String {
        switch self {
        case .text(let t): return String(decoding: t.bytes, as: UTF8.self)
        case .action(let a): return "{{\(a.pipe)}}"
        case .ifBranch(let b): return b.describe("if")
        case .withBranch(let b): return b.describe("with")
        case .range(let b): return b.describe("range")
        case .template(let t):
            let name = GoQuote.quote(t.name)
            if let pipe = t.pipe { return "{{template \(name) \(pipe)}}" }
            return "{{template \(name)}}"
        case .breakLoop: return "{{break}}"
        case .continueLoop: return "{{continue}}"
        case .comment: return "{{/* */}}"
        }
    }
}

extension BranchNode {
    func describe(_ keyword: String) -> String {
        var s = "{{\(keyword) \(pipe)}}" + list.map(\.description).joined()
        if let elseList { s += "{{else}}" + elseList.map(\.description).joined() }
        return s + "{{end}}"
    }
}

/// The parsed form of a template. Positions are byte offsets into the source text of the
/// template that was being parsed (`Template.source`), as Go's `parse.Pos`.

/// Every node and list of one parse lives in its `NodeArena`; nodes refer to each other through
/// `Ref`s (pointers into the arena) and buffers the arena owns. Walking a tree then copies plain
/// data and costs no reference counting (it was a quarter of execution time), and a parse makes
/// a few large allocations instead of one per node.
final class NodeArena: @unchecked Sendable {
    private var buffers: [UnsafeMutableRawPointer] = []
    private var pools: [ObjectIdentifier: AnyObject] = [:]
    /// A copy of the parsed text that text nodes point into.
    let text: UnsafeBufferPointer<UInt8>

    init(text: [UInt8]) {
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(text.count, 1))
        _ = copy.initialize(from: text)
        self.text = UnsafeBufferPointer(rebasing: UnsafeBufferPointer(copy)[0..<text.count])
        buffers.append(UnsafeMutableRawPointer(copy.baseAddress!))
    }

    deinit { for buffer in buffers { buffer.deallocate() } }

    /// Store a node; it lives (and is deinitialized) with the arena.
    func keep<T>(_ node: T) -> Ref<T> {
        let pool: Pool<T>
        if let existing = pools[ObjectIdentifier(T.self)] {
            pool = unsafeDowncast(existing, to: Pool<T>.self)
        } else {
            pool = Pool<T>()
            pools[ObjectIdentifier(T.self)] = pool
        }
        return Ref(pool.add(node))
    }

    /// A buffer holding `elements`, alive as long as the arena. Only for plain data (nodes,
    /// operands, commands): the elements are never deinitialized.
    func list<T>(_ elements: [T]) -> UnsafeBufferPointer<T> {
        precondition(_isPOD(T.self))
        if elements.isEmpty { return UnsafeBufferPointer(start: nil, count: 0) }
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: elements.count)
        _ = buffer.initialize(from: elements)
        buffers.append(UnsafeMutableRawPointer(buffer.baseAddress!))
        return UnsafeBufferPointer(buffer)
    }

    /// Bytes of the parsed text.
    func bytes(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: text[start..<end])
    }

    /// Nodes of one type in chunks that never move (refs point into them).
    private final class Pool<T> {
        private var chunks: [UnsafeMutableBufferPointer<T>] = []
        private var used = 0

        func add(_ node: T) -> UnsafePointer<T> {
            if chunks.isEmpty || used == chunks[chunks.count - 1].count {
                let size = chunks.isEmpty ? 16 : min(chunks[chunks.count - 1].count * 2, 1024)
                chunks.append(.allocate(capacity: size))
                used = 0
            }
            let slot = chunks[chunks.count - 1].baseAddress! + used
            slot.initialize(to: node)
            used += 1
            return UnsafePointer(slot)
        }

        deinit {
            for (i, chunk) in chunks.enumerated() {
                chunk.baseAddress!.deinitialize(count: i == chunks.count - 1 ? used : chunk.count)
                chunk.deallocate()
            }
        }
    }
}

/// A node in its arena: reading through it copies nothing but the field read.
@dynamicMemberLookup
struct Ref<T>: @unchecked Sendable {
    let pointer: UnsafePointer<T>
    init(_ pointer: UnsafePointer<T>) { self.pointer = pointer }
    @inline(__always)
    subscript<V>(dynamicMember path: KeyPath<T, V>) -> V { pointer.pointee[keyPath: path] }
    /// The node itself (a copy).
    var object: T { pointer.pointee }
}

typealias NodeList = UnsafeBufferPointer<Node>
typealias OperandList = UnsafeBufferPointer<Operand>

/// One piece of a template body: plain data (its references point into the arena).
enum Node: @unchecked Sendable {
    /// Bytes inside the arena's copy of the text.
    case text(UnsafeBufferPointer<UInt8>, position: Int)
    case action(Ref<Pipeline>, position: Int)
    case ifBranch(Ref<BranchNode>)
    case withBranch(Ref<BranchNode>)
    case range(Ref<BranchNode>)
    case template(Ref<TemplateCallNode>)
    case breakLoop(position: Int)
    case continueLoop(position: Int)
    case comment

    /// Go's `parse.IsEmptyTree` rule for one node: only space text and comments are empty.
    var isEmpty: Bool {
        switch self {
        case .comment: return true
        case .text(let bytes, _): return bytes.allSatisfy { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 || $0 == 11 || $0 == 12 }
        default: return false
        }
    }
}

/// `if`, `with` and `range`: a pipeline, a body and an optional else body.
struct BranchNode: @unchecked Sendable {
    let position: Int
    let pipe: Ref<Pipeline>
    let list: NodeList
    let elseList: NodeList?
    init(position: Int, pipe: Ref<Pipeline>, list: NodeList, elseList: NodeList?) {
        self.position = position; self.pipe = pipe; self.list = list; self.elseList = elseList
    }
}

struct TemplateCallNode: @unchecked Sendable {
    let position: Int
    let name: String
    let pipe: Ref<Pipeline>?
    init(position: Int, name: String, pipe: Ref<Pipeline>?) { self.position = position; self.name = name; self.pipe = pipe }
}

struct Pipeline: @unchecked Sendable {
    let position: Int
    let isAssign: Bool
    let declarations: [String]
    let commands: UnsafeBufferPointer<Command>
    /// An action whose value is printed and whose last command calls printf (with a format):
    /// the executor can format straight into the output.
    let printsDirectly: Bool
    init(position: Int, isAssign: Bool, declarations: [String], commands: UnsafeBufferPointer<Command>) {
        self.position = position; self.isAssign = isAssign; self.declarations = declarations; self.commands = commands
        var direct = false
        if declarations.isEmpty, let last = commands.last, last.arguments.count > 1,
           case .identifier(let id) = last.arguments[0], id.builtin == .printf {
            direct = true
        }
        printsDirectly = direct
    }
}

/// One command of a pipeline: plain data.
struct Command {
    let position: Int
    let arguments: OperandList
}

/// An argument or the first word of a command: plain data.
enum Operand: Sendable {
    case field(Ref<FieldOperand>)
    case variable(Ref<VariableOperand>)
    case chain(Ref<ChainOperand>)
    case identifier(Ref<IdentifierOperand>)
    case pipeline(Ref<Pipeline>)
    case dot(position: Int)
    case nilValue(position: Int)
    case bool(Bool, position: Int)
    case number(Ref<NumberOperand>)
    case string(Ref<StringOperand>)

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
struct FieldOperand: @unchecked Sendable {
    let position: Int
    let names: [String]
    init(position: Int, names: [String]) { self.position = position; self.names = names }
}

/// `$x.a.b`: `name` is `$x`, `fields` are `a`, `b`.
struct VariableOperand: @unchecked Sendable {
    let position: Int
    let name: String
    let fields: [String]
    init(position: Int, name: String, fields: [String]) { self.position = position; self.name = name; self.fields = fields }
}

/// `(pipeline).a.b`, or any other term followed by fields.
struct ChainOperand: @unchecked Sendable {
    let position: Int
    let base: Operand
    let fields: [String]
    init(position: Int, base: Operand, fields: [String]) { self.position = position; self.base = base; self.fields = fields }
}

struct IdentifierOperand: @unchecked Sendable {
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

struct NumberOperand: @unchecked Sendable {
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

struct StringOperand: @unchecked Sendable {
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
            if case .pipeline(let p) = c.base { base = "(\(p.object))" } else { base = c.base.description }
            return base + c.fields.map { "." + $0 }.joined()
        case .identifier(let i): return i.name
        case .pipeline(let p): return p.object.description
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
            s = declarations.joined(separator: ", ")
            s += isAssign ? " = " : " := "
        }
        return s + commands.map(\.description).joined(separator: " | ")
    }
}

extension Command: CustomStringConvertible {
    var description: String {
        arguments.map { arg in
            if case .pipeline(let p) = arg { return "(\(p.object))" }
            return arg.description
        }.joined(separator: " ")
    }
}

extension Node: CustomStringConvertible {
    var description: String {
        switch self {
        case .text(let bytes, _): return String(decoding: bytes, as: UTF8.self)
        case .action(let pipe, _): return "{{\(pipe.object)}}"
        case .ifBranch(let b): return b.object.describe("if")
        case .withBranch(let b): return b.object.describe("with")
        case .range(let b): return b.object.describe("range")
        case .template(let t):
            let name = GoQuote.quote(t.name)
            if let pipe = t.pipe { return "{{template \(name) \(pipe.object)}}" }
            return "{{template \(name)}}"
        case .breakLoop: return "{{break}}"
        case .continueLoop: return "{{continue}}"
        case .comment: return "{{/* */}}"
        }
    }
}

extension BranchNode {
    func describe(_ keyword: String) -> String {
        var s = "{{\(keyword) \(pipe.object)}}" + list.map(\.description).joined()
        if let elseList { s += "{{else}}" + elseList.map(\.description).joined() }
        return s + "{{end}}"
    }
}

/// The parsed form of a template. Positions are byte offsets into the source text of the
/// template that was being parsed (`Template.source`), as Go's `parse.Pos`.

/// Every node and list of one parse lives in its `NodeArena`; nodes refer to each other through
/// `Ref`s (pointers into the arena) and buffers the arena owns. Walking a tree then copies plain
/// data and costs no reference counting (it was a quarter of execution time). The arena hands
/// out memory from a few large blocks in parse order, so a template's nodes sit next to each
/// other (execution walks them in that order) and a parse makes a few allocations, not one per node.
final class NodeArena: @unchecked Sendable {
    // Filled by one parser on one thread, read-only afterwards: no dynamic exclusivity checks.
    @exclusivity(unchecked) private var blocks: [UnsafeMutableRawPointer] = []
    @exclusivity(unchecked) private var free: UnsafeMutableRawPointer
    @exclusivity(unchecked) private var freeEnd: UnsafeMutableRawPointer
    @exclusivity(unchecked) private var blockSize: Int
    /// Nodes holding references (names, values) that must be deinitialized with the arena.
    @exclusivity(unchecked) private var owners: [(UnsafeMutableRawPointer, any ArenaNode.Type)] = []
    @exclusivity(unchecked) private var nameLists: [NameList] = []
    /// A copy of the parsed text that text nodes point into.
    let text: UnsafeBufferPointer<UInt8>

    init(text: [UInt8]) {
        // About twice the text's size holds its nodes; blocks double from there.
        blockSize = min(max(text.count * 2, 256), 64 * 1024)
        let first = UnsafeMutableRawPointer.allocate(byteCount: text.count + blockSize, alignment: 16)
        blocks.append(first)
        let bytes = first.bindMemory(to: UInt8.self, capacity: text.count)
        bytes.initialize(from: text, count: text.count)
        self.text = UnsafeBufferPointer(start: bytes, count: text.count)
        free = first + text.count
        freeEnd = free + blockSize
    }

    deinit {
        for (pointer, type) in owners { type.destroy(pointer) }
        for names in nameLists { UnsafeMutablePointer(mutating: names.baseAddress!).deinitialize(count: names.count) }
        for block in blocks { block.deallocate() }
    }

    private func allocate(_ size: Int, alignment: Int) -> UnsafeMutableRawPointer {
        var start = free.alignedUp(toMultipleOf: alignment)
        if start + size > freeEnd {
            blockSize = min(blockSize * 2, 256 * 1024)
            let capacity = max(blockSize, size + alignment)
            let block = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
            blocks.append(block)
            start = block.alignedUp(toMultipleOf: alignment)
            freeEnd = block + capacity
        }
        free = start + size
        return start
    }

    /// Store a node; it lives (and is deinitialized) with the arena.
    func keep<T: ArenaNode>(_ node: T) -> Ref<T> {
        let pointer = allocate(MemoryLayout<T>.stride, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: 1)
        pointer.initialize(to: node)
        if !_isPOD(T.self) { owners.append((UnsafeMutableRawPointer(pointer), T.self)) }
        return Ref(UnsafePointer(pointer))
    }

    /// A buffer holding `elements`, alive as long as the arena. Only for plain data (nodes,
    /// operands, commands): the elements are never deinitialized.
    func list<C: Collection>(_ elements: C) -> UnsafeBufferPointer<C.Element> {
        typealias T = C.Element
        precondition(_isPOD(T.self))
        let count = elements.count
        if count == 0 { return UnsafeBufferPointer(start: nil, count: 0) }
        let pointer = allocate(MemoryLayout<T>.stride * count, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: count)
        var i = 0
        for element in elements { (pointer + i).initialize(to: element); i += 1 }
        return UnsafeBufferPointer(start: pointer, count: count)
    }

    /// Field names, kept (and deinitialized) with the arena.
    func names(_ names: [String]) -> NameList {
        if names.isEmpty { return NameList(start: nil, count: 0) }
        let pointer = allocate(MemoryLayout<String>.stride * names.count, alignment: MemoryLayout<String>.alignment)
            .bindMemory(to: String.self, capacity: names.count)
        pointer.initialize(from: names, count: names.count)
        let list = NameList(start: pointer, count: names.count)
        nameLists.append(list)
        return list
    }

    /// Bytes of the parsed text.
    func bytes(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: text[start..<end])
    }
}

/// A node type the arena can hold.
protocol ArenaNode {
    /// Deinitialize the node at `pointer` (called by the arena's deinit).
    static func destroy(_ pointer: UnsafeMutableRawPointer)
}

extension ArenaNode {
    static func destroy(_ pointer: UnsafeMutableRawPointer) {
        pointer.assumingMemoryBound(to: Self.self).deinitialize(count: 1)
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
typealias NameList = UnsafeBufferPointer<String>

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
struct BranchNode: ArenaNode, @unchecked Sendable {
    let position: Int
    let pipe: Ref<Pipeline>
    let list: NodeList
    let elseList: NodeList?
    init(position: Int, pipe: Ref<Pipeline>, list: NodeList, elseList: NodeList?) {
        self.position = position; self.pipe = pipe; self.list = list; self.elseList = elseList
    }
}

struct TemplateCallNode: ArenaNode, @unchecked Sendable {
    let position: Int
    let name: String
    let pipe: Ref<Pipeline>?
    init(position: Int, name: String, pipe: Ref<Pipeline>?) { self.position = position; self.name = name; self.pipe = pipe }
}

struct Pipeline: ArenaNode, @unchecked Sendable {
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
struct FieldOperand: ArenaNode, @unchecked Sendable {
    let position: Int
    let names: NameList
    init(position: Int, names: NameList) { self.position = position; self.names = names }
}

/// `$x.a.b`: `name` is `$x`, `fields` are `a`, `b`.
struct VariableOperand: ArenaNode, @unchecked Sendable {
    let position: Int
    let name: String
    let fields: NameList
    init(position: Int, name: String, fields: NameList) { self.position = position; self.name = name; self.fields = fields }
}

/// `(pipeline).a.b`, or any other term followed by fields.
struct ChainOperand: ArenaNode, @unchecked Sendable {
    let position: Int
    let base: Operand
    let fields: NameList
    init(position: Int, base: Operand, fields: NameList) { self.position = position; self.base = base; self.fields = fields }
}

struct IdentifierOperand: ArenaNode, @unchecked Sendable {
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

struct NumberOperand: ArenaNode, @unchecked Sendable {
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

struct StringOperand: ArenaNode, @unchecked Sendable {
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

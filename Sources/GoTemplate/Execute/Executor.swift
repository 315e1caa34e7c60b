/// Walks a template tree with Go's execution rules, appending output to a byte buffer.
/// One executor per `execute` call; functions see it as their `TemplateCallContext`.
final class Executor: TemplateCallContext, @unchecked Sendable {
    struct Variable {
        let name: String
        var value: TemplateValue
        /// True when the value's static Go type is `interface{}` (a map or list element).
        var boxed: Bool
    }

    /// Dot: the value and whether it came straight out of a container (Go's interface kind).
    struct Dot {
        let value: TemplateValue
        let boxed: Bool
    }

    enum Flow { case normal, breakLoop, continueLoop }

    let set: TemplateSet
    let options: ExecutionOptions
    let hasFunctions: Bool
    // Executors are confined to one thread: skip the runtime's dynamic exclusivity checks on the
    // hottest state (they cost ~15% of execution time).
    @exclusivity(unchecked) var out: [UInt8] = []
    /// One stack for every template being executed; a `template` call or `include` starts a frame
    /// at `frameBase` holding only its `$` (Go gives each its own variables).
    @exclusivity(unchecked) var vars: [Variable] = []
    @exclusivity(unchecked) var frameBase = 0
    /// Output buffers of finished nested executions (`include`), kept for their capacity.
    @exclusivity(unchecked) var spareBuffers: [[UInt8]] = []
    /// Argument arrays of finished calls, kept for their capacity.
    @exclusivity(unchecked) var spareArguments: [[TemplateValue]] = []
    /// Scratch buffer printf formats into before making its String.
    @exclusivity(unchecked) var scratch: [UInt8] = []
    /// True when a caller-registered function replaces Go's printf (then no direct printing).
    let printfIsBuiltin: Bool
    @exclusivity(unchecked) var depth = 0
    @exclusivity(unchecked) var current: Template!
    /// Where Go's executor stands when a command starts (for errors naming no node of their own):
    /// the pipeline, and the index of the command being run.
    @exclusivity(unchecked) var contextPipeline: Ref<Pipeline>? = nil
    @exclusivity(unchecked) var contextCommand = 0

    init(set: TemplateSet, options: ExecutionOptions, depth: Int = 0) {
        self.set = set
        self.options = options
        self.depth = depth
        self.hasFunctions = !set.functions.isEmpty
        self.printfIsBuiltin = set.functions.entries["printf"] == nil
        out.reserveCapacity(4096)
    }

    var templateName: String { current?.name ?? "" }

    func run(name: String, data: TemplateValue) throws(TemplateError) -> String {
        guard let template = set.templates[name] else {
            throw TemplateError(kind: .execution,
                                message: "template: no template \(GoQuote.quote(name)) associated with template \(GoQuote.quote(set.name))",
                                templateName: name)
        }
        current = template
        vars = [Variable(name: "$", value: data, boxed: false)]
        _ = try StackGuard.withRoom { () throws(TemplateError) -> Flow in
            try walk(Dot(value: data, boxed: false), template.root)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: TemplateCallContext

    /// Helm's `include`: a fresh execution of `name` (its own variables and output) run by this
    /// executor on its own stacks, which saves setting up a new executor per call.
    func executeTemplate(named name: String, data: TemplateValue) throws -> String {
        guard let template = set.templates[name] else {
            throw TemplateError(kind: .execution,
                                message: "template: no template \(GoQuote.quote(name)) associated with template \(GoQuote.quote(set.name))",
                                templateName: name)
        }
        var buffer = spareBuffers.popLast() ?? []
        swap(&buffer, &out)
        let savedFrame = frameBase, savedTemplate = current
        let savedPipeline = contextPipeline, savedCommand = contextCommand
        let mark = vars.count
        frameBase = mark
        vars.append(Variable(name: "$", value: data, boxed: false))
        current = template
        defer {
            vars.removeSubrange(mark...)
            frameBase = savedFrame
            current = savedTemplate
            contextPipeline = savedPipeline
            contextCommand = savedCommand
            swap(&buffer, &out)
            buffer.removeAll(keepingCapacity: true)
            spareBuffers.append(buffer)
        }
        _ = try StackGuard.withRoom { () throws(TemplateError) -> Flow in
            try walk(Dot(value: data, boxed: false), template.root)
        }
        return String(decoding: out, as: UTF8.self)
    }

    func executeText(_ text: String, named name: String, data: TemplateValue) throws -> String {
        var copy = set
        try copy.parse(name: name, text: text)
        let nested = Executor(set: copy, options: options, depth: depth)
        return try nested.run(name: name, data: data)
    }

    @inline(__always)
    func takeArguments() -> [TemplateValue] {
        if let argv = spareArguments.popLast() { return argv }
        var argv: [TemplateValue] = []
        argv.reserveCapacity(4)
        return argv
    }

    @inline(__always)
    func giveBack(_ argv: inout [TemplateValue]) {
        argv.removeAll(keepingCapacity: true)
        spareArguments.append(argv)
    }

    // MARK: errors

    func fail(_ position: Int, _ context: String, _ message: String) -> TemplateError {
        let (line, column) = current.source.location(of: position)
        return TemplateError(
            kind: .execution,
            message: "template: \(current.source.name):\(line):\(column): executing \(GoQuote.quote(current.name)) at <\(context)>: \(message)",
            templateName: current.name)
    }

    func fail(_ operand: Operand, _ message: String) -> TemplateError {
        fail(operand.position, operand.description, message)
    }

    func fail(_ command: Command, _ message: String) -> TemplateError {
        fail(command.position, command.description, message)
    }

    // MARK: walking

    /// Nodes are plain data in their arena: walking them costs no reference counting.
    func walk(_ dot: Dot, _ nodes: NodeList) throws(TemplateError) -> Flow {
        for index in nodes.indices {
            switch nodes[index] {
            case .text(let bytes, _):
                out.append(contentsOf: bytes)
            case .action(let ref, _):
                let pipe = ref
                if pipe.printsDirectly && printfIsBuiltin {
                    // `{{ printf ... }}`: format straight into the output, no intermediate String.
                    _ = try evalPipeline(dot, pipe, direct: true)
                    continue
                }
                let value = try evalPipeline(dot, pipe)
                if pipe.declarations.isEmpty { printValue(value) }
            case .ifBranch(let b):
                let flow = try walkIfOrWith(dot, b, isWith: false)
                if flow != .normal { return flow }
            case .withBranch(let b):
                let flow = try walkIfOrWith(dot, b, isWith: true)
                if flow != .normal { return flow }
            case .range(let b):
                try walkRange(dot, b)
            case .template(let t):
                try walkTemplate(dot, t)
            case .breakLoop:
                return .breakLoop
            case .continueLoop:
                return .continueLoop
            case .comment:
                break
            }
        }
        return .normal
    }

    func printValue(_ value: TemplateValue) {
        switch value {
        case .missing, .null: out.append(contentsOf: "<no value>".utf8)
        case .string(let s): out.append(contentsOf: s.utf8)
        default: GoFormat.appendValue(value, to: &out)
        }
    }

    private func walkIfOrWith(_ dot: Dot, _ b: Ref<BranchNode>, isWith: Bool) throws(TemplateError) -> Flow {
        let mark = vars.count
        defer { vars.removeSubrange(mark...) }
        let value = try evalPipeline(dot, b.pipe)
        if value.isTruthy {
            return try withRoomWalk(isWith ? Dot(value: value, boxed: false) : dot, b.list)
        } else if let elseList = b.elseList {
            return try withRoomWalk(dot, elseList)
        }
        return .normal
    }

    @inline(__always)
    private func withRoomWalk(_ dot: Dot, _ list: NodeList) throws(TemplateError) -> Flow {
        if StackGuard.isLow {
            return try StackGuard.onFreshStack { () throws(TemplateError) -> Flow in try walk(dot, list) }
        }
        return try walk(dot, list)
    }

    /// The node Go's executor last visited after evaluating `pipe`: errors raised afterwards
    /// (range over a bad value, fields of a parenthesized result) name it.
    func lastNode(of pipe: Ref<Pipeline>) -> (Int, String) {
        guard let last = pipe.commands.last else { return (pipe.position, pipe.description) }
        return lastNode(of: last)
    }

    func lastNode(of command: Command) -> (Int, String) {
        let first = command.arguments[0]
        switch first {
        case .identifier where command.arguments.count > 1: return lastNode(ofArgument: command.arguments[command.arguments.count - 1])
        case .pipeline(let p): return lastNode(of: p)
        case .chain(let c): return lastNode(ofArgument: c.base)
        default: return (first.position, first.description)
        }
    }

    func lastNode(ofArgument arg: Operand) -> (Int, String) {
        switch arg {
        case .pipeline(let p): return lastNode(of: p)
        case .chain(let c): return lastNode(ofArgument: c.base)
        default: return (arg.position, arg.description)
        }
    }

    private func walkRange(_ dot: Dot, _ r: Ref<BranchNode>) throws(TemplateError) {
        let outer = vars.count
        defer { vars.removeSubrange(outer...) }
        var value = try evalPipeline(dot, r.pipe)
        // Host objects that are Go maps or slices (`.Files.Glob`, APIVersions) range as such.
        if case .object(let o) = value { value = o.representation }
        let mark = vars.count
        let declCount = r.pipe.declarations.count

        func iteration(_ index: TemplateValue, _ element: TemplateValue, boxed: Bool) throws(TemplateError) -> Flow {
            if declCount > 0 { vars[vars.count - 1].value = element; vars[vars.count - 1].boxed = boxed }
            if declCount > 1 { vars[vars.count - 2].value = index; vars[vars.count - 2].boxed = false }
            let flow = try withRoomWalk(Dot(value: element, boxed: boxed), r.list)
            if vars.count > mark { vars.removeSubrange(mark...) }
            return flow
        }

        switch value {
        case .list(let items) where !items.isEmpty:
            for (i, item) in items.enumerated() {
                if try iteration(.int(i), item, boxed: true) == .breakLoop { break }
            }
            return
        case .bytes(let bytes) where !bytes.isEmpty:
            for (i, b) in bytes.enumerated() {
                if try iteration(.int(i), .int(Int(b)), boxed: false) == .breakLoop { break }
            }
            return
        case .map(let map) where !map.isEmpty:
            // Go sorts a snapshot of the entries first: `set`/`unset` in the body don't change the loop.
            let entries = map.sortedEntries()
            for (key, element) in entries {
                if try iteration(.string(key), element, boxed: true) == .breakLoop { break }
            }
            return
        case .int, .int64:
            if declCount > 1 {
                let (p, c) = lastNode(of: r.pipe)
                throw fail(p, c, "can't use \(GoFormat.sprint([value])) to iterate over more than one variable")
            }
            let n: Int64
            if case .int(let i) = value { n = Int64(i) } else if case .int64(let i) = value { n = i } else { n = 0 }
            if n > 0 {
                var i: Int64 = 0
                while i < n {
                    let element: TemplateValue
                    if case .int = value { element = .int(Int(i)) } else { element = .int64(i) }
                    if try iteration(.missing, element, boxed: false) == .breakLoop { break }
                    i += 1
                }
                return
            }
        case .list, .map, .bytes, .missing, .null:
            break
        default:
            let (p, c) = lastNode(of: r.pipe)
            throw fail(p, c, "range can't iterate over \(GoFormat.sprint([value]))")
        }
        if let elseList = r.elseList {
            _ = try withRoomWalk(dot, elseList)
        }
    }

    private func walkTemplate(_ dot: Dot, _ t: Ref<TemplateCallNode>) throws(TemplateError) {
        guard let template = set.templates[t.name] else {
            throw fail(t.position, Node.template(t).description, "template \(GoQuote.quote(t.name)) not defined")
        }
        if depth >= options.maxTemplateDepth {
            throw fail(t.position, Node.template(t).description, "exceeded maximum template depth (\(options.maxTemplateDepth))")
        }
        let value: TemplateValue
        if let pipe = t.pipe { value = try evalPipeline(dot, pipe) } else { value = .missing }
        let savedFrame = frameBase
        let savedTemplate = current
        let mark = vars.count
        frameBase = mark
        vars.append(Variable(name: "$", value: value, boxed: false))
        current = template
        depth += 1
        defer {
            depth -= 1
            vars.removeSubrange(mark...)
            frameBase = savedFrame
            current = savedTemplate
        }
        _ = try withRoomWalk(Dot(value: value, boxed: false), template.root)
    }

    // MARK: pipelines and commands

    /// `direct`: the pipeline ends in Go's printf and its result goes straight to the output.
    func evalPipeline(_ dot: Dot, _ pipe: Ref<Pipeline>, direct: Bool = false) throws(TemplateError) -> TemplateValue {
        var value: TemplateValue? = nil
        let commands = pipe.commands
        let last = commands.count - 1
        for index in commands.indices {
            let command = commands[index]
            contextPipeline = pipe
            contextCommand = index
            if direct && index == last, case .identifier(let id) = command.arguments[0] {
                _ = try callBuiltin(.printf, dot, id, command: command, args: command.arguments.dropFirst(), final: value, direct: true)
                return .missing
            }
            var v = try evalCommand(dot, command, final: value)
            // A nil interface{} becomes no value (Go: reflect.ValueOf(v.Interface())).
            if case .null = v { v = .missing }
            value = v
        }
        let result = value ?? .missing
        for declaration in pipe.declarations {
            if pipe.isAssign {
                var i = vars.count - 1
                while i >= frameBase {
                    if vars[i].name == declaration { vars[i].value = result; vars[i].boxed = false; break }
                    i -= 1
                }
                if i < frameBase { let (p, c) = lastNode(of: pipe); throw fail(p, c, "undefined variable: \(declaration)") }
            } else {
                vars.append(Variable(name: declaration, value: result, boxed: false))
            }
        }
        return result
    }

    private func notAFunction(_ args: OperandList, _ final: TemplateValue?) throws(TemplateError) {
        if args.count > 1 || final != nil {
            throw fail(args[0], "can't give argument to non-function \(args[0])")
        }
    }

    func evalCommand(_ dot: Dot, _ command: Command, final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        let first = command.arguments[0]
        switch first {
        case .field(let f):
            return try evalFieldChain(dot, receiver: dot.value, boxed: dot.boxed, names: f.names, node: first, args: command.arguments, final: final)
        case .chain(let c):
            return try evalChain(dot, c, node: first, args: command.arguments, final: final)
        case .identifier(let id):
            return try evalFunction(dot, id, command: command, args: command.arguments, final: final)
        case .pipeline(let p):
            if command.arguments.count > 1 || final != nil {
                var (position, context) = (command.position, command.description)
                if let pipe = contextPipeline {
                    let index = contextCommand
                    (position, context) = index == 0 ? (pipe.position, pipe.description) : lastNode(of: pipe.commands[index - 1])
                }
                throw fail(position, context, "can't give argument to non-function \(command.arguments[0])")
            }
            return try withRoomPipeline(dot, p)
        case .variable(let v):
            return try evalVariable(dot, v, node: first, args: command.arguments, final: final)
        default:
            break
        }
        try notAFunction(command.arguments, final)
        switch first {
        case .bool(let b, _): return .bool(b)
        case .dot: return dot.value
        case .nilValue: throw fail(first, "nil is not a command")
        case .number(let n): return try idealConstant(n)
        case .string(let s): return s.value
        default: throw fail(first, "can't evaluate command \(GoQuote.quote(first.description))")
        }
    }

    @inline(__always)
    private func withRoomPipeline(_ dot: Dot, _ pipe: Ref<Pipeline>) throws(TemplateError) -> TemplateValue {
        if StackGuard.isLow {
            return try StackGuard.onFreshStack { () throws(TemplateError) -> TemplateValue in try evalPipeline(dot, pipe) }
        }
        return try evalPipeline(dot, pipe)
    }

    func idealConstant(_ n: Ref<NumberOperand>) throws(TemplateError) -> TemplateValue {
        if n.overflows { throw fail(.number(n), "\(n.text) overflows int") }
        return n.value
    }

    private func evalChain(_ dot: Dot, _ chain: Ref<ChainOperand>, node: Operand, args: OperandList, final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        if case .nilValue = chain.base { throw fail(node, "indirection through explicit nil in \(node)") }
        let base = try evalArg(dot, chain.base)
        return try evalFieldChain(dot, receiver: base, boxed: false, names: chain.fields, node: node, args: args, final: final,
                                  context: chain.base)
    }

    private func evalVariable(_ dot: Dot, _ v: Ref<VariableOperand>, node: Operand, args: OperandList, final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        let name = v.name
        var i = vars.count - 1
        while i >= frameBase && vars[i].name != name { i -= 1 }
        if i < frameBase { throw fail(node, "undefined variable: \(name)") }
        let fields = v.fields
        if fields.isEmpty {
            try notAFunction(args, final)
            return vars[i].value
        }
        return try evalFieldChain(dot, receiver: vars[i].value, boxed: vars[i].boxed, names: fields, node: node, args: args, final: final)
    }

    private func evalFieldChain(_ dot: Dot, receiver: TemplateValue, boxed: Bool, names: NameList, node: Operand,
                                args: OperandList, final: TemplateValue?, context: Operand? = nil) throws(TemplateError) -> TemplateValue {
        var r = receiver
        var b = boxed
        let n = names.count
        if n > 1 {
            for i in 0..<(n - 1) {
                (r, b) = try evalField(dot, names[i], node: node, args: Executor.noArguments, final: nil, receiver: r, boxed: b, context: context)
            }
        }
        return try evalField(dot, names[n - 1], node: node, args: args, final: final, receiver: r, boxed: b, context: context).0
    }

    private func evalField(_ dot: Dot, _ name: String, node: Operand, args: OperandList, final: TemplateValue?,
                           receiver: TemplateValue, boxed: Bool, context: Operand?) throws(TemplateError) -> (TemplateValue, Bool) {
        let hasArgs = args.count > 1 || final != nil
        func fail(_ node: Operand, _ message: String) -> TemplateError {
            if let context {
                let (position, description) = self.lastNode(ofArgument: context)
                return self.fail(position, description, message)
            }
            return self.fail(node, message)
        }
        switch receiver {
        case .map(let m):
            if hasArgs { throw fail(node, "\(name) is not a method but has arguments") }
            if let v = m[name] {
                if case .missing = v { break }
                return (v, true)
            }
            switch options.missingKey {
            case .default: return (.missing, false)
            case .zero: return (.null, true)
            case .error: throw fail(node, "map has no entry for key \(GoQuote.quote(name))")
            }
        case .missing:
            if options.missingKey == .error { throw fail(node, "nil data; no entry for key \(GoQuote.quote(name))") }
            return (.missing, false)
        case .null:
            throw fail(node, "nil pointer evaluating interface {}.\(name)")
        case .object(let o):
            if hasArgs {
                // A typed map (`map[string]string`, Helm's `common.Values`) has no methods.
                if let c = o as? TypedContainer, case .map = c.value { throw fail(node, "\(name) is not a method but has arguments") }
                var argv: [TemplateValue] = []
                for arg in args.dropFirst() { argv.append(try evalArg(dot, arg).functionArgument) }
                if let final { argv.append(final.functionArgument) }
                if let result = try callMethod(o, name, argv, node: node) { return (result, false) }
                if o.field(name) != nil { throw fail(node, "\(name) has arguments but cannot be invoked as function") }
                throw fail(node, "can't evaluate field \(name) in type \(boxed ? "interface {}" : o.goTypeName)")
            }
            if let v = o.field(name) { return (v, (o as? TypedContainer)?.boxesElements ?? false) }
            if let result = try callMethod(o, name, [], node: node) { return (result, false) }
            throw fail(node, "can't evaluate field \(name) in type \(boxed ? "interface {}" : o.goTypeName)")
        default:
            break
        }
        if case .map = receiver {
            return (.missing, false)
        }
        throw fail(node, "can't evaluate field \(name) in type \(boxed ? "interface {}" : GoFormat.typeName(receiver))")
    }

    private func callMethod(_ object: any TemplateObject, _ name: String, _ args: [TemplateValue], node: Operand) throws(TemplateError) -> TemplateValue? {
        do {
            return try object.call(method: name, arguments: args)
        } catch {
            throw self.fail(node, "error calling \(name): \(Executor.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? TemplateFunctionError { return e.message }
        if let e = error as? TemplateError { return e.message }
        return String(describing: error)
    }

    // MARK: arguments

    /// An argument evaluated as Go's `evalArg` with an `interface{}` (or `reflect.Value`) parameter.
    /// An empty argument list: what an operand evaluated as an argument passes on (Go's
    /// `[]parse.Node{n}` there only ever counts as "no arguments").
    static var noArguments: OperandList { OperandList(start: nil, count: 0) }

    func evalArg(_ dot: Dot, _ arg: Operand) throws(TemplateError) -> TemplateValue {
        switch arg {
        case .dot: return dot.value
        case .nilValue: return .null
        case .field(let f):
            return try evalFieldChain(dot, receiver: dot.value, boxed: dot.boxed, names: f.names, node: arg, args: Executor.noArguments, final: nil)
        case .variable(let v): return try evalVariable(dot, v, node: arg, args: Executor.noArguments, final: nil)
        case .pipeline(let p): return try withRoomPipeline(dot, p)
        case .identifier(let id): return try evalFunction(dot, id, command: nil, args: Executor.noArguments, final: nil)
        case .chain(let c): return try evalChain(dot, c, node: arg, args: Executor.noArguments, final: nil)
        case .bool(let b, _): return .bool(b)
        case .number(let n): return try idealConstant(n)
        case .string(let s): return s.value
        }
    }

    private func evalFunction(_ dot: Dot, _ id: Ref<IdentifierOperand>, command: Command?, args: OperandList,
                              final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        let node = Operand.identifier(id)
        let entry = id.registryVersion == set.functions.version ? id.function
            : hasFunctions ? set.functions.entries[id.name] : nil
        if let entry {
            var argv = takeArguments()
            defer { giveBack(&argv) }
            if entry.receivesGoTypes {
                for arg in args.dropFirst() { argv.append(try evalArg(dot, arg).typedFunctionArgument) }
                if let final { argv.append(final.typedFunctionArgument) }
            } else {
                // Typed containers arrive plain; remember them to give a passed-through one its
                // Go type back (`default`, `coalesce`, `ternary` return an argument as it is).
                var typed: [TypedContainer] = []
                for arg in args.dropFirst() {
                    let value = try evalArg(dot, arg)
                    if case .object(let o) = value, let container = o as? TypedContainer { typed.append(container) }
                    argv.append(value.functionArgument)
                }
                if let final {
                    if case .object(let o) = final, let container = o as? TypedContainer { typed.append(container) }
                    argv.append(final.functionArgument)
                }
                if !typed.isEmpty {
                    do {
                        let result = try entry.function(argv, self)
                        return typed.first { $0.value.sharesStorage(with: result) }.map { .object($0) } ?? result
                    } catch {
                        let message = "error calling \(id.name): \(Executor.describe(error))"
                        if let command { throw fail(command, message) }
                        throw fail(node, message)
                    }
                }
            }
            do {
                return try entry.function(argv, self)
            } catch {
                let message = "error calling \(id.name): \(Executor.describe(error))"
                if let command { throw fail(command, message) }
                throw fail(node, message)
            }
        }
        guard let builtin = id.builtin else { throw fail(node, "\(GoQuote.quote(id.name)) is not a defined function") }
        return try callBuiltin(builtin, dot, id, command: command, args: args.dropFirst(), final: final)
    }
}

extension TemplateValue {
    /// True when both are the same Go map, or lists over the same (non-empty) storage: a
    /// function returned its argument rather than a new value.
    func sharesStorage(with other: TemplateValue) -> Bool {
        switch (self, other) {
        case (.map(let a), .map(let b)): return a === b
        case (.list(let a), .list(let b)):
            guard !a.isEmpty, a.count == b.count else { return false }
            return a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in pa.baseAddress == pb.baseAddress } }
        default: return false
        }
    }

    /// What a function receives for this value: Go passes nil for "no value"; a typed
    /// container arrives as its plain list or map.
    var functionArgument: TemplateValue {
        switch self {
        case .missing: return .null
        case .object(let o): return (o as? TypedContainer)?.value ?? self
        default: return self
        }
    }

    /// What a function registered with `receivesGoTypes` receives: typed containers stay.
    var typedFunctionArgument: TemplateValue {
        if case .missing = self { return .null }
        return self
    }

    /// Go's truth: not the zero value of its type.
    var isTruthy: Bool {
        switch self {
        case .missing, .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .int64(let i): return i != 0
        case .float(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .bytes(let b): return !b.isEmpty
        case .list(let l): return !l.isEmpty
        case .map(let m): return !m.isEmpty
        // Host objects that are Go maps or slices (`.Files`, APIVersions) are empty-false too.
        case .object(let o):
            switch o.representation {
            case .map(let m): return !m.isEmpty
            case .list(let l): return !l.isEmpty
            default: return true
            }
        }
    }
}

extension Collection where Element == String {
    /// Go's order for string keys: bytewise.
    func sortedByBytes() -> [String] {
        sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}

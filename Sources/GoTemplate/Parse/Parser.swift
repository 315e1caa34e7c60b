/// Builds trees from tokens following Go's text/template grammar and its error messages
/// (`template: NAME:LINE: MESSAGE`). One parse yields the top-level tree plus every
/// `define`/`block` found in the text.
struct ParsedTrees: @unchecked Sendable {
    /// Trees in definition order; the top-level one (named after the parsed text) is last.
    var trees: [(name: String, root: NodeList)] = []
    /// Owns every node of the trees.
    let arena: NodeArena
}

struct ParseFailure: Error {
    let message: String
}

final class Parser {
    // One parser per parse call, on one thread: no dynamic exclusivity checks on its state.
    @exclusivity(unchecked) private var lexer: Lexer
    /// The lexer's input, held here too: reading it through `lexer` copied the whole lexer.
    let input: [UInt8]
    /// Owns every node this parse makes.
    let arena: NodeArena
    private let parseName: String
    private let functions: FunctionRegistry
    @exclusivity(unchecked) private var tokens = [Token](repeating: Token(kind: .eof, start: 0, end: 0, line: 1), count: 3)
    @exclusivity(unchecked) private var peekCount = 0
    @exclusivity(unchecked) private var vars: [String] = ["$"]
    private var actionLine = 0
    private var rangeDepth = 0
    private var stackDepth = 0
    private var treeSet: [String: NodeList] = [:]
    // Nodes, commands and operands being collected, as stacks shared by the nested lists being
    // built (a list's items are the top of the stack until it is moved into the arena): no array
    // is allocated and grown per list.
    @exclusivity(unchecked) private var nodeStack: [Node] = []
    @exclusivity(unchecked) private var commandStack: [Command] = []
    @exclusivity(unchecked) private var operandStack: [Operand] = []
    private var order: [String] = []

    static let maxStackDepth = 10000

    init(name: String, text: String, leftDelim: String, rightDelim: String, functions: FunctionRegistry) {
        self.parseName = name
        self.functions = functions
        func hasFunction(_ name: String) -> Bool { Builtin(rawValue: name) != nil || functions.entries[name] != nil }
        let input = Array(text.utf8)
        self.input = input
        self.arena = NodeArena(text: input)
        self.lexer = Lexer(input: input, leftDelim: leftDelim, rightDelim: rightDelim,
                           breakOK: !hasFunction("break"), continueOK: !hasFunction("continue"))
    }

    func parse() throws(ParseFailure) -> ParsedTrees {
        let base = nodeStack.count
        while peek().kind != .eof {
            if peek().kind == .leftDelim {
                let delim = next()
                if nextNonSpace().kind == .define {
                    try parseDefinition()
                    continue
                }
                backup2(delim)
            }
            let n = try textOrAction()
            switch n {
            case .end: try fail("unexpected {{end}}")
            case .elseMarker: try fail("unexpected {{else}}")
            case .node(let node): nodeStack.append(node)
            }
        }
        try add(name: parseName, root: popNodes(from: base))
        return ParsedTrees(trees: order.map { ($0, treeSet[$0]!) }, arena: arena)
    }

    // MARK: tokens

    private func next() -> Token {
        if peekCount > 0 { peekCount -= 1 } else { tokens[0] = lexer.next() }
        return tokens[peekCount]
    }

    private func backup() { peekCount += 1 }

    private func backup2(_ t1: Token) { tokens[1] = t1; peekCount = 2 }

    private func backup3(_ t2: Token, _ t1: Token) { tokens[1] = t1; tokens[2] = t2; peekCount = 3 }

    private func peek() -> Token {
        if peekCount > 0 { return tokens[peekCount - 1] }
        peekCount = 1
        tokens[0] = lexer.next()
        return tokens[0]
    }

    private func nextNonSpace() -> Token {
        var token: Token
        repeat { token = next() } while token.kind == .space
        return token
    }

    private func peekNonSpace() -> Token {
        let token = nextNonSpace()
        backup()
        return token
    }

    /// A field token's name, without its dot.
    private func fieldName(_ token: Token) -> String {
        input.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[(token.start + 1)..<token.end]), as: UTF8.self) }
    }

    private func text(_ token: Token) -> String {
        input.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[token.start..<token.end]), as: UTF8.self) }
    }

    // MARK: errors

    private func fail(_ message: String) throws(ParseFailure) -> Never {
        throw ParseFailure(message: "template: \(parseName):\(tokens[0].line): \(message)")
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .eof: return "EOF"
        case .error: return lexer.errorMessage
        default:
            let value = text(token)
            if token.kind.isKeyword { return "<\(value)>" }
            if value.unicodeScalars.count > 10 {
                return GoQuote.quote(String(String.UnicodeScalarView(value.unicodeScalars.prefix(10)))) + "..."
            }
            return GoQuote.quote(value)
        }
    }

    private func unexpected(_ token: Token, _ context: String) throws(ParseFailure) -> Never {
        if token.kind == .error {
            var extra = ""
            if actionLine != 0 && actionLine != token.line {
                extra = " in action started at \(parseName):\(actionLine)"
                if lexer.errorMessage.hasSuffix(" action") { extra = String(extra.dropFirst(" in action".count)) }
            }
            try fail(lexer.errorMessage + extra)
        }
        try fail("unexpected \(describe(token)) in \(context)")
    }

    private func expect(_ kind: TokenKind, _ context: String) throws(ParseFailure) -> Token {
        let token = nextNonSpace()
        if token.kind != kind { try unexpected(token, context) }
        return token
    }

    // MARK: structure

    /// The nodes above `base`, moved into the arena. (The list is made before the stack
    /// shrinks: a slice still alive then would make the stack copy itself.)
    private func popNodes(from base: Int) -> NodeList {
        let list = arena.list(nodeStack[base...])
        nodeStack.removeSubrange(base...)
        return list
    }

    private func add(name: String, root: NodeList) throws(ParseFailure) {
        if let existing = treeSet[name] {
            if !existing.allSatisfy(\.isEmpty) {
                if !root.allSatisfy(\.isEmpty) { try fail("template: multiple definition of template \(GoQuote.quote(name))") }
                return
            }
        } else {
            order.append(name)
        }
        treeSet[name] = root
    }

    private func parseDefinition() throws(ParseFailure) {
        let context = "define clause"
        let nameToken = nextNonSpace()
        if nameToken.kind != .string && nameToken.kind != .rawString { try unexpected(nameToken, context) }
        let name = try unquote(nameToken)
        _ = try expect(.rightDelim, context)
        let savedVars = vars, savedRange = rangeDepth
        vars = ["$"]; rangeDepth = 0
        let (list, end) = try itemList()
        if case .elseMarker = end { try fail("unexpected {{else}} in \(context)") }
        try add(name: name, root: list)
        vars = savedVars; rangeDepth = savedRange
    }

    private enum Item { case node(Node), end, elseMarker }

    /// Items up to `{{end}}` or `{{else}}`.
    private func itemList() throws(ParseFailure) -> (NodeList, Item) {
        let base = nodeStack.count
        while peekNonSpace().kind != .eof {
            let item = try textOrAction()
            switch item {
            case .end, .elseMarker: return (popNodes(from: base), item)
            case .node(let n): nodeStack.append(n)
            }
        }
        try fail("unexpected EOF")
    }

    private func textOrAction() throws(ParseFailure) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .text:
            return .node(.text(arena.bytes(token.start, token.end), position: token.start))
        case .leftDelim:
            actionLine = token.line
            defer { actionLine = 0 }
            return try action()
        default:
            try unexpected(token, "input")
        }
    }

    private func action() throws(ParseFailure) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .block: return .node(try blockControl())
        case .breakKeyword, .continueKeyword:
            let isBreak = token.kind == .breakKeyword
            let next = nextNonSpace()
            if next.kind != .rightDelim { try unexpected(next, isBreak ? "{{break}}" : "{{continue}}") }
            if rangeDepth == 0 { try fail(isBreak ? "{{break}} outside {{range}}" : "{{continue}} outside {{range}}") }
            return .node(isBreak ? .breakLoop(position: token.start) : .continueLoop(position: token.start))
        case .elseKeyword:
            let p = peekNonSpace()
            if p.kind == .ifKeyword || p.kind == .with { return .elseMarker }
            _ = try expect(.rightDelim, "else")
            return .elseMarker
        case .end:
            _ = try expect(.rightDelim, "end")
            return .end
        case .ifKeyword: return .node(.ifBranch(arena.keep(try parseControl("if"))))
        case .range: return .node(.range(arena.keep(try parseControl("range"))))
        case .template: return .node(try templateControl())
        case .with: return .node(.withBranch(arena.keep(try parseControl("with"))))
        default: break
        }
        backup()
        let start = peek()
        let pipe = try pipeline("command", end: .rightDelim)
        return .node(.action(arena.keep(pipe), position: start.start))
    }

    private func parseControl(_ context: String) throws(ParseFailure) -> BranchNode {
        if StackGuard.isLow {
            return try StackGuard.onFreshStack { () throws(ParseFailure) -> BranchNode in try parseControl(context) }
        }
        let savedVars = vars.count
        defer { vars.removeSubrange(savedVars...) }
        let pipe = try pipeline(context, end: .rightDelim)
        if context == "range" { rangeDepth += 1 }
        var (list, next) = try itemList()
        if context == "range" { rangeDepth -= 1 }
        var elseList: NodeList? = nil
        if case .elseMarker = next {
            if context == "if" && peek().kind == .ifKeyword {
                _ = self.next()
                elseList = arena.list(CollectionOfOne(Node.ifBranch(arena.keep(try parseControl("if")))))
            } else if context == "with" && peek().kind == .with {
                _ = self.next()
                elseList = arena.list(CollectionOfOne(Node.withBranch(arena.keep(try parseControl("with")))))
            } else {
                let (l, n) = try itemList()
                elseList = l
                if case .elseMarker = n { try fail("expected end; found {{else}}") }
                next = n
            }
        }
        return BranchNode(position: pipe.position, pipe: arena.keep(pipe), list: list, elseList: elseList)
    }

    private func templateName(_ token: Token, _ context: String) throws(ParseFailure) -> String {
        if token.kind != .string && token.kind != .rawString { try unexpected(token, context) }
        return try unquote(token)
    }

    private func templateControl() throws(ParseFailure) -> Node {
        let context = "template clause"
        let token = nextNonSpace()
        let name = try templateName(token, context)
        var pipe: Ref<Pipeline>? = nil
        if nextNonSpace().kind != .rightDelim {
            backup()
            pipe = arena.keep(try pipeline(context, end: .rightDelim))
        }
        return .template(arena.keep(TemplateCallNode(position: token.start, name: name, pipe: pipe)))
    }

    private func blockControl() throws(ParseFailure) -> Node {
        let context = "block clause"
        let token = nextNonSpace()
        let name = try templateName(token, context)
        let pipe = arena.keep(try pipeline(context, end: .rightDelim))
        let savedVars = vars, savedRange = rangeDepth
        vars = ["$"]; rangeDepth = 0
        let (list, end) = try itemList()
        if case .elseMarker = end { try fail("unexpected {{else}} in \(context)") }
        try add(name: name, root: list)
        vars = savedVars; rangeDepth = savedRange
        return .template(arena.keep(TemplateCallNode(position: token.start, name: name, pipe: pipe)))
    }

    // MARK: pipelines

    private func pipeline(_ context: String, end: TokenKind) throws(ParseFailure) -> Pipeline {
        let first = peekNonSpace()
        var decls: [String] = []
        var isAssign = false
        decls: while true {
            let v = peekNonSpace()
            guard v.kind == .variable else { break }
            _ = next()
            let tokenAfterVariable = peek()
            let following = peekNonSpace()
            if following.kind == .assign || following.kind == .declare {
                isAssign = following.kind == .assign
                _ = nextNonSpace()
                decls.append(text(v))
                vars.append(text(v))
            } else if following.kind == .char && text(following) == "," {
                _ = nextNonSpace()
                decls.append(text(v))
                vars.append(text(v))
                if context == "range" && decls.count < 2 {
                    switch peekNonSpace().kind {
                    case .variable, .rightDelim, .rightParen: continue decls
                    default: try fail("range can only initialize variables")
                    }
                }
                try fail("too many declarations in \(context)")
            } else if tokenAfterVariable.kind == .space {
                backup3(v, tokenAfterVariable)
            } else {
                backup2(v)
            }
            break
        }
        let base = commandStack.count
        while true {
            let token = nextNonSpace()
            switch token.kind {
            case end:
                if commandStack.count == base { try fail("missing value for \(context)") }
                for i in (base + 1)..<max(base + 1, commandStack.count) where commandStack[i].arguments[0].isLiteral {
                    try fail("non executable command in pipeline stage \(i - base + 1)")
                }
                let list = arena.list(commandStack[base...])
                commandStack.removeSubrange(base...)
                return Pipeline(position: first.start, isAssign: isAssign, declarations: decls, commands: list)
            case .bool, .charConstant, .complex, .dot, .field, .identifier, .number, .nilKeyword,
                 .rawString, .string, .variable, .leftParen:
                backup()
                let command = try command()
                commandStack.append(command)
            default:
                try unexpected(token, context)
            }
        }
    }

    private func command() throws(ParseFailure) -> Command {
        let position = peekNonSpace().start
        let base = operandStack.count
        while true {
            _ = peekNonSpace()
            if let operand = try operand() { operandStack.append(operand) }
            let token = next()
            switch token.kind {
            case .space: continue
            case .rightDelim, .rightParen: backup()
            case .pipe: break
            default: try unexpected(token, "operand")
            }
            break
        }
        if operandStack.count == base { try fail("empty command") }
        let args = arena.list(operandStack[base...])
        operandStack.removeSubrange(base...)
        return Command(position: position, arguments: args)
    }

    private func operand() throws(ParseFailure) -> Operand? {
        guard let node = try term() else { return nil }
        guard peek().kind == .field else { return node }
        let position = peek().start
        var fields: [String] = []
        while peek().kind == .field { fields.append(fieldName(next())) }
        switch node {
        case .field(let f):
            return .field(arena.keep(FieldOperand(position: position, names: arena.names(Array(f.names) + fields))))
        case .variable(let v):
            return .variable(arena.keep(VariableOperand(position: position, name: v.name, fields: arena.names(Array(v.fields) + fields))))
        case .bool, .string, .number, .nilValue, .dot:
            try fail("unexpected . after term \(GoQuote.quote(node.description))")
        default:
            return .chain(arena.keep(ChainOperand(position: position, base: node, fields: arena.names(fields))))
        }
    }

    private func term() throws(ParseFailure) -> Operand? {
        let token = nextNonSpace()
        switch token.kind {
        case .identifier:
            let name = text(token)
            let function = functions.entries[name]
            let builtin = function == nil ? Builtin(rawValue: name) : nil
            if function == nil && builtin == nil { try fail("function \(GoQuote.quote(name)) not defined") }
            return .identifier(arena.keep(IdentifierOperand(position: token.start, name: name, function: function,
                                                            registryVersion: functions.version, builtin: builtin)))
        case .dot: return .dot(position: token.start)
        case .nilKeyword: return .nilValue(position: token.start)
        case .variable:
            let name = text(token)
            if !vars.contains(name) { try fail("undefined variable \(GoQuote.quote(name))") }
            return .variable(arena.keep(VariableOperand(position: token.start, name: name, fields: NameList(start: nil, count: 0))))
        case .field:
            return .field(arena.keep(FieldOperand(position: token.start, names: arena.names([fieldName(token)]))))
        case .bool: return .bool(text(token) == "true", position: token.start)
        case .charConstant, .complex, .number:
            return .number(arena.keep(try number(token)))
        case .leftParen:
            if stackDepth >= Parser.maxStackDepth { try fail("max expression depth exceeded") }
            stackDepth += 1
            defer { stackDepth -= 1 }
            return .pipeline(arena.keep(try StackGuard.withRoom { () throws(ParseFailure) -> Pipeline in
                try pipeline("parenthesized pipeline", end: .rightParen)
            }))
        case .string, .rawString:
            return .string(arena.keep(StringOperand(position: token.start, quoted: text(token), text: try unquote(token))))
        default:
            backup()
            return nil
        }
    }

    // MARK: literals

    private func unquote(_ token: Token) throws(ParseFailure) -> String {
        guard let s = GoLiteral.unquote(input[token.start..<token.end]) else { try fail("invalid syntax") }
        return s
    }

    private func number(_ token: Token) throws(ParseFailure) -> NumberOperand {
        let text = self.text(token)
        switch GoLiteral.number(text, isChar: token.kind == .charConstant, isComplex: token.kind == .complex) {
        case .success(let n): return NumberOperand(position: token.start, text: text, value: n.value, overflows: n.overflows, isInteger: n.isInteger)
        case .failure(let e): try fail(e.message)
        }
    }
}

/// A set of named templates sharing definitions, like a Go `*template.Template` and its
/// associated templates. Parse once, execute many times (concurrently if wished: the set is a value).
///
///     var set = TemplateSet(functions: registry)
///     try set.parse(name: "a.yaml", text: "{{ define \"x\" }}hi{{ end }}{{ template \"x\" }}")
///     let out = try set.execute(name: "a.yaml", data: .map([:]), options: .init(missingKey: .zero))
public struct TemplateSet: Sendable {
    /// Functions callable by name; they override builtins of the same name (as Sprig's `slice`).
    public var functions: FunctionRegistry
    public var leftDelimiter: String
    public var rightDelimiter: String
    /// Name used in `template: no template "x" associated with template "NAME"`.
    public var name: String
    var templates: [String: Template] = [:]

    public init(name: String = "", functions: FunctionRegistry = FunctionRegistry(),
                leftDelimiter: String = "{{", rightDelimiter: String = "}}") {
        self.name = name
        self.functions = functions
        self.leftDelimiter = leftDelimiter
        self.rightDelimiter = rightDelimiter
    }

    /// Names of all templates in the set (files and defines), sorted.
    public var templateNames: [String] { templates.keys.sorted() }

    public func contains(_ name: String) -> Bool { templates[name] != nil }

    /// Parse `text` as the template `name`; its `define`s and `block`s join the set. A later
    /// definition replaces an earlier one unless its body is empty (Go's rule).
    /// Throws `TemplateError` (kind `.parse`).
    public mutating func parse(name: String, text: String) throws {
        add(try parsedText(name: name, text: text))
    }

    /// Parse many texts: the same as calling `parse(name:text:)` for each in order (definitions
    /// join the set in that order, so Go's redefinition rules hold), but the texts are parsed on
    /// up to `threads` threads at once (default: one per core). On an error, the texts before
    /// the failing one have joined the set and that text's `TemplateError` is thrown.
    public mutating func parse(_ texts: [(name: String, text: String)], threads: Int = TemplateSet.defaultParseThreads) throws {
        let functions = self.functions, left = leftDelimiter, right = rightDelimiter
        let results = ParallelParse.map(texts, threads: threads) { (entry) -> Result<ParsedText, TemplateError> in
            Result { () throws(TemplateError) -> ParsedText in
                try TemplateSet.parsedText(name: entry.name, text: entry.text, functions: functions,
                                           leftDelimiter: left, rightDelimiter: right)
            }
        }
        for result in results { add(try result.get()) }
    }

    /// One text's trees, not yet in the set.
    struct ParsedText: Sendable {
        let source: TemplateSource
        let trees: ParsedTrees
    }

    private func parsedText(name: String, text: String) throws(TemplateError) -> ParsedText {
        try TemplateSet.parsedText(name: name, text: text, functions: functions,
                                   leftDelimiter: leftDelimiter, rightDelimiter: rightDelimiter)
    }

    private static func parsedText(name: String, text: String, functions: FunctionRegistry,
                                   leftDelimiter: String, rightDelimiter: String) throws(TemplateError) -> ParsedText {
        let parser = Parser(name: name, text: text, leftDelim: leftDelimiter, rightDelim: rightDelimiter, functions: functions)
        do {
            let trees = try StackGuard.withRoom { () throws(ParseFailure) -> ParsedTrees in try parser.parse() }
            return ParsedText(source: TemplateSource(name: name, bytes: parser.input), trees: trees)
        } catch {
            throw TemplateError(kind: .parse, message: error.message, templateName: name)
        }
    }

    private mutating func add(_ parsed: ParsedText) {
        for (treeName, root) in parsed.trees.trees {
            let isEmpty = root.allSatisfy(\.isEmpty)
            if isEmpty && templates[treeName] != nil { continue }
            templates[treeName] = Template(name: treeName, source: parsed.source, root: root, arena: parsed.trees.arena)
        }
    }

    /// Execute the template `name` with `data` as dot and `$`. Throws `TemplateError`.
    public func execute(name: String, data: TemplateValue, options: ExecutionOptions = ExecutionOptions()) throws -> String {
        let executor = Executor(set: self, options: options)
        return try executor.run(name: name, data: data)
    }

    /// Execute `text` as a template named `name` that sees this set's definitions; `define`s
    /// inside `text` stay local to this call (Helm's `tpl`).
    public func execute(text: String, name: String, data: TemplateValue, options: ExecutionOptions = ExecutionOptions()) throws -> String {
        var copy = self
        try copy.parse(name: name, text: text)
        return try copy.execute(name: name, data: data, options: options)
    }
}

/// The text a group of templates was parsed from: error positions are computed from it.
final class TemplateSource: Sendable {
    let name: String
    let bytes: [UInt8]
    init(name: String, bytes: [UInt8]) { self.name = name; self.bytes = bytes }

    /// Go's ErrorContext location: 1-based line, 0-based byte column.
    func location(of position: Int) -> (line: Int, column: Int) {
        let end = min(position, bytes.count)
        var line = 1
        var lastNewline = -1
        for i in 0..<end where bytes[i] == 10 { line += 1; lastNewline = i }
        return (line, lastNewline < 0 ? end : end - lastNewline - 1)
    }
}

/// One named template: its body and where it was parsed.
final class Template: @unchecked Sendable {
    let name: String
    let source: TemplateSource
    let root: NodeList
    /// Owns `root` and every node below it.
    let arena: NodeArena
    init(name: String, source: TemplateSource, root: NodeList, arena: NodeArena) {
        self.name = name; self.source = source; self.root = root; self.arena = arena
    }
}

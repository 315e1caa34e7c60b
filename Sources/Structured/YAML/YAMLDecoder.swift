import CYaml
import Foundation
import OrderedCollections

/// Builds `Value`s straight from libyaml's event stream (no intermediate node tree), typing
/// scalars and keys the way Helm's Go stack does: go-yaml v2 resolution, then sigs.k8s.io/yaml's
/// conversion to JSON, then JSON into `interface{}` (values mode) or Kubernetes' int64-preserving
/// JSON (manifest mode).
struct YAMLDecoder {
    let mode: YAMLMode
    let file: String?

    /// What a finished node was, which matters for merge keys and for use as a mapping key.
    enum Kind: Equatable { case scalar, sequence, mapping, aliasToScalar, aliasToSequence, aliasToMapping }

    /// How a node reads when used as a mapping key (sigs.k8s.io/yaml turns keys into strings).
    enum KeyForm {
        case string(String)
        case merge
        case unsupported(String)  // sigs.k8s.io/yaml's "unsupported map key" message
        case invalid(Value)  // a collection used as a key: go-yaml's invalid map key
    }

    struct Built {
        var value: Value
        var kind: Kind
        var key: KeyForm
        /// For sequences: every element is a mapping (or an alias of one), so it can be merged.
        var mergeable = false
        /// A scalar that is a fine key but no value (`.inf`: JSON has no infinities).
        var valueError: StructuredError?
    }

    struct Frame {
        var isMapping: Bool
        var anchor: String?
        var line: Int
        var column: Int
        var items: [Value] = []
        var mergeable = true
        var entries: OrderedDictionary<String, Value> = [:]
        var pendingKey: KeyForm?
        var pendingLine = 0
        var pendingColumn = 0
    }

    func decode(_ text: String, firstOnly: Bool) throws(StructuredError) -> [Value] {
        var text = text
        let result: Result<[Value], StructuredError> = text.withUTF8 { buffer in
            var run = Run(decoder: self)
            do throws(StructuredError) {
                return .success(try run.parse(buffer, firstOnly: firstOnly))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    static func containsSlashEscape(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard buffer.count > 1 else { return false }
        for i in 0..<(buffer.count - 1) where buffer[i] == UInt8(ascii: "\\") && buffer[i + 1] == UInt8(ascii: "/") { return true }
        return false
    }

    /// The prefix sigs.k8s.io/yaml puts on every decoding error.
    static let prefix = "error converting YAML to JSON: "

    struct Run {
        let decoder: YAMLDecoder
        var frames: [Frame] = []
        var anchors: [String: Built] = [:]
        var openAnchors: Set<String> = []
        var root: Built?

        init(decoder: YAMLDecoder) { self.decoder = decoder }

        func error(_ message: String, line: Int, column: Int) -> StructuredError {
            StructuredError(YAMLDecoder.prefix + message, at: SourceLocation(file: decoder.file, line: line + 1, column: column + 1))
        }

        mutating func parse(_ buffer: UnsafeBufferPointer<UInt8>, firstOnly: Bool) throws(StructuredError) -> [Value] {
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { throw StructuredError("cannot initialise the YAML parser") }
            defer { yaml_parser_delete(&parser) }
            let empty: [UInt8] = [0]
            empty.withUnsafeBufferPointer { e in
                yaml_parser_set_input_string(&parser, buffer.baseAddress ?? e.baseAddress!, buffer.count)
            }
            yaml_parser_set_encoding(&parser, YAML_ANY_ENCODING)
            var documents: [Value] = []
            var event = yaml_event_t()
            let slashEscapes = YAMLDecoder.containsSlashEscape(buffer)
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { throw parserError(&parser) }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line), column = Int(event.start_mark.column)
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return documents
                case YAML_DOCUMENT_START_EVENT:
                    anchors = [:]
                    root = nil
                case YAML_DOCUMENT_END_EVENT:
                    documents.append(root?.value ?? .null)
                    if firstOnly { return documents }
                case YAML_ALIAS_EVENT:
                    let name = String(cString: event.data.alias.anchor)
                    if openAnchors.contains(name) {
                        throw error("yaml: anchor '\(name)' value contains itself", line: line, column: column)
                    }
                    guard let target = anchors[name] else {
                        throw error("yaml: unknown anchor '\(name)' referenced", line: line, column: column)
                    }
                    var built = target
                    switch target.kind {
                    case .scalar, .aliasToScalar: built.kind = .aliasToScalar
                    case .sequence, .aliasToSequence: built.kind = .aliasToSequence
                    case .mapping, .aliasToMapping: built.kind = .aliasToMapping
                    }
                    if case .merge = built.key { built.key = .string("<<") }
                    try complete(built, line: line, column: column)
                case YAML_SCALAR_EVENT:
                    let s = event.data.scalar
                    let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
                    let tag = s.tag.map { String(cString: $0) }
                    if slashEscapes && s.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE {
                        try checkEscapes(buffer, fromCharacter: Int(event.start_mark.index))
                    }
                    let built = try scalar(text, tag: tag, plain: s.plain_implicit != 0, line: line, column: column)
                    if let anchor = s.anchor.map({ String(cString: $0) }) {
                        var stored = built
                        if case .merge = stored.key { stored.key = .string("<<") }
                        anchors[anchor] = stored
                    }
                    try complete(built, line: line, column: column)
                case YAML_SEQUENCE_START_EVENT:
                    let anchor = event.data.sequence_start.anchor.map { String(cString: $0) }
                    if let anchor { openAnchors.insert(anchor) }
                    frames.append(Frame(isMapping: false, anchor: anchor, line: line, column: column))
                case YAML_MAPPING_START_EVENT:
                    let anchor = event.data.mapping_start.anchor.map { String(cString: $0) }
                    if let anchor { openAnchors.insert(anchor) }
                    frames.append(Frame(isMapping: true, anchor: anchor, line: line, column: column))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    let frame = frames.removeLast()
                    let built: Built
                    if frame.isMapping {
                        let value = Value.object(frame.entries)
                        built = Built(value: value, kind: .mapping, key: .invalid(value))
                    } else {
                        let value = Value.array(frame.items)
                        built = Built(value: value, kind: .sequence, key: .invalid(value), mergeable: frame.mergeable)
                    }
                    if let anchor = frame.anchor {
                        openAnchors.remove(anchor)
                        anchors[anchor] = built
                    }
                    try complete(built, line: frame.line, column: frame.column)
                default:
                    break
                }
            }
        }

        /// Hand a finished node to its parent (or make it the document root).
        mutating func complete(_ built: Built, line: Int, column: Int) throws(StructuredError) {
            if let valueError = built.valueError, !(frames.last.map { $0.isMapping && $0.pendingKey == nil } ?? false) {
                throw valueError
            }
            guard !frames.isEmpty else {
                root = built
                return
            }
            let top = frames.count - 1
            if !frames[top].isMapping {
                frames[top].items.append(built.value)
                if built.kind != .mapping && built.kind != .aliasToMapping { frames[top].mergeable = false }
                return
            }
            guard let key = frames[top].pendingKey else {
                frames[top].pendingKey = built.key
                frames[top].pendingLine = line
                frames[top].pendingColumn = column
                return
            }
            frames[top].pendingKey = nil
            switch key {
            case .string(let k):
                frames[top].entries[k] = built.value
            case .merge:
                try merge(built, into: top, line: frames[top].pendingLine, column: frames[top].pendingColumn)
            case .unsupported(let message):
                throw error(message + ", value: " + goValueDescription(built.value),
                            line: frames[top].pendingLine, column: frames[top].pendingColumn)
            case .invalid(let key):
                throw error("yaml: invalid map key: " + goSyntax(key), line: frames[top].pendingLine, column: frames[top].pendingColumn)
            }
        }

        /// go-yaml v2's `<<`: mappings are written into the current map in place (so a merge after
        /// explicit keys overrides them); a list is applied last to first, so earlier entries win.
        mutating func merge(_ built: Built, into top: Int, line: Int, column: Int) throws(StructuredError) {
            let failure = error("yaml: map merge requires map or sequence of maps as the value", line: line, column: column)
            switch built.kind {
            case .mapping, .aliasToMapping:
                guard case .object(let o) = built.value else { throw failure }
                for (k, v) in o { frames[top].entries[k] = v }
            case .sequence where built.mergeable:
                guard case .array(let items) = built.value else { throw failure }
                for item in items.reversed() {
                    guard case .object(let o) = item else { throw failure }
                    for (k, v) in o { frames[top].entries[k] = v }
                }
            default:
                throw failure
            }
        }

        func scalar(_ text: String, tag: String?, plain: Bool, line: Int, column: Int) throws(StructuredError) -> Built {
            var resolved: YAMLScalarResolver.Resolved
            if let tag {
                do {
                    resolved = try YAMLScalarResolver.resolve(text, explicitTag: tag)
                } catch let e {
                    throw error(e.message, line: line, column: column)
                }
                if tag == YAMLScalarResolver.mergeTag { resolved = .merge }
                if tag == YAMLScalarResolver.binaryTag {
                    let cleaned = text.filter { $0 != "\n" && $0 != "\r" }
                    guard let data = Data(base64Encoded: cleaned) else {
                        throw error("yaml: !!binary value contains invalid base64 data", line: line, column: column)
                    }
                    resolved = .string(String(decoding: data, as: UTF8.self))
                }
            } else if plain {
                // A plain `<<` is a merge key (go-yaml checks the text, not its resolver).
                resolved = text == "<<" ? .merge : YAMLScalarResolver.resolvePlain(text)
            } else {
                resolved = .string(text)
            }
            do throws(StructuredError) {
                return Built(value: try value(of: resolved, line: line, column: column), kind: .scalar, key: keyForm(of: resolved))
            } catch {
                return Built(value: .null, kind: .scalar, key: keyForm(of: resolved), valueError: error)
            }
        }

        func value(of r: YAMLScalarResolver.Resolved, line: Int, column: Int) throws(StructuredError) -> Value {
            switch r {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .string(let s), .timestamp(let s): return .string(s)
            case .merge: return .string("<<")
            case .int(let i): return decoder.mode == .manifest ? .int(i) : .double(Double(i))
            case .uint(let u): return .double(Double(u))
            case .float(let f):
                guard f.isFinite else {
                    throw error("json: unsupported value: \(GoFloatFormat.g(f))", line: line, column: column)
                }
                if decoder.mode == .manifest, f.rounded() == f, abs(f) < 1e21, f >= -9.223372036854775808e18,
                    f < 9.223372036854775808e18
                {
                    return .int(Int64(f))
                }
                return .double(f)
            }
        }

        func keyForm(of r: YAMLScalarResolver.Resolved) -> KeyForm {
            switch r {
            case .string(let s), .timestamp(let s): return .string(s)
            case .merge: return .merge
            case .bool(let b): return .string(b ? "true" : "false")
            case .int(let i): return .string(String(i))
            case .float(let f):
                if f.isNaN { return .string(".nan") }
                if f.isInfinite { return .string(f < 0 ? "-.inf" : ".inf") }
                return .string(GoFloatFormat.g(f, float32: true))
            case .uint(let u):
                return .unsupported("unsupported map key of type: uint64, key: 0x" + String(u, radix: 16))
            case .null:
                return .unsupported("unsupported map key of type: %!s(<nil>), key: <nil>")
            }
        }

        /// Go's `%#v` of what go-yaml decoded (close enough for error messages).
        func goSyntax(_ v: Value) -> String {
            switch v {
            case .null: return "interface {}(nil)"
            case .array(let items): return "[]interface {}{" + items.map(goSyntax).joined(separator: ", ") + "}"
            case .object(let o):
                let entries = o.keys.sorted().map { goQuote($0) + ":" + goSyntax(o[$0]!) }
                return "map[interface {}]interface {}{" + entries.joined(separator: ", ") + "}"
            case .string(let s): return goQuote(s)
            default: return goValueDescription(v)
            }
        }

        /// strconv.Quote, for the ASCII controls that matter in messages.
        func goQuote(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case "\r": out += "\\r"
                default:
                    if u.value < 0x20 || u.value == 0x7F {
                        out += "\\x" + (u.value < 0x10 ? "0" : "") + String(u.value, radix: 16)
                    } else {
                        out.unicodeScalars.append(u)
                    }
                }
            }
            return out + "\""
        }

        func goValueDescription(_ v: Value) -> String {
            switch v {
            case .null: return "<nil>"
            case .bool(let b): return b ? "true" : "false"
            case .int(let i): return String(i)
            case .double(let d): return GoFloatFormat.g(d)
            case .string(let s): return goQuote(s)
            case .array: return "[]interface {}{...}"
            case .object: return "map[interface {}]interface {}{...}"
            }
        }

        /// go-yaml (unlike libyaml 0.2.5) has no `\/` escape in double-quoted scalars.
        func checkEscapes(_ buffer: UnsafeBufferPointer<UInt8>, fromCharacter index: Int) throws(StructuredError) {
            var i = 0, characters = 0, line = 0, column = 0
            func advance() {
                if buffer[i] == 0x0A { line += 1; column = 0 } else if buffer[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
            while i < buffer.count && characters < index {
                if buffer[i] & 0xC0 != 0x80 { characters += 1 }
                advance()
            }
            while i < buffer.count && buffer[i] != UInt8(ascii: "\"") { advance() }
            advance()
            while i < buffer.count && buffer[i] != UInt8(ascii: "\"") {
                if buffer[i] == UInt8(ascii: "\\") && i + 1 < buffer.count {
                    if buffer[i + 1] == UInt8(ascii: "/") {
                        throw StructuredError(
                            YAMLDecoder.prefix + "yaml: line \(line + 1): found unknown escape character",
                            at: SourceLocation(file: decoder.file, line: line + 1, column: column))
                    }
                    advance()
                }
                advance()
            }
        }

        /// go-yaml's message for a libyaml failure, including its line quirk: scanner errors report
        /// the 1-based line, parser errors the 0-based one, and nothing when that is 0.
        func parserError(_ parser: inout yaml_parser_t) -> StructuredError {
            let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem parsing YAML content"
            var goLine = 0
            if parser.problem_mark.line != 0 {
                goLine = Int(parser.problem_mark.line)
                if parser.error == YAML_SCANNER_ERROR { goLine += 1 }
            } else if parser.context_mark.line != 0 {
                goLine = Int(parser.context_mark.line)
            }
            let whereText = goLine != 0 ? "line \(goLine): " : ""
            let mark = parser.error == YAML_READER_ERROR ? parser.problem_mark : parser.problem_mark
            return StructuredError(
                YAMLDecoder.prefix + "yaml: " + whereText + problem,
                at: SourceLocation(file: decoder.file, line: Int(mark.line) + 1, column: Int(mark.column) + 1))
        }
    }
}

import Foundation

/// Go's text/template checks a function's arguments against its typed signature before calling
/// it, so a wrong argument is reported at the argument's own node (`at <.Values.num>:`, its
/// column), with reflect's wording and no "error calling NAME:". Our functions check their
/// arguments themselves and mark such errors (`Arguments.wrongType`, arity checks); the
/// renderer rewrites a marked error here, finding the argument in the template's source.
enum ArgumentErrors {
    static let arityMarker = "\u{1}call\u{1}"

    static func marker(index: Int, expected: String) -> String { "\u{1}arg \(index) \(expected)\u{1}" }

    /// The message without markers (for callers other than the renderer).
    static func strippingMarkers(_ message: String) -> String {
        var out = ""
        var inMarker = false
        for c in message {
            if c == "\u{1}" { inMarker.toggle() } else if !inMarker { out.append(c) }
        }
        return out
    }

    /// `message` with every marked function error rewritten as Go reports it; `source` gives a
    /// template's text by name. Unmarked messages come back unchanged.
    static func rewrite(_ message: String, source: (String) -> String?) -> String {
        guard let markerStart = message.range(of: "\u{1}") else { return message }
        guard let markerEnd = message[markerStart.upperBound...].range(of: "\u{1}") else { return message }
        let marker = message[markerStart.upperBound..<markerEnd.lowerBound]
        let goMessage = String(message[markerEnd.upperBound...])
        // The failing call: the last "template: NAME:LINE:COL: executing ..." before the marker.
        let head = message[..<markerStart.lowerBound]
        guard let start = head.range(of: "template: ", options: .backwards),
            let call = CallSite(parsing: head[start.lowerBound...]) else {
            return String(head) + goMessage
        }
        let prefix = String(head[..<start.lowerBound])
        if marker == "call" {
            return prefix + call.report(line: call.line, column: call.column, context: call.function, goMessage)
        }
        let parts = marker.split(separator: " ", maxSplits: 2)
        // `tpl` text runs as the template "gotpl"; helm's error quotes that text just before.
        let text = call.template == "gotpl" ? tplText(before: head[..<start.lowerBound]) : source(call.template)
        guard parts.count == 3, parts[0] == "arg", let index = Int(parts[1]), let text,
            let operands = OperandScanner(text: text, line: call.line, column: call.column, function: call.function) else {
            return prefix + call.fallback + goMessage
        }
        let expected = String(parts[2])
        guard index < operands.arguments.count else {
            // The piped value is checked after the explicit arguments were evaluated, so Go points
            // at the last node it evaluated: the last argument's, or the function's identifier.
            guard let last = operands.arguments.last else {
                return prefix + call.report(line: call.line, column: call.column, context: call.function, goMessage)
            }
            let node = operands.lastEvaluated(last)
            let (line, column) = operands.position(of: node.offset)
            return prefix + call.report(line: line, column: column, context: node.text, goMessage)
        }
        let argument = operands.arguments[index]
        let node = operands.lastEvaluated(argument)
        let (line, column) = operands.position(of: node.offset)
        // Only a constant argument itself is checked by evalArg; a pipeline's value is a runtime value.
        let text2 = literalMessage(argument, expected: expected) ?? goMessage
        return prefix + call.report(line: line, column: column, context: node.text, text2)
    }

    /// The text of the innermost `tpl` call from helm's `error during tpl function execution for
    /// "TEXT": ` (Go's %q quoting), which ends `head`.
    static func tplText(before head: Substring) -> String? {
        let opening = "error during tpl function execution for \""
        guard head.hasSuffix("\": "), let range = head.range(of: opening, options: .backwards) else { return nil }
        return unquote(head[range.upperBound..<head.index(head.endIndex, offsetBy: -3)])
    }

    /// strconv.Unquote of the body of a `%q` string (the escapes Go's quoting writes).
    static func unquote(_ body: Substring) -> String? {
        var out: [UInt8] = []
        let bytes = Array(body.utf8)
        var i = 0
        func hex(_ count: Int) -> UInt32? {
            guard i + count <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + count], as: UTF8.self), radix: 16) else { return nil }
            i += count
            return v
        }
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            guard c == UInt8(ascii: "\\") else { out.append(c); continue }
            guard i < bytes.count else { return nil }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "a"): out.append(7)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "v"): out.append(11)
            case UInt8(ascii: "x"): guard let v = hex(2) else { return nil }; out.append(UInt8(v))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                guard let v = hex(e == UInt8(ascii: "u") ? 4 : 8), let scalar = Unicode.Scalar(v) else { return nil }
                out += Array(String(Character(scalar)).utf8)
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// evalArg's messages for a constant of the wrong kind.
    private static func literalMessage(_ node: OperandScanner.Operand, expected: String) -> String? {
        switch node.kind {
        case .other: return nil
        case .nilValue:
            return ["map[string]interface {}", "[]interface {}"].contains(expected) ? nil : "cannot assign nil to \(expected)"
        case .string, .number, .bool:
            switch expected {
            case "string": return "expected string; found \(node.text)"
            case "int", "int64": return "expected integer; found \(node.text)"
            case "uint32": return "expected unsigned integer; found \(node.text)"
            case "bool": return "expected bool; found \(node.text)"
            case "float64": return "expected float; found \(node.text)"
            default: return "can't handle \(node.text) for arg of type \(expected)"
            }
        }
    }

    /// `template: NAME:LINE:COL: executing "NAME" at <CONTEXT>: error calling FUNCTION: `.
    struct CallSite {
        var template: String
        var line: Int
        var column: Int
        var executing: String
        var function: String
        var fallback: String

        init?(parsing s: Substring) {
            var rest = s.dropFirst("template: ".count)
            guard let executingRange = rest.range(of: ": executing \"") else { return nil }
            let location = rest[..<executingRange.lowerBound].split(separator: ":")
            guard location.count >= 3, let l = Int(location[location.count - 2]), let c = Int(location[location.count - 1]) else { return nil }
            template = location.dropLast(2).joined(separator: ":")
            line = l
            column = c
            rest = rest[executingRange.upperBound...]
            guard let quote = rest.firstIndex(of: "\"") else { return nil }
            executing = String(rest[..<quote])
            guard let calling = rest.range(of: ">: error calling ", options: .backwards) else { return nil }
            let afterCalling = rest[calling.upperBound...]
            guard let colon = afterCalling.range(of: ": ") else { return nil }
            function = String(afterCalling[..<colon.lowerBound])
            fallback = String(s)
        }

        func report(line: Int, column: Int, context: String, _ message: String) -> String {
            let shown = context.utf8.count > 20 ? String(decoding: context.utf8.prefix(20), as: UTF8.self) + "..." : context
            return "template: \(template):\(line):\(column): executing \"\(executing)\" at <\(shown)>: \(message)"
        }
    }
}

/// The operands of one function call in template source, found from the call's position.
struct OperandScanner {
    struct Operand {
        enum Kind { case string, number, bool, nilValue, other }
        var kind: Kind
        var text: String
        var offset: Int
        /// For a parenthesized pipeline: its last command's operands (identifier first).
        var inner: [Operand] = []
    }

    let bytes: [UInt8]
    var arguments: [Operand] = []

    /// Scan the call to `function` whose identifier starts at LINE:COLUMN (Go's byte column).
    init?(text: String, line: Int, column: Int, function: String) {
        bytes = Array(text.utf8)
        var offset = 0
        var currentLine = 1
        while currentLine < line, offset < bytes.count {
            if bytes[offset] == UInt8(ascii: "\n") { currentLine += 1 }
            offset += 1
        }
        offset += column
        let name = Array(function.utf8)
        guard offset + name.count <= bytes.count, Array(bytes[offset..<offset + name.count]) == name else { return nil }
        var i = offset + name.count
        guard let command = scanCommand(&i) else { return nil }
        arguments = command
    }

    /// Operands until the end of the command (`|`, `)`, `}}`, a trim marker).
    private func scanCommand(_ i: inout Int) -> [Operand]? {
        var operands: [Operand] = []
        while true {
            while i < bytes.count, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[i]) { i += 1 }
            guard i < bytes.count else { return nil }
            let c = bytes[i]
            if c == UInt8(ascii: "|") || c == UInt8(ascii: ")") { return operands }
            if c == UInt8(ascii: "}") || (c == UInt8(ascii: "-") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "}")) { return operands }
            guard let operand = scanOperand(&i) else { return nil }
            operands.append(operand)
        }
    }

    private func scanOperand(_ i: inout Int) -> Operand? {
        let start = i
        let c = bytes[i]
        func text() -> String { String(decoding: bytes[start..<i], as: UTF8.self) }
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            i += 1
            while i < bytes.count, bytes[i] != c {
                if bytes[i] == UInt8(ascii: "\\") { i += 1 }
                i += 1
            }
            guard i < bytes.count else { return nil }
            i += 1
            return Operand(kind: .string, text: text(), offset: start)
        case UInt8(ascii: "`"):
            i += 1
            while i < bytes.count, bytes[i] != c { i += 1 }
            guard i < bytes.count else { return nil }
            i += 1
            return Operand(kind: .string, text: text(), offset: start)
        case UInt8(ascii: "("):
            i += 1
            var last: [Operand] = []
            while true {
                guard let command = scanCommand(&i) else { return nil }
                last = command
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ")") { i += 1; break }
                i += 1  // `|`
            }
            var operand = Operand(kind: .other, text: text(), offset: start)
            operand.inner = last
            return operand
        default:
            while i < bytes.count, !isDelimiter(bytes[i]) { i += 1 }
            guard i > start else { return nil }
            let word = text()
            let kind: Operand.Kind
            if word == "true" || word == "false" { kind = .bool }
            else if word == "nil" { kind = .nilValue }
            else if let first = word.first, first.isNumber || ((first == "-" || first == "+" || first == ".") && word.count > 1 && word.dropFirst().first!.isNumber) {
                kind = .number
            } else { kind = .other }
            // Go positions a field or variable chain (`.Values.num`, `$x.a`) at its second segment.
            var position = start
            if word.count > 1, word.first == "." || word.first == "$",
                let dot = word.dropFirst().firstIndex(of: ".") {
                position = start + word.utf8.distance(from: word.startIndex, to: dot)
            }
            return Operand(kind: kind, text: word, offset: position)
        }
    }

    private func isDelimiter(_ c: UInt8) -> Bool {
        [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "|"), UInt8(ascii: ")"),
         UInt8(ascii: "("), UInt8(ascii: "}")].contains(c)
    }

    /// The node Go last evaluated for an argument: inside a parenthesized pipeline, its last
    /// command's last operand (or the command's function when it has no arguments).
    func lastEvaluated(_ operand: Operand) -> Operand {
        guard let last = operand.inner.last else { return operand }
        return lastEvaluated(last)
    }

    /// Go's line and byte column of a source offset.
    func position(of offset: Int) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        return (line, offset - lineStart)
    }
}

@testable import Charts
import GoTemplate

/// A tiny evaluator for single Go template actions (`fn "a" 1 | fn2 (fn3 .Values.x)`), so the
/// function table can be checked against helm before the full GoTemplate engine exists.
/// It knows literals, `.Values` paths, parenthesised calls, field access and pipes.
struct ExpressionEvaluator {
    let functions: FunctionRegistry
    let values: TemplateValue

    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    enum Token: Equatable {
        /// `field` starts a path (`.Values`); `chained` continues one without a space (`.x` in `.Values.x`, `(f).X`).
        case string(String), number(String), identifier(String), field(String), chained(String), open, close, pipe
    }

    static func tokenize(_ text: String) throws -> [Token] {
        let c = Array(text.unicodeScalars)
        var i = 0
        var out: [Token] = []
        while i < c.count {
            let ch = c[i]
            switch ch {
            case " ", "\t", "\n": i += 1
            case "(": out.append(.open); i += 1
            case ")": out.append(.close); i += 1
            case "|": out.append(.pipe); i += 1
            case "\"":
                i += 1
                var s = String.UnicodeScalarView()
                while i < c.count && c[i] != "\"" {
                    if c[i] == "\\" {
                        i += 1
                        switch c[i] {
                        case "n": s.append("\n")
                        case "t": s.append("\t")
                        case "r": s.append("\r")
                        case "a": s.append("\u{07}")
                        case "b": s.append("\u{08}")
                        case "f": s.append("\u{0C}")
                        case "v": s.append("\u{0B}")
                        case "x", "u", "U":
                            let n = c[i] == "x" ? 2 : c[i] == "u" ? 4 : 8
                            let hex = String(String.UnicodeScalarView(c[(i + 1)...(i + n)]))
                            s.append(Unicode.Scalar(UInt32(hex, radix: 16)!)!)
                            i += n
                        default: s.append(c[i])
                        }
                        i += 1
                    } else {
                        s.append(c[i]); i += 1
                    }
                }
                i += 1
                out.append(.string(String(s)))
            case "`":
                i += 1
                var s = String.UnicodeScalarView()
                while i < c.count && c[i] != "`" { s.append(c[i]); i += 1 }
                i += 1
                out.append(.string(String(s)))
            case ".":
                var s = ""
                i += 1
                while i < c.count && (c[i].properties.isAlphabetic || ("0"..."9").contains(c[i]) || c[i] == "_") {
                    s.unicodeScalars.append(c[i]); i += 1
                }
                let adjacent = i - s.unicodeScalars.count - 2 >= 0 && !" \t\n(|".unicodeScalars.contains(c[i - s.unicodeScalars.count - 2])
                out.append(adjacent ? .chained(s) : .field(s))
            default:
                var s = ""
                while i < c.count && !" \t\n()|".unicodeScalars.contains(c[i]) {
                    if c[i] == "." && !(s.first?.isNumber ?? false) && s.first != "-" && s.first != "+" { break }
                    s.unicodeScalars.append(c[i]); i += 1
                }
                guard !s.isEmpty else { throw Failure(message: "bad character \(ch)") }
                if let f = s.first, f.isNumber || f == "-" || f == "+" || f == "." { out.append(.number(s)) } else { out.append(.identifier(s)) }
            }
        }
        return out
    }

    func evaluate(_ text: String) throws -> TemplateValue {
        var tokens = try ExpressionEvaluator.tokenize(text)[...]
        let v = try pipeline(&tokens)
        guard tokens.isEmpty else { throw Failure(message: "trailing tokens in \(text)") }
        return v
    }

    /// What `{{ text }}` prints.
    func render(_ text: String) throws -> String {
        let v = try evaluate(text)
        if v.isNil { return "<no value>" }
        return GoText.value(v)
    }

    private func pipeline(_ t: inout ArraySlice<Token>) throws -> TemplateValue {
        var value: TemplateValue? = nil
        repeat {
            if value != nil { t.removeFirst() }  // the pipe
            value = try command(&t, piped: value)
        } while t.first == .pipe
        return value!
    }

    private func command(_ t: inout ArraySlice<Token>, piped: TemplateValue?) throws -> TemplateValue {
        guard let first = t.first else { throw Failure(message: "empty command") }
        if case .identifier(let name) = first, !["true", "false", "nil"].contains(name) {
            t.removeFirst()
            var args: [TemplateValue] = []
            while let next = t.first, next != .pipe, next != .close { args.append(try operand(&t)) }
            if let piped { args.append(piped) }
            guard let fn = functions[name] else { throw Failure(message: "function \"\(name)\" not defined") }
            do { return try fn(args, NoContext()) } catch let e as TemplateFunctionError {
                throw Failure(message: "error calling \(name): \(e.message)")
            }
        }
        return try operand(&t)
    }

    private func operand(_ t: inout ArraySlice<Token>) throws -> TemplateValue {
        var v: TemplateValue
        switch t.removeFirst() {
        case .string(let s): v = .string(s)
        case .number(let n): v = try ExpressionEvaluator.number(n)
        case .identifier("true"): v = .bool(true)
        case .identifier("false"): v = .bool(false)
        case .identifier("nil"): v = .null
        case .identifier(let name):
            guard let fn = functions[name] else { throw Failure(message: "function \"\(name)\" not defined") }
            v = try fn([], NoContext())
        case .field(let name):
            // `.Values.a.b`: the first field names the values root.
            v = name == "Values" ? values : .missing
            while case .chained(let f)? = t.first { t.removeFirst(); v = ExpressionEvaluator.field(v, f) }
            return v
        case .open:
            v = try pipeline(&t)
            guard t.first == .close else { throw Failure(message: "missing )") }
            t.removeFirst()
        default: throw Failure(message: "unexpected token")
        }
        while case .chained(let f)? = t.first { t.removeFirst(); v = ExpressionEvaluator.field(v, f) }
        return v
    }

    static func field(_ v: TemplateValue, _ name: String) -> TemplateValue {
        switch v {
        case .map(let m): return m[name] ?? .missing
        case .object(let o): return o.field(name) ?? (try? o.call(method: name, arguments: [])).flatMap { $0 } ?? .missing
        default: return .missing
        }
    }

    /// Go template number constants: integers stay int, anything with . e E is float64.
    static func number(_ n: String) throws -> TemplateValue {
        let lower = n.lowercased()
        if !lower.hasPrefix("0x") && (n.contains(".") || lower.contains("e")) {
            guard let d = Double(n) else { throw Failure(message: "bad number \(n)") }
            return .float(d)
        }
        guard let i = Cast.parseInt(n) else { throw Failure(message: "bad number \(n)") }
        return .int(Int(i))
    }
}

struct NoContext: TemplateCallContext {
    func executeTemplate(named name: String, data: TemplateValue) throws -> String {
        throw TemplateFunctionError("no template engine in the expression evaluator")
    }
    func executeText(_ text: String, named name: String, data: TemplateValue) throws -> String {
        throw TemplateFunctionError("no template engine in the expression evaluator")
    }
    var templateName: String { "test" }
}

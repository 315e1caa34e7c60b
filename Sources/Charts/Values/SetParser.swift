import OrderedCollections
import Structured

/// Helm's strvals: the `--set`, `--set-string`, `--set-file`, `--set-json` and `--set-literal`
/// syntaxes (`a.b=1,c={x,y},l[0].k=v`, `\` escapes), parsed into an existing values table.
public struct SetParser {
    public enum Mode: Sendable {
        /// `--set`: true/false/null typed, plain decimals become int64, the rest strings.
        case typed
        /// `--set-string`.
        case string
        /// `--set-json`: each value is a JSON document.
        case json
        /// `--set-file`: each value is a path, replaced by the file's content.
        case file(@Sendable (String) throws -> String)
        /// `--set-literal`: one key, the value is everything after the first `=`.
        case literal
    }

    static let maxIndex = 65536
    static let maxNestedNameLevel = 30

    private var scalars: [Unicode.Scalar]
    private var position = 0
    private let mode: Mode

    private struct EndOfInput: Error {}

    private init(_ text: String, mode: Mode) {
        self.scalars = Array(text.unicodeScalars)
        self.mode = mode
    }

    /// Parse `text` into `values` (a table), as strvals.ParseInto and friends.
    public static func parse(_ text: String, into values: inout Value, mode: Mode) throws(ChartsError) {
        var parser = SetParser(text, mode: mode)
        var data = values.objectValue ?? [:]
        defer { values = .object(data) }
        while true {
            do {
                try parser.key(&data, level: 0)
            } catch is EndOfInput {
                return
            } catch let error as ChartsError {
                throw error
            } catch {
                throw ChartsError("\(error)")
            }
        }
    }

    // MARK: scanning

    private mutating func read() -> Unicode.Scalar? {
        guard position < scalars.count else { return nil }
        defer { position += 1 }
        return scalars[position]
    }

    private var isLiteral: Bool { if case .literal = mode { return true } else { return false } }
    private var isJSON: Bool { if case .json = mode { return true } else { return false } }

    /// runesUntil: read up to a stop rune; `\` escapes the next rune (not in literal mode).
    /// Returns the text and the stop rune, or nil at end of input.
    private mutating func until(_ stop: Set<Unicode.Scalar>) -> (String, Unicode.Scalar?) {
        var out = String.UnicodeScalarView()
        while let r = read() {
            if stop.contains(r) { return (String(out), r) }
            if r == "\\" && !isLiteral {
                guard let next = read() else { return (String(out), nil) }
                out.append(next)
                continue
            }
            out.append(r)
        }
        return (String(out), nil)
    }

    // MARK: grammar

    private mutating func key(_ data: inout OrderedDictionary<String, Value>, level: Int) throws {
        let stops: Set<Unicode.Scalar> = isLiteral ? ["=", "[", "."] : ["=", "[", ",", "."]
        let (k, last) = until(stops)
        guard let last else {
            if k.isEmpty { throw EndOfInput() }
            throw ChartsError("key \(goQuote(k)) has no value")
        }
        switch last {
        case "[":
            let index = try keyIndex()
            var list: [Value] = []
            if let existing = data[k] {
                guard case .array(let l) = existing else { throw conversion(existing, "[]interface {}") }
                list = l
            }
            var failure: Error?
            do { list = try listItem(list, index, level: level) } catch { failure = error }
            if !k.isEmpty { data[k] = .array(list) }
            if let failure { throw failure }
        case "=":
            try assign(&data, key: k)
        case ",":
            if !k.isEmpty { data[k] = .string("") }
            throw ChartsError("key \(goQuote(k)) has no value (cannot end with ,)")
        default:  // "."
            let next = level + 1
            if next > SetParser.maxNestedNameLevel {
                throw ChartsError("value name nested level is greater than maximum supported nested level of \(SetParser.maxNestedNameLevel)")
            }
            var inner: OrderedDictionary<String, Value> = [:]
            if let existing = data[k] {
                guard case .object(let o) = existing else { throw conversion(existing, "map[string]interface {}") }
                inner = o
            }
            var failure: Error?
            do { try key(&inner, level: next) } catch { failure = error }
            if failure == nil && inner.isEmpty { throw ChartsError("key map \(goQuote(k)) has no value") }
            if !inner.isEmpty && !k.isEmpty { data[k] = .object(inner) }
            if let failure { throw failure }
        }
    }

    /// After `key=`: a JSON value, a `{a,b}` list, or a scalar.
    private mutating func assign(_ data: inout OrderedDictionary<String, Value>, key k: String) throws {
        func set(_ v: Value) { if !k.isEmpty { data[k] = v } }
        if isLiteral {
            let (rest, _) = until([])
            set(.string(rest))
            return
        }
        if isJSON {
            if emptyValue() { set(.null); return }
            set(try jsonValue())
            _ = emptyValue()
            return
        }
        switch try valueList() {
        case .list(let list):
            set(.array(list))
        case .endOfInput:
            set(.string(""))
            throw EndOfInput()
        case .notAList:
            let (raw, _) = until([","])
            set(try convert(raw))
        }
    }

    private mutating func keyIndex() throws -> Int {
        let (v, last) = until(["]"])
        guard last != nil else { throw ChartsError("error parsing index: EOF") }
        guard !v.isEmpty, let i = Int(v) else {
            throw ChartsError("error parsing index: strconv.Atoi: parsing \(goQuote(v)): invalid syntax")
        }
        return i
    }

    private mutating func listItem(_ list: [Value], _ i: Int, level: Int) throws -> [Value] {
        if i < 0 { throw ChartsError("negative \(i) index not allowed") }
        var list = list
        let (k, last) = until(["[", ".", "="])
        if !k.isEmpty { throw ChartsError("unexpected data at end of array index: \(goQuote(k))") }
        guard let last else { throw EndOfInput() }
        switch last {
        case "=":
            if isLiteral {
                let (rest, _) = until([])
                return try setIndex(list, i, .string(rest))
            }
            if isJSON {
                if emptyValue() { return try setIndex(list, i, .null) }
                list = try setIndex(list, i, try jsonValue())
                _ = emptyValue()
                return list
            }
            switch try valueList() {
            case .list(let l): return try setIndex(list, i, .array(l))
            case .endOfInput: return try setIndex(list, i, .string(""))
            case .notAList:
                let (raw, _) = until([","])
                return try setIndex(list, i, try convert(raw))
            }
        case "[":
            let next = try keyIndex()
            var current: [Value] = []
            if i < list.count, !list[i].isNull {
                guard case .array(let l) = list[i] else { throw conversion(list[i], "[]interface {}") }
                current = l
            }
            let inner = try listItem(current, next, level: level)
            return try setIndex(list, i, .array(inner))
        default:  // "."
            var inner: OrderedDictionary<String, Value> = [:]
            if i < list.count {
                if case .object(let o) = list[i] { inner = o } else { list[i] = .emptyObject }
            }
            try key(&inner, level: level)
            return try setIndex(list, i, .object(inner))
        }
    }

    private func setIndex(_ list: [Value], _ index: Int, _ value: Value) throws -> [Value] {
        if index < 0 { throw ChartsError("negative \(index) index not allowed") }
        if index > SetParser.maxIndex {
            throw ChartsError("index of \(index) is greater than maximum supported index of \(SetParser.maxIndex)")
        }
        var list = list
        while list.count <= index { list.append(.null) }
        list[index] = value
        return list
    }

    private enum ListResult { case list([Value]), notAList, endOfInput }

    /// `{a,b,c}` list syntax.
    private mutating func valueList() throws -> ListResult {
        guard let first = read() else { return .endOfInput }
        if first != "{" {
            position -= 1
            return .notAList
        }
        var list: [Value] = []
        while true {
            let (raw, last) = until([",", "}"])
            guard let last else { throw ChartsError("list must terminate with '}'") }
            if last == "}" {
                if let r = read(), r != "," { position -= 1 }
                list.append(try convert(raw))
                return .list(list)
            }
            list.append(try convert(raw))
        }
    }

    /// emptyVal: at end of input or a `,` (after optional spaces) means "no value".
    private mutating func emptyValue() -> Bool {
        while let r = read() {
            if r == "," { return true }
            if !r.properties.isWhitespace {
                position -= 1
                return false
            }
        }
        return true
    }

    /// One JSON document at the current position (Go's json.Decoder on the remaining text).
    private mutating func jsonValue() throws -> Value {
        let start = position
        var i = position
        while i < scalars.count, scalars[i].properties.isWhitespace { i += 1 }
        guard i < scalars.count else { throw ChartsError("EOF") }
        var depth = 0
        var inString = false
        var end = i
        scan: while end < scalars.count {
            let c = scalars[end]
            if inString {
                if c == "\\" { end += 2; continue }
                if c == "\"" {
                    inString = false
                    if depth == 0 { end += 1; break scan }
                }
                end += 1
                continue
            }
            switch c {
            case "\"": inString = true
            case "{", "[": depth += 1
            case "}", "]":
                depth -= 1
                if depth <= 0 { end += 1; break scan }
            default:
                if depth == 0 && (c == "," || c.properties.isWhitespace) { break scan }
            }
            end += 1
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<min(end, scalars.count)])
        position = min(end, scalars.count)
        do { return try JSON.decode(String(text), allDoubles: true) } catch {
            throw ChartsError("\(error)")
        }
    }

    private func convert(_ raw: String) throws -> Value {
        switch mode {
        case .string, .literal: return .string(raw)
        case .typed: return SetParser.typed(raw)
        case .file(let read): return .string(try read(raw))
        case .json: return .string(raw)
        }
    }

    /// strvals typedVal.
    static func typed(_ s: String) -> Value {
        switch s.lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        case "0": return .int(0)
        default: break
        }
        if let first = s.first, first != "0", let i = Int64(s) { return .int(i) }
        return .string(s)
    }

    /// Go's panic text for a failed type assertion, as strvals reports it.
    private func conversion(_ value: Value, _ wanted: String) -> ChartsError {
        let got: String
        switch value {
        case .null: got = "nil"
        case .bool: got = "bool"
        case .int: got = "int64"
        case .double: got = "float64"
        case .string: got = "string"
        case .array: got = "[]interface {}"
        case .object: got = "map[string]interface {}"
        }
        return ChartsError("unable to parse key: interface conversion: interface {} is \(got), not \(wanted)")
    }
}

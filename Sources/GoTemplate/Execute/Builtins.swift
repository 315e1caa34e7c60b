/// Go's builtin template functions, with Go's argument rules and error messages.
enum Builtin: String, CaseIterable {
    case and, call, html, index, slice, js, len, not, or, print, printf, println, urlquery
    case eq, ge, gt, le, lt, ne

    /// Parameters before the variadic tail, and whether there is one.
    var arity: (fixed: Int, variadic: Bool) {
        switch self {
        case .and, .or, .call, .index, .slice, .eq, .printf: return (1, true)
        case .html, .js, .urlquery, .print, .println: return (0, true)
        case .len, .not: return (1, false)
        case .ne, .lt, .le, .gt, .ge: return (2, false)
        }
    }
}

struct BuiltinFailure: Error { let message: String }

extension Executor {
    func callBuiltin(_ builtin: Builtin, _ dot: Dot, _ id: Ref<IdentifierOperand>, command: Command?,
                     args: Slice<OperandList>, final: TemplateValue?, direct: Bool = false) throws(TemplateError) -> TemplateValue {
        let name = id.name
        let node = Operand.identifier(id)
        let numIn = args.count + (final == nil ? 0 : 1)
        let (fixed, variadic) = builtin.arity
        if variadic {
            if numIn < fixed { throw fail(node, "wrong number of args for \(name): want at least \(fixed) got \(args.count)") }
        } else if numIn != fixed {
            throw fail(node, "wrong number of args for \(name): want \(fixed) got \(numIn)")
        }

        func failCall(_ message: String) -> TemplateError {
            let text = "error calling \(name): \(message)"
            if let command { return fail(command, text) }
            return fail(node, text)
        }

        switch builtin {
        case .and, .or:
            let wantTruth = builtin == .or
            var value: TemplateValue = .missing
            for arg in args {
                value = try evalArg(dot, arg)
                if value.isTruthy == wantTruth { return value }
            }
            if let final { value = final }
            return value
        case .printf:
            var argv = takeArguments()
            defer { giveBack(&argv) }
            if let first = args.first, case .string(let literal) = first {
                // The usual case: a literal format, whose bytes the parser kept.
                for arg in args.dropFirst() { argv.append(try evalArg(dot, arg)) }
                if let final { argv.append(final) }
                return printf(literal.text, argv, direct: direct)
            }
            let format: String
            var rest = args.dropFirst(args.count)
            if let first = args.first {
                format = try evalStringArg(dot, first)
                rest = args.dropFirst()
            } else {
                format = try validateString(final!, node: node)
            }
            for arg in rest { argv.append(try evalArg(dot, arg)) }
            if let final, !args.isEmpty { argv.append(final) }
            return printf(format, argv, direct: direct)
        default:
            break
        }

        var argv = takeArguments()
        defer { giveBack(&argv) }
        for arg in args { argv.append(try evalArg(dot, arg)) }
        if let final { argv.append(final) }

        do throws(BuiltinFailure) {
            switch builtin {
            case .print: return .string(GoFormat.sprint(argv))
            case .println: return .string(GoFormat.sprintln(argv))
            case .len: return try Builtins.length(argv[0])
            case .not: return .bool(!argv[0].isTruthy)
            case .index: return try Builtins.index(argv[0], argv[1...])
            case .slice: return try Builtins.slice(argv[0], argv[1...])
            case .eq: return .bool(try Builtins.eq(argv[0], argv[1...]))
            case .ne: return .bool(!(try Builtins.eq(argv[0], argv[1...])))
            case .lt: return .bool(try Builtins.lt(argv[0], argv[1]))
            case .le: return .bool(try Builtins.le(argv[0], argv[1]))
            case .gt: return .bool(!(try Builtins.le(argv[0], argv[1])))
            case .ge: return .bool(!(try Builtins.lt(argv[0], argv[1])))
            case .html: return .string(Builtins.htmlEscape(Builtins.evalArgs(argv)))
            case .js: return .string(Builtins.jsEscape(Builtins.evalArgs(argv)))
            case .urlquery: return .string(Builtins.queryEscape(Builtins.evalArgs(argv)))
            case .call:
                if argv[0].isNil { throw BuiltinFailure(message: "call of nil") }
                let fnName = args.first?.description ?? "<nil>"
                guard case .object(let o) = argv[0], let function = o as? any TemplateCallable else {
                    throw BuiltinFailure(message: "non-function \(fnName) of type \(GoFormat.typeName(argv[0]))")
                }
                do {
                    return try function.invoke(name: fnName, arguments: argv.dropFirst().map(\.functionArgument))
                } catch {
                    throw BuiltinFailure(message: Executor.describe(error))
                }
            case .and, .or, .printf: return .missing
            }
        } catch {
            throw failCall(error.message)
        }
    }

    /// Go's Sprintf into the output (`direct`) or into a String, through reused buffers.
    private func printf(_ format: String, _ argv: [TemplateValue], direct: Bool) -> TemplateValue {
        var p = Printer()
        var format = format
        if direct {
            swap(&p.buf, &out)
            format.withUTF8 { p.doPrintf($0, argv) }
            swap(&p.buf, &out)
            return .missing
        }
        swap(&p.buf, &scratch)
        format.withUTF8 { p.doPrintf($0, argv) }
        swap(&p.buf, &scratch)
        let result = String(decoding: scratch, as: UTF8.self)
        scratch.removeAll(keepingCapacity: true)
        return .string(result)
    }

    /// An argument for a `string` parameter (printf's format).
    private func evalStringArg(_ dot: Dot, _ arg: Operand) throws(TemplateError) -> String {
        switch arg {
        case .string(let s): return s.text
        case .number(let n): throw fail(arg, "expected string; found \(n.text)")
        case .bool(let b, _): throw fail(arg, "expected string; found \(b)")
        case .nilValue: throw fail(arg, "cannot assign nil to string")
        case .dot: return try validateString(dot.value, node: arg)
        default: return try validateString(try evalArg(dot, arg), node: arg)
        }
    }

    private func validateString(_ value: TemplateValue, node: Operand) throws(TemplateError) -> String {
        switch value {
        case .string(let s): return s
        case .missing: throw fail(node, "invalid value; expected string")
        case .null: throw fail(node, "wrong type for value; expected string; got interface {}")
        default: throw fail(node, "wrong type for value; expected string; got \(GoFormat.typeName(value))")
        }
    }
}

enum Builtins {
    static func length(_ v: TemplateValue) throws(BuiltinFailure) -> TemplateValue {
        switch v {
        case .missing: throw BuiltinFailure(message: "reflect: call of reflect.Value.Type on zero Value")
        case .null: throw BuiltinFailure(message: "len of nil pointer")
        case .string(let s): return .int(s.utf8.count)
        case .bytes(let b): return .int(b.count)
        case .list(let l): return .int(l.count)
        case .map(let m): return .int(m.count)
        case .object(let o) where o.representation.isListOrMap: return try length(o.representation)
        default: throw BuiltinFailure(message: "len of type \(GoFormat.typeName(v))")
        }
    }

    private static func indexArg(_ index: TemplateValue, cap: Int) throws(BuiltinFailure) -> Int {
        let x: Int64
        switch index {
        case .int(let i): x = Int64(i)
        case .int64(let i): x = i
        case .missing, .null: throw BuiltinFailure(message: "cannot index slice/array with nil")
        default: throw BuiltinFailure(message: "cannot index slice/array with type \(GoFormat.typeName(index))")
        }
        if x < 0 || x > Int64(cap) { throw BuiltinFailure(message: "index out of range: \(x)") }
        return Int(x)
    }

    static func index(_ item: TemplateValue, _ indexes: ArraySlice<TemplateValue>) throws(BuiltinFailure) -> TemplateValue {
        if item.isNil { throw BuiltinFailure(message: "index of untyped nil") }
        var item = item
        for index in indexes {
            if case .object(let o) = item, o.representation.isListOrMap { item = o.representation }
            switch item {
            case .null, .missing: throw BuiltinFailure(message: "index of nil pointer")
            case .list(let l):
                let x = try indexArg(index, cap: l.count)
                if x == l.count { throw BuiltinFailure(message: "reflect: slice index out of range") }
                item = l[x]
            case .bytes(let b):
                let x = try indexArg(index, cap: b.count)
                if x == b.count { throw BuiltinFailure(message: "reflect: slice index out of range") }
                item = .int(Int(b[x]))
            case .string(let s):
                let u = s.utf8
                let x = try indexArg(index, cap: u.count)
                if x == u.count { throw BuiltinFailure(message: "reflect: string index out of range") }
                item = .int(Int(u[u.index(u.startIndex, offsetBy: x)]))
            case .map(let m):
                switch index {
                case .string(let key): item = m[key] ?? .null
                case .missing, .null: throw BuiltinFailure(message: "value is nil; should be of type string")
                default: throw BuiltinFailure(message: "value has type \(GoFormat.typeName(index)); should be string")
                }
            default:
                throw BuiltinFailure(message: "can't index item of type \(GoFormat.typeName(item))")
            }
        }
        return item
    }

    static func slice(_ item: TemplateValue, _ indexes: ArraySlice<TemplateValue>) throws(BuiltinFailure) -> TemplateValue {
        if item.isNil { throw BuiltinFailure(message: "slice of untyped nil") }
        if indexes.count > 3 { throw BuiltinFailure(message: "too many slice indexes: \(indexes.count)") }
        let count: Int
        switch item {
        case .string(let s):
            if indexes.count == 3 { throw BuiltinFailure(message: "cannot 3-index slice a string") }
            count = s.utf8.count
        case .list(let l): count = l.count
        case .bytes(let b): count = b.count
        default: throw BuiltinFailure(message: "can't slice item of type \(GoFormat.typeName(item))")
        }
        var idx = [0, count, count]
        for (i, index) in indexes.enumerated() { idx[i] = try indexArg(index, cap: count) }
        if idx[0] > idx[1] { throw BuiltinFailure(message: "invalid slice index: \(idx[0]) > \(idx[1])") }
        if indexes.count == 3 && idx[1] > idx[2] { throw BuiltinFailure(message: "invalid slice index: \(idx[1]) > \(idx[2])") }
        switch item {
        case .string(let s): return .string(String(decoding: Array(s.utf8)[idx[0]..<idx[1]], as: UTF8.self))
        case .list(let l): return .list(Array(l[idx[0]..<idx[1]]))
        case .bytes(let b): return .bytes(Array(b[idx[0]..<idx[1]]))
        default: return .missing
        }
    }

    // MARK: comparison

    private enum Kind { case invalid, bool, int, float, string }

    private static func basicKind(_ v: TemplateValue) -> Kind {
        switch v {
        case .bool: return .bool
        case .int, .int64: return .int
        case .float: return .float
        case .string: return .string
        default: return .invalid
        }
    }

    private static func intValue(_ v: TemplateValue) -> Int64 {
        switch v {
        case .int(let i): return Int64(i)
        case .int64(let i): return i
        default: return 0
        }
    }

    static func eq(_ a: TemplateValue, _ others: ArraySlice<TemplateValue>) throws(BuiltinFailure) -> Bool {
        if others.isEmpty { throw BuiltinFailure(message: "missing argument for comparison") }
        let k1 = basicKind(a)
        for b in others {
            let k2 = basicKind(b)
            var truth = false
            if k1 != k2 {
                if !a.isNil && !b.isNil {
                    throw BuiltinFailure(message: "incompatible types for comparison: \(GoFormat.typeName(a)) and \(GoFormat.typeName(b))")
                }
            } else {
                switch (a, b) {
                case (.bool(let x), .bool(let y)): truth = x == y
                case (.float(let x), .float(let y)): truth = x == y
                case (.string(let x), .string(let y)): truth = x == y
                default:
                    if k1 == .int {
                        truth = intValue(a) == intValue(b)
                    } else if a.isNil || b.isNil {
                        truth = a.isNil == b.isNil
                    } else {
                        // Same-kind non-basic values: slices and maps are not comparable in Go.
                        let kindA = GoFormat.typeName(a), kindB = GoFormat.typeName(b)
                        if kindA != kindB {
                            throw BuiltinFailure(message: GoFormat.sprintf("non-comparable types %s: %v, %s: %v", [a, .string(kindA), .string(kindB), b]))
                        }
                        throw BuiltinFailure(message: GoFormat.sprintf("non-comparable type %s: %v", [b, .string(kindB)]))
                    }
                }
            }
            if truth { return true }
        }
        return false
    }

    static func lt(_ a: TemplateValue, _ b: TemplateValue) throws(BuiltinFailure) -> Bool {
        let k1 = basicKind(a)
        if k1 == .invalid { throw BuiltinFailure(message: "invalid type for comparison") }
        let k2 = basicKind(b)
        if k2 == .invalid { throw BuiltinFailure(message: "invalid type for comparison") }
        if k1 != k2 {
            throw BuiltinFailure(message: "incompatible types for comparison: \(GoFormat.typeName(a)) and \(GoFormat.typeName(b))")
        }
        switch (a, b) {
        case (.bool, .bool): throw BuiltinFailure(message: "invalid type for comparison")
        case (.float(let x), .float(let y)): return x < y
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        default: return intValue(a) < intValue(b)
        }
    }

    static func le(_ a: TemplateValue, _ b: TemplateValue) throws(BuiltinFailure) -> Bool {
        if try lt(a, b) { return true }
        return try eq(a, [b])
    }

    // MARK: escaping

    /// The text of html/js/urlquery arguments: one string as is, else Sprint with no value as `<no value>`.
    static func evalArgs(_ args: [TemplateValue]) -> String {
        if args.count == 1, case .string(let s) = args[0] { return s }
        return GoFormat.sprint(args.map { $0.isNil ? .string("<no value>") : $0 })
    }

    static func htmlEscape(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for c in s.utf8 {
            switch c {
            case 0: out += Array("\u{FFFD}".utf8)
            case UInt8(ascii: "\""): out += Array("&#34;".utf8)
            case UInt8(ascii: "'"): out += Array("&#39;".utf8)
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            default: out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let upperHex = Array("0123456789ABCDEF".utf8)

    static func jsEscape(_ s: String) -> String {
        var out: [UInt8] = []
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                let c = UInt8(v)
                switch c {
                case UInt8(ascii: "\\"): out += Array(#"\\"#.utf8)
                case UInt8(ascii: "'"): out += Array(#"\'"#.utf8)
                case UInt8(ascii: "\""): out += Array(#"\""#.utf8)
                case UInt8(ascii: "<"): out += Array(#"\u003C"#.utf8)
                case UInt8(ascii: ">"): out += Array(#"\u003E"#.utf8)
                case UInt8(ascii: "&"): out += Array(#"\u0026"#.utf8)
                case UInt8(ascii: "="): out += Array(#"\u003D"#.utf8)
                default:
                    if c < 0x20 { out += Array(#"\u00"#.utf8) + [upperHex[Int(c >> 4)], upperHex[Int(c & 15)]] }
                    else { out.append(c) }
                }
            } else if GoQuote.isPrint(scalar) {
                out += Array(String(Character(scalar)).utf8)
            } else {
                var hex = String(v, radix: 16, uppercase: true)
                while hex.count < 4 { hex = "0" + hex }
                out += Array("\\u\(hex)".utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// url.QueryEscape.
    static func queryEscape(_ s: String) -> String {
        var out: [UInt8] = []
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(c)
            case UInt8(ascii: " "): out.append(UInt8(ascii: "+"))
            default: out += [UInt8(ascii: "%"), upperHex[Int(c >> 4)], upperHex[Int(c & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}


extension TemplateValue {
    /// Whether a host object's representation is a Go map or slice (indexable, has a length).
    var isListOrMap: Bool {
        switch self {
        case .list, .map: return true
        default: return false
        }
    }
}

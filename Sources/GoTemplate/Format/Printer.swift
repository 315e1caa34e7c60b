/// The state of one fmt call: output buffer and the flags of the verb being printed.
struct Printer {
    var buf: [UInt8] = []
    var plus = false, minus = false, sharp = false, space = false, zero = false
    var plusV = false, sharpV = false
    var width = 0, widthPresent = false
    var precision = 0, precisionPresent = false
    var reordered = false, goodArgNum = true

    private static let lowerHex = Array("0123456789abcdefx".utf8)
    private static let upperHex = Array("0123456789ABCDEFX".utf8)

    mutating func clearFlags() {
        plus = false; minus = false; sharp = false; space = false; zero = false
        plusV = false; sharpV = false
        width = 0; widthPresent = false; precision = 0; precisionPresent = false
    }

    // MARK: Print / Printf drivers

    mutating func doPrint(_ args: [TemplateValue]) {
        var prevString = false
        for (i, a) in args.enumerated() {
            var isString = false
            if case .string = a { isString = true }
            if i > 0 && !isString && !prevString { buf.append(32) }
            printArg(a, verb: "v")
            prevString = isString
        }
    }

    private func parseNumber(_ f: UnsafeBufferPointer<UInt8>, _ start: Int) -> (Int, Bool, Int) {
        var i = start, n = 0, present = false
        while i < f.count, f[i] >= 48, f[i] <= 57 {
            if n > 1_000_000 { return (0, false, f.count) }
            n = n * 10 + Int(f[i] - 48)
            present = true
            i += 1
        }
        return (n, present, i)
    }

    private mutating func argNumber(_ argNum: Int, _ f: UnsafeBufferPointer<UInt8>, _ i: Int, _ count: Int) -> (Int, Int, Bool) {
        guard i < f.count, f[i] == UInt8(ascii: "[") else { return (argNum, i, false) }
        reordered = true
        var j = i + 1
        while j < f.count, f[j] != UInt8(ascii: "]") { j += 1 }
        guard j < f.count else { goodArgNum = false; return (argNum, i + 1, false) }
        let (n, ok, end) = parseNumber(f, i + 1)
        if !ok || end != j { goodArgNum = false; return (argNum, j + 1, true) }
        let index = n - 1
        if index >= 0 && index < count { return (index, j + 1, true) }
        goodArgNum = false
        return (argNum, j + 1, true)
    }

    private func intFromArg(_ args: [TemplateValue], _ argNum: Int) -> (Int, Bool, Int) {
        guard argNum < args.count else { return (0, false, argNum) }
        switch args[argNum] {
        case .int(let v): return abs(v) > 1_000_000 ? (0, false, argNum + 1) : (v, true, argNum + 1)
        case .int64(let v): return abs(v) > 1_000_000 ? (0, false, argNum + 1) : (Int(v), true, argNum + 1)
        default: return (0, false, argNum + 1)
        }
    }

    mutating func doPrintf(_ f: UnsafeBufferPointer<UInt8>, _ args: [TemplateValue]) {
        let end = f.count
        var argNum = 0
        var afterIndex = false
        reordered = false
        var i = 0
        formatLoop: while i < end {
            goodArgNum = true
            let last = i
            while i < end && f[i] != UInt8(ascii: "%") { i += 1 }
            if i > last { buf.append(contentsOf: f[last..<i]) }
            if i >= end { break }
            i += 1
            clearFlags()
            simple: while i < end {
                let c = f[i]
                switch c {
                case UInt8(ascii: "#"): sharp = true
                case UInt8(ascii: "0"): zero = !minus
                case UInt8(ascii: "+"): plus = true
                case UInt8(ascii: "-"): minus = true; zero = false
                case UInt8(ascii: " "): space = true
                default:
                    if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") && argNum < args.count {
                        if c == UInt8(ascii: "v") { sharpV = sharp; sharp = false; plusV = plus; plus = false }
                        printArg(args[argNum], verb: Unicode.Scalar(c))
                        argNum += 1
                        i += 1
                        continue formatLoop
                    }
                    break simple
                }
                i += 1
            }
            (argNum, i, afterIndex) = argNumber(argNum, f, i, args.count)
            if i < end && f[i] == UInt8(ascii: "*") {
                i += 1
                (width, widthPresent, argNum) = intFromArg(args, argNum)
                if !widthPresent { buf.append(contentsOf: "%!(BADWIDTH)".utf8) }
                if width < 0 { width = -width; minus = true; zero = false }
                afterIndex = false
            } else {
                (width, widthPresent, i) = parseNumber(f, i)
                if afterIndex && widthPresent { goodArgNum = false }
            }
            if i + 1 < end && f[i] == UInt8(ascii: ".") {
                i += 1
                if afterIndex { goodArgNum = false }
                (argNum, i, afterIndex) = argNumber(argNum, f, i, args.count)
                if i < end && f[i] == UInt8(ascii: "*") {
                    i += 1
                    (precision, precisionPresent, argNum) = intFromArg(args, argNum)
                    if precision < 0 { precision = 0; precisionPresent = false }
                    if !precisionPresent { buf.append(contentsOf: "%!(BADPREC)".utf8) }
                    afterIndex = false
                } else {
                    (precision, precisionPresent, i) = parseNumber(f, i)
                    if !precisionPresent { precision = 0; precisionPresent = true }
                }
            }
            if !afterIndex { (argNum, i, afterIndex) = argNumber(argNum, f, i, args.count) }
            if i >= end { buf.append(contentsOf: "%!(NOVERB)".utf8); break }
            var verb = Unicode.Scalar(f[i])
            var size = 1
            if f[i] >= 0x80 {
                var it = f[i...].makeIterator()
                var d = UTF8()
                if case .scalarValue(let s) = d.decode(&it) { verb = s; size = UTF8.width(s) } else { verb = "\u{FFFD}" }
            }
            i += size
            if verb == "%" { buf.append(UInt8(ascii: "%")); continue }
            if !goodArgNum { badArgNum(verb, "BADINDEX"); continue }
            if argNum >= args.count { badArgNum(verb, "MISSING"); continue }
            if verb == "v" { sharpV = sharp; sharp = false; plusV = plus; plus = false }
            printArg(args[argNum], verb: verb)
            argNum += 1
        }
        if !reordered && argNum < args.count {
            clearFlags()
            buf.append(contentsOf: "%!(EXTRA ".utf8)
            for (k, a) in args[argNum...].enumerated() {
                if k > 0 { buf.append(contentsOf: ", ".utf8) }
                if a.isNil {
                    buf.append(contentsOf: "<nil>".utf8)
                } else {
                    buf.append(contentsOf: GoFormat.typeName(a).utf8)
                    buf.append(UInt8(ascii: "="))
                    printArg(a, verb: "v")
                }
            }
            buf.append(UInt8(ascii: ")"))
        }
    }

    private mutating func badArgNum(_ verb: Unicode.Scalar, _ what: String) {
        buf.append(contentsOf: "%!".utf8)
        appendScalar(verb)
        buf.append(contentsOf: "(\(what))".utf8)
    }

    private mutating func appendScalar(_ s: Unicode.Scalar) {
        buf.append(contentsOf: String(Character(s)).utf8)
    }

    // MARK: one argument

    private mutating func badVerb(_ verb: Unicode.Scalar, _ arg: TemplateValue) {
        buf.append(contentsOf: "%!".utf8)
        appendScalar(verb)
        buf.append(UInt8(ascii: "("))
        if arg.isNil {
            buf.append(contentsOf: "<nil>".utf8)
        } else {
            buf.append(contentsOf: GoFormat.typeName(arg).utf8)
            buf.append(UInt8(ascii: "="))
            printArg(arg, verb: "v")
        }
        buf.append(UInt8(ascii: ")"))
    }

    mutating func printArg(_ arg: TemplateValue, verb: Unicode.Scalar) {
        if arg.isNil {
            if verb == "T" || verb == "v" { pad(Array("<nil>".utf8)) } else { badVerb(verb, arg) }
            return
        }
        if verb == "T" { fmtS(Array(GoFormat.typeName(arg).utf8)); return }
        printValue(arg, verb: verb, depth: 0)
    }

    /// `typeName`: the Go type `%#v` names for a typed container's list or map.
    private mutating func printValue(_ value: TemplateValue, verb: Unicode.Scalar, depth: Int, typeName: String? = nil) {
        switch value {
        case .missing, .null:
            if sharpV { buf.append(contentsOf: "interface {}(nil)".utf8) } else { buf.append(contentsOf: "<nil>".utf8) }
        case .bool(let b):
            if verb == "t" || verb == "v" { pad(Array((b ? "true" : "false").utf8)) } else { badVerb(verb, value) }
        case .int(let i): fmtInteger(Int64(i), signed: true, verb: verb, value)
        case .int64(let i): fmtInteger(i, signed: true, verb: verb, value)
        case .float(let d): fmtFloat(d, verb: verb, value)
        case .string(let s): fmtString(s, verb: verb, value)
        case .bytes(let b): fmtBytes(b, verb: verb, depth: depth, value)
        case .list(let items):
            if sharpV {
                buf.append(contentsOf: ((typeName ?? "[]interface {}") + "{").utf8)
                for (i, v) in items.enumerated() {
                    if i > 0 { buf.append(contentsOf: ", ".utf8) }
                    printValue(v, verb: verb, depth: depth + 1)
                }
                buf.append(UInt8(ascii: "}"))
            } else {
                buf.append(UInt8(ascii: "["))
                for (i, v) in items.enumerated() {
                    if i > 0 { buf.append(32) }
                    printValue(v, verb: verb, depth: depth + 1)
                }
                buf.append(UInt8(ascii: "]"))
            }
        case .map(let m):
            buf.append(contentsOf: (sharpV ? (typeName ?? m.goTypeName ?? "map[string]interface {}") + "{" : "map[").utf8)
            for (i, key) in m.keys.sorted().enumerated() {
                if i > 0 { if sharpV { buf.append(contentsOf: ", ".utf8) } else { buf.append(32) } }
                fmtString(key, verb: verb, .string(key))
                buf.append(UInt8(ascii: ":"))
                printValue(m[key]!, verb: verb, depth: depth + 1)
            }
            buf.append(sharpV ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        case .object(let o):
            if let text = o.printedByValue, verb == "v" || verb == "s", !plusV, !sharpV {
                buf.append(contentsOf: text.utf8)
            } else if sharpV, let c = o as? TypedContainer {
                printValue(c.value, verb: verb, depth: depth + 1, typeName: c.goTypeName)
            } else {
                printValue(o.representation, verb: verb, depth: depth + 1)
            }
        }
    }

    // MARK: padding

    private mutating func writePadding(_ n: Int) {
        guard n > 0 else { return }
        buf.append(contentsOf: repeatElement(zero ? UInt8(ascii: "0") : 32, count: n))
    }

    mutating func pad(_ b: [UInt8]) {
        if !widthPresent || width == 0 { buf.append(contentsOf: b); return }
        let count = b.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        let n = width - count
        if !minus { writePadding(n); buf.append(contentsOf: b) } else { buf.append(contentsOf: b); writePadding(n) }
    }

    // MARK: integers

    private mutating func fmtInteger(_ v: Int64, signed: Bool, verb: Unicode.Scalar, _ arg: TemplateValue) {
        if (verb == "d" || (verb == "v" && !sharpV)) && !widthPresent && !precisionPresent && !plus && !space {
            GoFormat.appendInt(v, to: &buf)
            return
        }
        switch verb {
        case "v":
            if sharpV && !signed { integer(UInt64(bitPattern: v), base: 16, signed: false, verb: verb, upper: false, forceSharp: true) }
            else { integer(UInt64(bitPattern: v), base: 10, signed: signed, verb: verb, upper: false) }
        case "d": integer(UInt64(bitPattern: v), base: 10, signed: signed, verb: verb, upper: false)
        case "b": integer(UInt64(bitPattern: v), base: 2, signed: signed, verb: verb, upper: false)
        case "o", "O": integer(UInt64(bitPattern: v), base: 8, signed: signed, verb: verb, upper: false)
        case "x": integer(UInt64(bitPattern: v), base: 16, signed: signed, verb: verb, upper: false)
        case "X": integer(UInt64(bitPattern: v), base: 16, signed: signed, verb: verb, upper: true)
        case "c":
            let scalar = (v >= 0 && v <= 0x10FFFF) ? (Unicode.Scalar(UInt32(v)) ?? "\u{FFFD}") : "\u{FFFD}"
            pad(Array(String(Character(scalar)).utf8))
        case "q":
            pad(GoQuote.quoteRune(v >= 0 && v <= 0x10FFFF ? Int(v) : 0xFFFD, asciiOnly: plus))
        case "U": fmtUnicode(v)
        default: badVerb(verb, arg)
        }
    }

    private mutating func fmtUnicode(_ v: Int64) {
        var hex = String(UInt64(bitPattern: v), radix: 16, uppercase: true)
        let minDigits = precisionPresent && precision > 4 ? precision : 4
        while hex.count < minDigits { hex = "0" + hex }
        var s = "U+" + hex
        if sharp, v >= 0, v <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(v)), GoQuote.isPrint(scalar) {
            s += " '\(Character(scalar))'"
        }
        let oldZero = zero
        zero = false
        pad(Array(s.utf8))
        zero = oldZero
    }

    private mutating func integer(_ bits: UInt64, base: UInt64, signed: Bool, verb: Unicode.Scalar, upper: Bool, forceSharp: Bool = false) {
        let negative = signed && Int64(bitPattern: bits) < 0
        var u = negative ? (0 &- bits) : bits
        var prec = 0
        if precisionPresent {
            prec = precision
            if prec == 0 && u == 0 {
                let oldZero = zero
                zero = false
                writePadding(width)
                zero = oldZero
                return
            }
        } else if zero && !minus && widthPresent {
            prec = width
            if negative || plus || space { prec -= 1 }
        }
        let digits = upper ? Printer.upperHex : Printer.lowerHex
        var out: [UInt8] = []
        repeat {
            out.append(digits[Int(u % base)])
            u /= base
        } while u > 0
        while out.count < prec { out.append(48) }
        if sharp || forceSharp {
            switch base {
            case 2: out += [UInt8(ascii: "b"), 48]
            case 8: if out.last != 48 { out.append(48) }
            case 16: out += [upper ? UInt8(ascii: "X") : UInt8(ascii: "x"), 48]
            default: break
            }
        }
        if verb == "O" { out += [UInt8(ascii: "o"), 48] }
        if negative { out.append(UInt8(ascii: "-")) } else if plus { out.append(UInt8(ascii: "+")) } else if space { out.append(32) }
        out.reverse()
        let oldZero = zero
        zero = false
        pad(out)
        zero = oldZero
    }

    // MARK: floats

    private mutating func fmtFloat(_ d: Double, verb: Unicode.Scalar, _ arg: TemplateValue) {
        switch verb {
        case "v":
            // Integral values below 1e6 print as integers in %v (shortest %g): the common case.
            if !widthPresent && !precisionPresent && !plus && !space && d.magnitude < 1e6 && d == d.rounded(.towardZero)
                && !(d == 0 && d.sign == .minus) {
                GoFormat.appendInt(Int64(d), to: &buf)
                return
            }
            float(d, verb: UInt8(ascii: "g"), prec: -1)
        case "b", "g", "G", "x", "X": float(d, verb: UInt8(verb.value), prec: -1)
        case "f", "e", "E", "F": float(d, verb: UInt8(verb.value), prec: 6)
        default: badVerb(verb, arg)
        }
    }

    private mutating func float(_ d: Double, verb: UInt8, prec defaultPrecision: Int) {
        let prec = precisionPresent ? precision : defaultPrecision
        var num: [UInt8]
        if d.isNaN {
            num = Array("+NaN".utf8)
        } else if d.isInfinite {
            num = Array((d < 0 ? "-Inf" : "+Inf").utf8)
        } else {
            var body: [UInt8]
            let v = verb == UInt8(ascii: "F") ? UInt8(ascii: "f") : verb
            if prec < 0 && (v == UInt8(ascii: "g") || v == UInt8(ascii: "G")) {
                body = GoFormat.shortestG(d, upper: v == UInt8(ascii: "G"))
            } else if v == UInt8(ascii: "x") || v == UInt8(ascii: "X") {
                let upper = v == UInt8(ascii: "X")
                if prec < 0 {
                    body = Printer.shortestHexFloat(d, upper: upper)
                } else {
                    body = Printer.goHexFloat(GoFormat.cFormat(d, verb: upper ? UInt8(ascii: "A") : UInt8(ascii: "a"), precision: prec))
                }
            } else if v == UInt8(ascii: "b") {
                body = Printer.binaryFloat(d)
            } else {
                body = GoFormat.cFormat(d, verb: v, precision: max(prec, 0))
            }
            if body.first == UInt8(ascii: "-") { num = body } else { num = [UInt8(ascii: "+")] + body }
        }
        if space && num[0] == UInt8(ascii: "+") && !plus { num[0] = 32 }
        if num[1] == UInt8(ascii: "I") || num[1] == UInt8(ascii: "N") {
            let oldZero = zero
            zero = false
            if num[1] == UInt8(ascii: "N") && !space && !plus { num.removeFirst() }
            pad(num)
            zero = oldZero
            return
        }
        if plus || num[0] != UInt8(ascii: "+") {
            if zero && !minus && widthPresent && width > num.count {
                buf.append(num[0])
                writePadding(width - num.count)
                buf.append(contentsOf: num[1...])
                return
            }
            pad(num)
            return
        }
        pad(Array(num[1...]))
    }

    /// strconv 'x' with precision -1: the fewest hex digits that are exact.
    static func shortestHexFloat(_ d: Double, upper: Bool) -> [UInt8] {
        var s = d.sign == .minus ? "-" : ""
        if d == 0 { s += "0x0p+00" } else {
            let m = d.magnitude
            var fraction = String(UInt64((m.significand - 1) * 4503599627370496), radix: 16)
            while fraction.count < 13 { fraction = "0" + fraction }
            while fraction.hasSuffix("0") { fraction.removeLast() }
            let e = Int(m.exponent)
            s += "0x1" + (fraction.isEmpty ? "" : "." + fraction) + "p" + (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
        }
        return Array((upper ? s.uppercased() : s).utf8)
    }

    /// strconv 'b': decimal mantissa and binary exponent (`4503599627370496p-52`).
    static func binaryFloat(_ d: Double) -> [UInt8] {
        let bits = d.bitPattern
        var mantissa = bits & ((1 << 52) - 1)
        var exponent = Int((bits >> 52) & 0x7ff)
        if exponent == 0 { exponent = 1 } else { mantissa |= 1 << 52 }
        exponent -= 1023 + 52
        let s = (d.sign == .minus ? "-" : "") + String(mantissa) + "p" + (exponent >= 0 ? "+" : "-") + String(abs(exponent))
        return Array(s.utf8)
    }

    /// C's `%a` uses a one-digit exponent; Go prints at least two.
    private static func goHexFloat(_ c: [UInt8]) -> [UInt8] {
        guard let p = c.firstIndex(where: { $0 == UInt8(ascii: "p") || $0 == UInt8(ascii: "P") }), p + 2 < c.count + 1 else { return c }
        let sign = c[p + 1]
        let digits = c[(p + 2)...]
        if digits.count == 1 { return Array(c[...(p + 1)]) + [48] + digits }
        _ = sign
        return c
    }

    // MARK: strings and bytes

    private func truncate(_ b: [UInt8]) -> [UInt8] {
        guard precisionPresent else { return b }
        var runes = 0
        for (i, c) in b.enumerated() where c & 0xC0 != 0x80 {
            if runes == precision { return Array(b[..<i]) }
            runes += 1
        }
        return b
    }

    private mutating func fmtS(_ b: [UInt8]) { pad(truncate(b)) }

    private mutating func fmtQ(_ s: String) {
        if !precisionPresent && !sharp && !widthPresent {
            var s = s
            s.withUTF8 { GoQuote.appendQuoted($0, quote: UInt8(ascii: "\""), asciiOnly: plus, into: &buf) }
            return
        }
        let t = String(decoding: truncate(Array(s.utf8)), as: UTF8.self)
        if sharp && GoQuote.canBackquote(t) { pad(Array(("`" + t + "`").utf8)); return }
        var out: [UInt8] = []
        GoQuote.appendQuoted(Array(t.utf8), quote: UInt8(ascii: "\""), asciiOnly: plus, into: &out)
        pad(out)
    }

    private mutating func fmtHex(_ b: [UInt8], upper: Bool) {
        let digits = upper ? Printer.upperHex : Printer.lowerHex
        let length = precisionPresent && precision < b.count ? precision : b.count
        var out: [UInt8] = []
        for i in 0..<length {
            if space && i > 0 { out.append(32) }
            if sharp && (space || i == 0) { out += [48, upper ? UInt8(ascii: "X") : UInt8(ascii: "x")] }
            out.append(digits[Int(b[i] >> 4)]); out.append(digits[Int(b[i] & 15)])
        }
        pad(out)
    }

    private mutating func fmtString(_ s: String, verb: Unicode.Scalar, _ arg: TemplateValue) {
        if (verb == "s" || (verb == "v" && !sharpV)) && !widthPresent && !precisionPresent {
            buf.append(contentsOf: s.utf8)
            return
        }
        switch verb {
        case "v": if sharpV { fmtQ(s) } else { fmtS(Array(s.utf8)) }
        case "s": fmtS(Array(s.utf8))
        case "x": fmtHex(Array(s.utf8), upper: false)
        case "X": fmtHex(Array(s.utf8), upper: true)
        case "q": fmtQ(s)
        default: badVerb(verb, arg)
        }
    }

    private mutating func fmtBytes(_ b: [UInt8], verb: Unicode.Scalar, depth: Int, _ arg: TemplateValue) {
        switch verb {
        case "v", "d":
            if sharpV {
                buf.append(contentsOf: "[]byte{".utf8)
                for (i, c) in b.enumerated() {
                    if i > 0 { buf.append(contentsOf: ", ".utf8) }
                    integer(UInt64(c), base: 16, signed: false, verb: "v", upper: false, forceSharp: true)
                }
                buf.append(UInt8(ascii: "}"))
                return
            }
            buf.append(UInt8(ascii: "["))
            for (i, c) in b.enumerated() {
                if i > 0 { buf.append(32) }
                integer(UInt64(c), base: 10, signed: false, verb: verb, upper: false)
            }
            buf.append(UInt8(ascii: "]"))
        case "s": fmtS(b)
        case "x": fmtHex(b, upper: false)
        case "X": fmtHex(b, upper: true)
        case "q": fmtQ(String(decoding: b, as: UTF8.self))
        default:
            printValue(.list(b.map { .int(Int($0)) }), verb: verb, depth: depth)
        }
    }
}

extension TemplateValue {
    /// Go nil: a missing value or a nil interface.
    public var isNil: Bool {
        switch self {
        case .missing, .null: return true
        default: return false
        }
    }
}

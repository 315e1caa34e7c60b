#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits template text into tokens, as Go's text/template lexer: text, delimiters (with
/// trim markers), and the words inside actions. Works on UTF-8 bytes; pulled by the parser.
enum TokenKind: Equatable {
    case error, bool, char, charConstant, complex, assign, declare, eof, field, identifier
    case leftDelim, leftParen, number, pipe, rawString, rightDelim, rightParen, space, string, text, variable
    // Keywords.
    case block, breakKeyword, continueKeyword, dot, define, elseKeyword, end, ifKeyword, nilKeyword
    case range, template, with

    var isKeyword: Bool {
        switch self {
        case .block, .breakKeyword, .continueKeyword, .dot, .define, .elseKeyword, .end, .ifKeyword,
             .nilKeyword, .range, .template, .with: return true
        default: return false
        }
    }
}

/// A token: plain data (errors keep their message in the lexer, so copying tokens is free).
struct Token {
    var kind: TokenKind
    var start: Int
    var end: Int
    var line: Int
}

struct Lexer {
    private enum State { case text, leftDelim, insideAction, rightDelim, comment, space, done }

    let input: [UInt8]
    let leftDelim: [UInt8]
    let rightDelim: [UInt8]
    let breakOK: Bool
    let continueOK: Bool
    private var state = State.text
    private var pos = 0
    private var start = 0
    private var startLine = 1
    private var parenDepth = 0
    /// The message of the error token, once one was produced.
    private(set) var errorMessage = ""

    init(input: [UInt8], leftDelim: String, rightDelim: String, breakOK: Bool, continueOK: Bool) {
        self.input = input
        self.leftDelim = Array((leftDelim.isEmpty ? "{{" : leftDelim).utf8)
        self.rightDelim = Array((rightDelim.isEmpty ? "}}" : rightDelim).utf8)
        self.breakOK = breakOK
        self.continueOK = continueOK
    }

    func text(_ token: Token) -> String {
        String(decoding: input[token.start..<token.end], as: UTF8.self)
    }

    // MARK: helpers

    private func hasPrefix(_ prefix: [UInt8], at index: Int) -> Bool {
        if index < 0 || index + prefix.count > input.count { return false }
        for i in 0..<prefix.count where input[index + i] != prefix[i] { return false }
        return true
    }

    private static let commentStart = Array("/*".utf8), commentEnd = Array("*/".utf8)

    private func byte(_ index: Int) -> UInt8? { index < input.count ? input[index] : nil }

    private static func isSpace(_ b: UInt8?) -> Bool { b == 32 || b == 9 || b == 13 || b == 10 }

    private func hasLeftTrimMarker(at index: Int) -> Bool {
        byte(index) == UInt8(ascii: "-") && Lexer.isSpace(byte(index + 1))
    }

    private func hasRightTrimMarker(at index: Int) -> Bool {
        Lexer.isSpace(byte(index)) && byte(index + 1) == UInt8(ascii: "-")
    }

    private mutating func advanceStart() {
        var i = start
        while i < pos { if input[i] == 10 { startLine += 1 }; i += 1 }
        start = pos
    }

    private mutating func emit(_ kind: TokenKind) -> Token {
        let token = Token(kind: kind, start: start, end: pos, line: startLine)
        advanceStart()
        return token
    }

    private mutating func fail(_ message: String) -> Token {
        state = .done
        errorMessage = message
        return Token(kind: .error, start: start, end: pos, line: startLine)
    }

    /// Decode the scalar at `index`: (scalar, byte width); nil at end of input.
    @inline(__always)
    private func scalar(at index: Int) -> (Unicode.Scalar, Int)? {
        guard index < input.count else { return nil }
        let b = input[index]
        if b < 0x80 { return (Unicode.Scalar(b), 1) }
        return decodeScalar(at: index)
    }

    @inline(never)
    private func decodeScalar(at index: Int) -> (Unicode.Scalar, Int) {
        var it = input[index...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let s) = decoder.decode(&it) { return (s, UTF8.width(s)) }
        return ("\u{FFFD}", 1)
    }

    @inline(__always)
    static func isASCIIAlphaNumeric(_ b: UInt8) -> Bool {
        b == 95 || (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
    }

    static func isAlphaNumeric(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            return v == 95 || (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122)
        }
        return s.properties.isAlphabetic || s.properties.numericType == .decimal
    }

    private func isAlphaNumeric(at index: Int) -> Bool {
        guard let (s, _) = scalar(at: index) else { return false }
        return Lexer.isAlphaNumeric(s)
    }

    // MARK: scanning

    mutating func next() -> Token {
        while true {
            switch state {
            case .done:
                return Token(kind: .eof, start: pos, end: pos, line: startLine)
            case .text:
                if let token = lexText() { return token }
            case .leftDelim:
                if let token = lexLeftDelim() { return token }
            case .comment:
                if let token = lexComment() { return token }
            case .rightDelim:
                return lexRightDelim()
            case .space:
                if let token = lexSpace() { return token }
            case .insideAction:
                if let token = lexInsideAction() { return token }
            }
        }
    }

    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, input.count >= needle.count, from <= input.count - needle.count else { return nil }
        let last = input.count - needle.count
        return input.withUnsafeBufferPointer { (buffer) -> Int? in
            let base = buffer.baseAddress!
            var i = from
            while i <= last {
                // memchr finds the candidate first bytes (templates are mostly text).
                guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return nil }
                i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if hasPrefix(needle, at: i) { return i }
                i += 1
            }
            return nil
        }
    }

    private mutating func lexText() -> Token? {
        if let x = find(leftDelim, from: pos) {
            state = .leftDelim
            if x > pos {
                pos = x
                var trim = 0
                if hasLeftTrimMarker(at: pos + leftDelim.count) {
                    var j = pos
                    while j > start && Lexer.isSpace(input[j - 1]) { j -= 1 }
                    trim = pos - j
                }
                pos -= trim
                var token: Token? = nil
                if pos > start { token = emit(.text) }
                pos += trim
                advanceStart()
                return token
            }
            return nil
        }
        pos = input.count
        if pos > start {
            state = .done
            return emit(.text)
        }
        state = .done
        return Token(kind: .eof, start: pos, end: pos, line: startLine)
    }

    private func atRightDelim() -> (delim: Bool, trim: Bool) {
        if hasPrefix(rightDelim, at: pos) { return (true, false) }
        if hasRightTrimMarker(at: pos) && hasPrefix(rightDelim, at: pos + 2) { return (true, true) }
        return (false, false)
    }

    private mutating func lexLeftDelim() -> Token? {
        pos += leftDelim.count
        let trim = hasLeftTrimMarker(at: pos)
        let after = trim ? 2 : 0
        if hasPrefix(Lexer.commentStart, at: pos + after) {
            pos += after
            advanceStart()
            state = .comment
            return nil
        }
        let token = emit(.leftDelim)
        pos += after
        advanceStart()
        parenDepth = 0
        state = .insideAction
        return token
    }

    private mutating func lexComment() -> Token? {
        pos += 2
        guard let end = find(Lexer.commentEnd, from: pos) else { return fail("unclosed comment") }
        pos = end + 2
        let (delim, trim) = atRightDelim()
        if !delim { return fail("comment ends before closing delimiter") }
        if trim { pos += 2 }
        pos += rightDelim.count
        if trim { while Lexer.isSpace(byte(pos)) { pos += 1 } }
        advanceStart()
        state = .text
        return nil
    }

    private mutating func lexRightDelim() -> Token {
        let (_, trim) = atRightDelim()
        if trim { pos += 2; advanceStart() }
        pos += rightDelim.count
        let token = emit(.rightDelim)
        if trim {
            while Lexer.isSpace(byte(pos)) { pos += 1 }
            advanceStart()
        }
        state = .text
        return token
    }

    private mutating func lexSpace() -> Token? {
        var count = 0
        while Lexer.isSpace(byte(pos)) { pos += 1; count += 1 }
        // " -}}": the space belongs to the trim marker.
        if hasRightTrimMarker(at: pos - 1) && hasPrefix(rightDelim, at: pos + 1) {
            pos -= 1
            if count == 1 {
                state = .rightDelim
                return nil
            }
        }
        state = .insideAction
        return emit(.space)
    }

    private mutating func lexInsideAction() -> Token? {
        let (delim, _) = atRightDelim()
        if delim {
            if parenDepth == 0 { state = .rightDelim; return nil }
            return fail("unclosed left paren")
        }
        guard let (r, width) = scalar(at: pos) else { return fail("unclosed action") }
        if Lexer.isSpace(byte(pos)) { state = .space; return nil }
        pos += width
        switch r {
        case ":":
            if byte(pos) != UInt8(ascii: "=") { return fail("expected :=") }
            pos += 1
            return emit(.declare)
        case "|": return emit(.pipe)
        case "\"": return lexQuote()
        case "`": return lexRawQuote()
        case "$": return lexVariable()
        case "'": return lexChar()
        case ".":
            if let b = byte(pos), b < 48 || b > 57 { return lexFieldOrVariable(.field) }
            pos -= 1
            return lexNumber()
        case "+", "-", "0"..."9":
            pos -= width
            return lexNumber()
        case "(":
            parenDepth += 1
            return emit(.leftParen)
        case ")":
            parenDepth -= 1
            if parenDepth < 0 { return fail("unexpected right paren") }
            return emit(.rightParen)
        default:
            if Lexer.isAlphaNumeric(r) {
                pos -= width
                return lexIdentifier()
            }
            if r == "=" { return emit(.assign) }
            if r.isASCII && r.value >= 0x20 && r.value < 0x7f { return emit(.char) }
            return fail("unrecognized character in action: \(GoFormat.unicodeForm(r))")
        }
    }

    private func atTerminator() -> Bool {
        guard let (r, _) = scalar(at: pos) else { return true }
        if Lexer.isSpace(byte(pos)) { return true }
        switch r {
        case ".", ",", "|", ":", ")", "(": return true
        default: break
        }
        if let rd = rightDelim.first, byte(pos) == rd { return true }
        return false
    }

    private mutating func badCharacter() -> Token {
        let r = scalar(at: pos)?.0 ?? "\u{FFFD}"
        return fail("bad character \(GoFormat.unicodeForm(r))")
    }

    private mutating func lexIdentifier() -> Token {
        while pos < input.count && Lexer.isASCIIAlphaNumeric(input[pos]) { pos += 1 }
        while let (r, w) = scalar(at: pos), Lexer.isAlphaNumeric(r) { pos += w }
        if !atTerminator() { return badCharacter() }
        return emit(keyword(start, pos) ?? .identifier)
    }

    /// The keyword spelled by input[start..<end], compared as bytes (no String made).
    private func keyword(_ start: Int, _ end: Int) -> TokenKind? {
        func word(_ text: StaticString) -> Bool {
            guard text.utf8CodeUnitCount == end - start else { return false }
            let p = text.utf8Start
            for i in 0..<(end - start) where input[start + i] != p[i] { return false }
            return true
        }
        switch end - start {
        case 2: if word("if") { return .ifKeyword }
        case 3:
            if word("end") { return .end }
            if word("nil") { return .nilKeyword }
        case 4:
            if word("else") { return .elseKeyword }
            if word("with") { return .with }
            if word("true") { return .bool }
        case 5:
            if word("range") { return .range }
            if word("block") { return .block }
            if word("break") { return breakOK ? .breakKeyword : .identifier }
            if word("false") { return .bool }
        case 6: if word("define") { return .define }
        case 8:
            if word("template") { return .template }
            if word("continue") { return continueOK ? .continueKeyword : .identifier }
        default: break
        }
        return nil
    }

    private mutating func lexVariable() -> Token {
        if atTerminator() { return emit(.variable) }
        return lexFieldOrVariable(.variable)
    }

    private mutating func lexFieldOrVariable(_ kind: TokenKind) -> Token {
        if atTerminator() { return emit(kind == .variable ? .variable : .dot) }
        while pos < input.count && Lexer.isASCIIAlphaNumeric(input[pos]) { pos += 1 }
        while let (r, w) = scalar(at: pos), Lexer.isAlphaNumeric(r) { pos += w }
        if !atTerminator() { return badCharacter() }
        return emit(kind)
    }

    private mutating func lexChar() -> Token {
        while true {
            guard let b = byte(pos) else { return fail("unterminated character constant") }
            pos += 1
            if b == UInt8(ascii: "\\") {
                guard let c = byte(pos), c != 10 else { return fail("unterminated character constant") }
                pos += 1
            } else if b == 10 {
                return fail("unterminated character constant")
            } else if b == UInt8(ascii: "'") {
                break
            }
        }
        return emit(.charConstant)
    }

    private mutating func lexQuote() -> Token {
        while true {
            guard let b = byte(pos) else { return fail("unterminated quoted string") }
            pos += 1
            if b == UInt8(ascii: "\\") {
                guard let c = byte(pos), c != 10 else { return fail("unterminated quoted string") }
                pos += 1
            } else if b == 10 {
                return fail("unterminated quoted string")
            } else if b == UInt8(ascii: "\"") {
                break
            }
        }
        return emit(.string)
    }

    private mutating func lexRawQuote() -> Token {
        while true {
            guard let b = byte(pos) else { return fail("unterminated raw quoted string") }
            pos += 1
            if b == UInt8(ascii: "`") { break }
        }
        return emit(.rawString)
    }

    private mutating func accept(_ set: String) -> Bool {
        if let b = byte(pos), set.utf8.contains(b) { pos += 1; return true }
        return false
    }

    private mutating func acceptRun(_ set: String) {
        while let b = byte(pos), set.utf8.contains(b) { pos += 1 }
    }

    private mutating func scanNumber() -> Bool {
        _ = accept("+-")
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") { digits = "0123456789abcdefABCDEF_" }
            else if accept("oO") { digits = "01234567_" }
            else if accept("bB") { digits = "01_" }
        }
        acceptRun(digits)
        if accept(".") { acceptRun(digits) }
        if digits.count == 11 && accept("eE") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        if digits.count == 23 && accept("pP") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        _ = accept("i")
        if isAlphaNumeric(at: pos) {
            pos += scalar(at: pos)?.1 ?? 1
            return false
        }
        return true
    }

    private mutating func lexNumber() -> Token {
        if !scanNumber() {
            return fail("bad number syntax: \(GoQuote.quote(String(decoding: input[start..<pos], as: UTF8.self)))")
        }
        if let b = byte(pos), b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
            if !scanNumber() || input[pos - 1] != UInt8(ascii: "i") {
                return fail("bad number syntax: \(GoQuote.quote(String(decoding: input[start..<pos], as: UTF8.self)))")
            }
            return emit(.complex)
        }
        return emit(.number)
    }
}

/// A block-style YAML writer that lays text out the way libyaml's emitter does (go-yaml v2 and v3
/// are ports of it): the same scalar analysis, style fallbacks, indentation and line folding.
struct YAMLEmitter {
    /// The two go-yaml generations Helm prints through.
    struct Profile {
        /// Column past which plain and quoted scalars fold at spaces (yaml.v2: 80; v3 as Helm uses it: never).
        var bestWidth: Int
        /// yaml.v2 writes a sequence that is a mapping value at the key's own indentation.
        var indentlessSequences: Bool
        /// yaml.v3 lets tabs into block (literal) scalars; v2 treats them as special characters.
        var tabsInBlockScalars: Bool
    }

    enum ScalarStyle { case plain, singleQuoted, doubleQuoted, literal }

    struct Analysis {
        var multiline = false
        var flowPlainAllowed = false
        var blockPlainAllowed = true
        var singleQuotedAllowed = true
        var blockAllowed = false
    }

    let profile: Profile
    let bestIndent = 2
    var out: [UInt8] = []
    var column = 0
    var whitespace = true
    var indention = true
    var indent = -1
    var indents: [Int] = []
    var simpleKeyContext = false

    init(profile: Profile) {
        self.profile = profile
        out.reserveCapacity(4096)
    }

    // MARK: Layout primitives

    mutating func increaseIndent(flow: Bool, indentless: Bool) {
        indents.append(indent)
        if indent < 0 {
            indent = flow ? bestIndent : 0
        } else if !indentless {
            indent += bestIndent
        }
    }

    mutating func popIndent() { indent = indents.removeLast() }

    mutating func putBreak() {
        out.append(UInt8(ascii: "\n"))
        column = 0
    }

    mutating func writeIndent() {
        let target = max(indent, 0)
        if !indention || column > target || (column == target && !whitespace) { putBreak() }
        while column < target {
            out.append(UInt8(ascii: " "))
            column += 1
        }
        whitespace = true
        indention = true
    }

    mutating func writeIndicator(_ indicator: String, needWhitespace: Bool, isWhitespace: Bool, isIndention: Bool) {
        if needWhitespace && !whitespace {
            out.append(UInt8(ascii: " "))
            column += 1
        }
        for b in indicator.utf8 {
            out.append(b)
            column += 1
        }
        whitespace = isWhitespace
        indention = indention && isIndention
    }

    // MARK: Characters (byte level, UTF-8)

    @inline(__always) static func width(_ b: UInt8) -> Int {
        b & 0x80 == 0 ? 1 : b & 0xE0 == 0xC0 ? 2 : b & 0xF0 == 0xE0 ? 3 : b & 0xF8 == 0xF0 ? 4 : 1
    }

    @inline(__always) static func at(_ s: [UInt8], _ i: Int) -> UInt8 { i < s.count ? s[i] : 0 }

    @inline(__always) static func isPrintable(_ s: [UInt8], _ i: Int) -> Bool {
        let b = s[i]
        if b < 0x80 { return b == 0x0A || (b >= 0x20 && b <= 0x7E) }
        let b1 = at(s, i + 1), b2 = at(s, i + 2)
        return b == 0x0A || (b >= 0x20 && b <= 0x7E) || (b == 0xC2 && b1 >= 0xA0) || (b > 0xC2 && b < 0xED)
            || (b == 0xED && b1 < 0xA0) || b == 0xEE
            || (b == 0xEF && !(b1 == 0xBB && b2 == 0xBF) && !(b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF)))
    }

    @inline(__always) static func isBreak(_ s: [UInt8], _ i: Int) -> Bool {
        guard i < s.count else { return false }
        let b = s[i]
        if b < 0x80 { return b == 0x0A || b == 0x0D }
        return b == 0x0D || b == 0x0A || (b == 0xC2 && at(s, i + 1) == 0x85)
            || (b == 0xE2 && at(s, i + 1) == 0x80 && (at(s, i + 2) == 0xA8 || at(s, i + 2) == 0xA9))
    }

    static func isSpace(_ s: [UInt8], _ i: Int) -> Bool { i < s.count && s[i] == 0x20 }
    static func isBOM(_ s: [UInt8], _ i: Int) -> Bool {
        i + 2 < s.count && s[i] == 0xEF && s[i + 1] == 0xBB && s[i + 2] == 0xBF
    }
    /// Blank (space, tab), break, or end of text.
    static func isBlankZ(_ s: [UInt8], _ i: Int) -> Bool {
        i >= s.count || s[i] == 0x20 || s[i] == 0x09 || isBreak(s, i) || s[i] == 0
    }

    // MARK: Scalar analysis (libyaml's yaml_emitter_analyze_scalar)

    func analyze(_ s: [UInt8]) -> Analysis {
        var a = Analysis()
        if s.isEmpty { return a }
        var blockIndicators = false, flowIndicators = false, lineBreaks = false, special = false, tabs = false
        var leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
        var breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false
        if s.count >= 3 && ((s[0] == 0x2D && s[1] == 0x2D && s[2] == 0x2D) || (s[0] == 0x2E && s[1] == 0x2E && s[2] == 0x2E)) {
            blockIndicators = true
            flowIndicators = true
        }
        var precededByWhitespace = true
        var followedByWhitespace = YAMLEmitter.isBlankZ(s, YAMLEmitter.width(s[0]))
        var i = 0
        while i < s.count {
            let c = s[i]
            if i == 0 {
                switch c {
                case UInt8(ascii: "#"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
                    UInt8(ascii: "}"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
                    UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
                    UInt8(ascii: "`"):
                    flowIndicators = true
                    blockIndicators = true
                case UInt8(ascii: "?"), UInt8(ascii: ":"):
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                case UInt8(ascii: "-"):
                    if followedByWhitespace {
                        flowIndicators = true
                        blockIndicators = true
                    }
                default: break
                }
            } else {
                switch c {
                case UInt8(ascii: ","), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
                    UInt8(ascii: "}"):
                    flowIndicators = true
                case UInt8(ascii: ":"):
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                case UInt8(ascii: "#"):
                    if precededByWhitespace {
                        flowIndicators = true
                        blockIndicators = true
                    }
                default: break
                }
            }
            if c == 0x09 && profile.tabsInBlockScalars {
                tabs = true
            } else if !YAMLEmitter.isPrintable(s, i) {
                special = true
            }
            let w = YAMLEmitter.width(c)
            if YAMLEmitter.isBreak(s, i) { lineBreaks = true }
            if c == 0x20 {
                if i == 0 { leadingSpace = true }
                if i + w == s.count { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if YAMLEmitter.isBreak(s, i) {
                if i == 0 { leadingBreak = true }
                if i + w == s.count { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = YAMLEmitter.isBlankZ(s, i)
            i += w
            if i < s.count { followedByWhitespace = YAMLEmitter.isBlankZ(s, i + YAMLEmitter.width(s[i])) }
        }
        a.multiline = lineBreaks
        a.flowPlainAllowed = true
        a.blockPlainAllowed = true
        a.singleQuotedAllowed = true
        a.blockAllowed = true
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
            a.flowPlainAllowed = false
            a.blockPlainAllowed = false
        }
        if trailingSpace { a.blockAllowed = false }
        if breakSpace {
            a.flowPlainAllowed = false
            a.blockPlainAllowed = false
            a.singleQuotedAllowed = false
        }
        if spaceBreak || special || tabs {
            a.flowPlainAllowed = false
            a.blockPlainAllowed = false
            a.singleQuotedAllowed = false
        }
        if spaceBreak || special { a.blockAllowed = false }
        if lineBreaks {
            a.flowPlainAllowed = false
            a.blockPlainAllowed = false
        }
        if flowIndicators { a.flowPlainAllowed = false }
        if blockIndicators { a.blockPlainAllowed = false }
        return a
    }

    /// Whether a key can be written as `key: value` rather than `? key\n: value`.
    func isSimpleKey(_ s: [UInt8], _ a: Analysis) -> Bool { !a.multiline && s.count <= 128 }

    // MARK: Scalars

    /// libyaml's yaml_emitter_select_scalar_style then process_scalar, inside the scalar's indentation.
    mutating func scalar(_ s: [UInt8], requested: ScalarStyle, analysis a: Analysis) {
        var style = requested
        if simpleKeyContext && a.multiline { style = .doubleQuoted }
        if style == .plain {
            if !a.blockPlainAllowed { style = .singleQuoted }
            if s.isEmpty && simpleKeyContext { style = .singleQuoted }
        }
        if style == .singleQuoted && !a.singleQuotedAllowed { style = .doubleQuoted }
        if style == .literal && (!a.blockAllowed || simpleKeyContext) { style = .doubleQuoted }
        increaseIndent(flow: true, indentless: false)
        let allowBreaks = !simpleKeyContext
        switch style {
        case .plain: writePlain(s, allowBreaks: allowBreaks)
        case .singleQuoted: writeSingleQuoted(s, allowBreaks: allowBreaks)
        case .doubleQuoted: writeDoubleQuoted(s, allowBreaks: allowBreaks)
        case .literal: writeLiteral(s)
        }
        popIndent()
    }

    @inline(__always) private mutating func copyChar(_ s: [UInt8], _ i: inout Int) {
        if s[i] < 0x80 {
            out.append(s[i])
            i += 1
            column += 1
            return
        }
        let w = YAMLEmitter.width(s[i])
        out.append(contentsOf: s[i..<min(i + w, s.count)])
        i += w
        column += 1
    }

    private mutating func writeBreak(_ s: [UInt8], _ i: inout Int) {
        if s[i] == 0x0A {
            putBreak()
            i += 1
        } else {
            copyChar(s, &i)
            column = 0
        }
    }

    mutating func writePlain(_ s: [UInt8], allowBreaks: Bool) {
        if !whitespace {
            out.append(UInt8(ascii: " "))
            column += 1
        }
        var spaces = false, breaks = false
        var i = 0
        while i < s.count {
            if s[i] == 0x20 {
                if allowBreaks && !spaces && column > profile.bestWidth && !YAMLEmitter.isSpace(s, i + 1) {
                    writeIndent()
                    i += 1
                } else {
                    copyChar(s, &i)
                }
                spaces = true
            } else if YAMLEmitter.isBreak(s, i) {
                if !breaks && s[i] == 0x0A { putBreak() }
                writeBreak(s, &i)
                indention = true
                breaks = true
            } else {
                if breaks { writeIndent() }
                copyChar(s, &i)
                indention = false
                spaces = false
                breaks = false
            }
        }
        whitespace = false
        indention = false
    }

    mutating func writeSingleQuoted(_ s: [UInt8], allowBreaks: Bool) {
        writeIndicator("'", needWhitespace: true, isWhitespace: false, isIndention: false)
        var spaces = false, breaks = false
        var i = 0
        while i < s.count {
            if s[i] == 0x20 {
                if allowBreaks && !spaces && column > profile.bestWidth && i != 0 && i != s.count - 1
                    && !YAMLEmitter.isSpace(s, i + 1)
                {
                    writeIndent()
                    i += 1
                } else {
                    copyChar(s, &i)
                }
                spaces = true
            } else if YAMLEmitter.isBreak(s, i) {
                if !breaks && s[i] == 0x0A { putBreak() }
                writeBreak(s, &i)
                indention = true
                breaks = true
            } else {
                if breaks { writeIndent() }
                if s[i] == UInt8(ascii: "'") {
                    out.append(UInt8(ascii: "'"))
                    column += 1
                }
                copyChar(s, &i)
                indention = false
                spaces = false
                breaks = false
            }
        }
        if breaks { writeIndent() }
        writeIndicator("'", needWhitespace: false, isWhitespace: false, isIndention: false)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    mutating func writeDoubleQuoted(_ s: [UInt8], allowBreaks: Bool) {
        writeIndicator("\"", needWhitespace: true, isWhitespace: false, isIndention: false)
        var spaces = false
        var i = 0
        while i < s.count {
            let c = s[i]
            if !YAMLEmitter.isPrintable(s, i) || YAMLEmitter.isBOM(s, i) || YAMLEmitter.isBreak(s, i)
                || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\")
            {
                let w = YAMLEmitter.width(c)
                var value: UInt32 = w == 1 ? UInt32(c) : w == 2 ? UInt32(c & 0x1F) : w == 3 ? UInt32(c & 0x0F) : UInt32(c & 0x07)
                for k in 1..<w where i + k < s.count { value = (value << 6) | UInt32(s[i + k] & 0x3F) }
                i += w
                out.append(UInt8(ascii: "\\"))
                column += 1
                let simple: Character?
                switch value {
                case 0x00: simple = "0"
                case 0x07: simple = "a"
                case 0x08: simple = "b"
                case 0x09: simple = "t"
                case 0x0A: simple = "n"
                case 0x0B: simple = "v"
                case 0x0C: simple = "f"
                case 0x0D: simple = "r"
                case 0x1B: simple = "e"
                case 0x22: simple = "\""
                case 0x5C: simple = "\\"
                case 0x85: simple = "N"
                case 0xA0: simple = "_"
                case 0x2028: simple = "L"
                case 0x2029: simple = "P"
                default: simple = nil
                }
                if let simple {
                    out.append(simple.asciiValue!)
                    column += 1
                } else {
                    let (letter, digits): (UInt8, Int) = value <= 0xFF ? (UInt8(ascii: "x"), 2) : value <= 0xFFFF ? (UInt8(ascii: "u"), 4) : (UInt8(ascii: "U"), 8)
                    out.append(letter)
                    for k in stride(from: (digits - 1) * 4, through: 0, by: -4) {
                        out.append(YAMLEmitter.hexDigits[Int((value >> UInt32(k)) & 0xF)])
                    }
                    column += 1 + digits
                }
                spaces = false
            } else if c == 0x20 {
                if allowBreaks && !spaces && column > profile.bestWidth && i != 0 && i != s.count - 1 {
                    writeIndent()
                    if YAMLEmitter.isSpace(s, i + 1) {
                        out.append(UInt8(ascii: "\\"))
                        column += 1
                    }
                    i += 1
                } else {
                    copyChar(s, &i)
                }
                spaces = true
            } else {
                copyChar(s, &i)
                spaces = false
            }
        }
        writeIndicator("\"", needWhitespace: false, isWhitespace: false, isIndention: false)
    }

    mutating func writeLiteral(_ s: [UInt8]) {
        writeIndicator("|", needWhitespace: true, isWhitespace: false, isIndention: false)
        // Block scalar hints: explicit indentation when the text starts with a space or break,
        // chomping from how many breaks end it.
        if YAMLEmitter.isSpace(s, 0) || YAMLEmitter.isBreak(s, 0) {
            writeIndicator(String(bestIndent), needWhitespace: false, isWhitespace: false, isIndention: false)
        }
        var chomp: String?
        var last = s.count - 1
        if s.isEmpty {
            chomp = "-"
        } else {
            while last > 0 && s[last] & 0xC0 == 0x80 { last -= 1 }
            if !YAMLEmitter.isBreak(s, last) {
                chomp = "-"
            } else if last == 0 {
                chomp = "+"
            } else {
                var previous = last - 1
                while previous > 0 && s[previous] & 0xC0 == 0x80 { previous -= 1 }
                if YAMLEmitter.isBreak(s, previous) { chomp = "+" }
            }
        }
        if let chomp { writeIndicator(chomp, needWhitespace: false, isWhitespace: false, isIndention: false) }
        putBreak()
        indention = true
        whitespace = true
        var breaks = true
        var i = 0
        while i < s.count {
            if YAMLEmitter.isBreak(s, i) {
                writeBreak(s, &i)
                indention = true
                breaks = true
            } else {
                if breaks { writeIndent() }
                copyChar(s, &i)
                indention = false
                breaks = false
            }
        }
    }
}

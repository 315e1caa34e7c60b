/// Go's regexp/syntax parser (Perl flags, as regexp.Compile uses) reduced to its syntax checks:
/// which patterns it refuses and the `error parsing regexp: CODE: `EXPR`` text it gives. It runs
/// before a pattern is translated for ICU, so refusals read as Go's whatever ICU would think.
struct RE2Syntax {
    /// The Go error message for `pattern`, or nil when Go accepts it.
    static func check(_ pattern: String) -> String? {
        var parser = RE2Syntax(pattern)
        do { try parser.parse() } catch { return "error parsing regexp: \(error.code): `\(error.expression)`" }
        return nil
    }

    struct Failure: Error {
        let code: String
        let expression: String
    }

    /// What sits on the parse stack, as far as the checks need it.
    private enum Item {
        case leftParen
        case verticalBar
        /// An operand; `weight` is the largest product of `{n}` counts down any path inside it
        /// (Go's repeatIsValid bound), 0 when a `{0}` cuts every path.
        case atom(weight: Int)
    }

    private let s: [Unicode.Scalar]
    private var stack: [Item] = []

    private init(_ pattern: String) { s = Array(pattern.unicodeScalars) }

    private func text(_ range: Range<Int>) -> String {
        var out = ""
        out.unicodeScalars.append(contentsOf: s[range])
        return out
    }

    private func fail(_ code: String, _ range: Range<Int>) -> Failure { Failure(code: code, expression: text(range)) }
    private var whole: Range<Int> { 0..<s.count }

    private mutating func parse() throws(Failure) {
        var i = 0
        // Where the previous token's repetition operator started (Go's lastRepeat), if it was one.
        var lastRepeat: Int? = nil
        while i < s.count {
            var repeatStart: Int? = nil
            let c = s[i]
            switch c {
            case "(":
                if i + 1 < s.count && s[i + 1] == "?" {
                    i = try perlFlags(i)
                } else {
                    stack.append(.leftParen)
                    i += 1
                }
            case "|":
                collapse()
                stack.append(.verticalBar)
                i += 1
            case ")":
                collapse()
                guard stack.count >= 2, case .atom(let w) = stack[stack.count - 1], case .leftParen = stack[stack.count - 2] else {
                    throw fail("unexpected )", whole)
                }
                stack.removeLast(2)
                stack.append(.atom(weight: w))
                i += 1
            case "[":
                i = try parseClass(i)
                stack.append(.atom(weight: 1))
            case "*", "+", "?":
                let after = try repetition(start: i, end: i + 1, min: -1, max: -1, lastRepeat: lastRepeat)
                repeatStart = i
                i = after
            case "{":
                guard let (min, max, end) = repeatCount(i) else {
                    stack.append(.atom(weight: 1))
                    i += 1
                    break
                }
                if min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max) { throw fail("invalid repeat count", i..<end) }
                let after = try repetition(start: i, end: end, min: min, max: max, lastRepeat: lastRepeat)
                repeatStart = i
                i = after
            case "\\":
                i = try escapeAtTop(i)
            default:
                stack.append(.atom(weight: 1))
                i += 1
            }
            lastRepeat = repeatStart
        }
        collapse()
        if stack.contains(where: { if case .leftParen = $0 { return true }; return false }) { throw fail("missing closing )", whole) }
    }

    /// Concatenation and alternation since the last open paren become one operand.
    private mutating func collapse() {
        var weight = 1
        while let top = stack.last {
            if case .leftParen = top { break }
            if case .atom(let w) = top { weight = Swift.max(weight, w) }
            stack.removeLast()
        }
        stack.append(.atom(weight: weight))
    }

    /// A repetition operator from `start` to `end` (`*`, `{2,3}`), a lazy `?` after it included.
    private mutating func repetition(start: Int, end: Int, min: Int, max: Int, lastRepeat: Int?) throws(Failure) -> Int {
        var after = end
        if after < s.count && s[after] == "?" { after += 1 }
        if let lastRepeat { throw fail("invalid nested repetition operator", lastRepeat..<after) }
        guard case .atom(let weight)? = stack.last else { throw fail("missing argument to repetition operator", start..<after) }
        var newWeight = weight
        if min >= 0 {
            let m = max < 0 ? min : max
            if (min >= 2 || max >= 2) && m != 0 && m * weight > 1000 { throw fail("invalid repeat count", start..<after) }
            newWeight = m == 0 ? 0 : m * Swift.max(weight, 1)
        }
        stack[stack.count - 1] = .atom(weight: newWeight)
        return after
    }

    /// `{n}`, `{n,}`, `{n,m}` at `i`: (min, max or -1, index after `}`); nil when it is a literal `{`.
    private func repeatCount(_ i: Int) -> (Int, Int, Int)? {
        var j = i + 1
        guard let min = integer(&j), j < s.count else { return nil }
        var max = min
        var minimum = min
        if s[j] == "," {
            j += 1
            guard j < s.count else { return nil }
            if s[j] == "}" {
                max = -1
            } else {
                guard let m = integer(&j) else { return nil }
                max = m
                if m < 0 { minimum = -1 }
            }
        }
        guard j < s.count, s[j] == "}" else { return nil }
        return (minimum, max, j + 1)
    }

    /// Decimal digits without a leading zero; -1 when too big (Go's parseInt).
    private func integer(_ j: inout Int) -> Int? {
        guard j < s.count, isDigit(s[j]) else { return nil }
        if j + 1 < s.count, s[j] == "0", isDigit(s[j + 1]) { return nil }
        var n = 0
        while j < s.count, isDigit(s[j]) {
            if n >= 100_000_000 { n = -1 } else if n >= 0 { n = n * 10 + Int(s[j].value - 48) }
            j += 1
        }
        return n
    }

    private func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    /// `(?` at `i`: a named group, or flags with `)` or `:`.
    private mutating func perlFlags(_ i: Int) throws(Failure) -> Int {
        let startsWithP = s.count - i > 4 && s[i + 2] == "P" && s[i + 3] == "<"
        let startsWithName = s.count - i > 3 && s[i + 2] == "<"
        if startsWithP || startsWithName {
            let nameStart = i + (startsWithP ? 4 : 3)
            guard let end = s[i...].firstIndex(of: ">") else { throw fail("invalid named capture", i..<s.count) }
            let name = s[nameStart..<end]
            if name.isEmpty || !name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || isDigit($0))) }) {
                throw fail("invalid named capture", i..<(end + 1))
            }
            stack.append(.leftParen)
            return end + 1
        }
        var j = i + 2
        var negated = false
        var sawFlag = false
        while j < s.count {
            let c = s[j]
            j += 1
            switch c {
            case "i", "m", "s", "U": sawFlag = true
            case "-":
                if negated { throw fail("invalid or unsupported Perl syntax", i..<j) }
                negated = true
                sawFlag = false
            case ":", ")":
                if negated && !sawFlag { throw fail("invalid or unsupported Perl syntax", i..<j) }
                if c == ":" { stack.append(.leftParen) }
                return j
            default:
                throw fail("invalid or unsupported Perl syntax", i..<j)
            }
        }
        throw fail("invalid or unsupported Perl syntax", i..<j)
    }

    /// A backslash outside a class.
    private mutating func escapeAtTop(_ i: Int) throws(Failure) -> Int {
        if i + 1 < s.count {
            switch s[i + 1] {
            case "A", "b", "B", "z":
                stack.append(.atom(weight: 1))
                return i + 2
            case "C": throw fail("invalid escape sequence", i..<(i + 2))
            case "Q":
                var j = i + 2
                while j < s.count && !(s[j] == "\\" && j + 1 < s.count && s[j + 1] == "E") {
                    stack.append(.atom(weight: 1))
                    j += 1
                }
                return j < s.count ? j + 2 : j
            default: break
            }
        }
        if let end = try unicodeClass(i) ?? perlClass(i) {
            stack.append(.atom(weight: 1))
            return end
        }
        let end = try escape(i)
        stack.append(.atom(weight: 1))
        return end
    }

    /// `\d \D \s \S \w \W` at `i`: the index after it.
    private func perlClass(_ i: Int) -> Int? {
        guard i + 1 < s.count, s[i] == "\\", "dDsSwW".unicodeScalars.contains(s[i + 1]) else { return nil }
        return i + 2
    }

    /// `\pL`, `\p{Greek}`, `\P{^Lu}` at `i`: the index after it; nil when not one.
    private func unicodeClass(_ i: Int) throws(Failure) -> Int? {
        guard i + 1 < s.count, s[i] == "\\", s[i + 1] == "p" || s[i + 1] == "P" else { return nil }
        var name: String
        let end: Int
        if i + 2 < s.count && s[i + 2] == "{" {
            guard let close = s[i...].firstIndex(of: "}") else { throw fail("invalid character class range", i..<s.count) }
            name = text((i + 3)..<close)
            end = close + 1
        } else {
            end = Swift.min(i + 3, s.count)
            name = text((i + 2)..<end)
        }
        if name.hasPrefix("^") { name.removeFirst() }
        if !RE2Syntax.unicodeTables.contains(RE2Syntax.loose(name)) { throw fail("invalid character class range", i..<end) }
        return end
    }

    /// An ordinary escape (`\n`, `\x41`, `\x{263a}`, `\101`, `\.`) at `i`: the index after it.
    private func escape(_ i: Int) throws(Failure) -> Int {
        var j = i + 1
        guard j < s.count else { throw Failure(code: "trailing backslash at end of expression", expression: "") }
        let c = s[j]
        j += 1
        func octal(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "7" }
        switch c {
        case "1", "2", "3", "4", "5", "6", "7", "0":
            if c != "0" && !(j < s.count && octal(s[j])) { break }
            var k = 1
            while k < 3, j < s.count, octal(s[j]) { j += 1; k += 1 }
            return j
        case "x":
            guard j < s.count else { break }
            let first = s[j]
            j += 1
            if first == "{" {
                var digits = 0
                var value = 0
                while true {
                    guard j < s.count else { throw fail("invalid escape sequence", i..<j) }
                    let d = s[j]
                    j += 1
                    if d == "}" { break }
                    guard let v = hexValue(d) else { throw fail("invalid escape sequence", i..<j) }
                    value = value * 16 + v
                    if value > 0x10FFFF { throw fail("invalid escape sequence", i..<j) }
                    digits += 1
                }
                if digits == 0 { throw fail("invalid escape sequence", i..<j) }
                return j
            }
            let second: Unicode.Scalar? = j < s.count ? s[j] : nil
            if j < s.count { j += 1 }
            if hexValue(first) != nil, let second, hexValue(second) != nil { return j }
        case "a", "f", "n", "r", "t", "v":
            return j
        default:
            if c.isASCII && !(c.properties.isAlphabetic || isDigit(c)) { return j }
        }
        throw fail("invalid escape sequence", i..<j)
    }

    private func hexValue(_ c: Unicode.Scalar) -> Int? {
        switch c {
        case "0"..."9": return Int(c.value - 48)
        case "a"..."f": return Int(c.value - 87)
        case "A"..."F": return Int(c.value - 55)
        default: return nil
        }
    }

    /// A bracketed class at `i`: the index after its `]`.
    private func parseClass(_ i: Int) throws(Failure) -> Int {
        var j = i + 1
        if j < s.count && s[j] == "^" { j += 1 }
        var first = true
        while j >= s.count || s[j] != "]" || first {
            first = false
            if s.count - j > 2 && s[j] == "[" && s[j + 1] == ":" {
                if let close = closingColonBracket(from: j + 2) {
                    let name = text(j..<(close + 2))
                    if !RE2Syntax.posixClasses.contains(name) { throw fail("invalid character class range", j..<(close + 2)) }
                    j = close + 2
                    continue
                }
            }
            if j < s.count, let end = try unicodeClass(j) { j = end; continue }
            if j < s.count, let end = perlClass(j) { j = end; continue }
            let rangeStart = j
            let (lo, afterLo) = try classCharacter(j, classStart: i)
            j = afterLo
            if s.count - j >= 2 && s[j] == "-" && s[j + 1] != "]" {
                let (hi, afterHi) = try classCharacter(j + 1, classStart: i)
                j = afterHi
                if hi < lo { throw fail("invalid character class range", rangeStart..<j) }
            }
        }
        return j + 1
    }

    private func closingColonBracket(from j: Int) -> Int? {
        var k = j
        while k + 1 < s.count {
            if s[k] == ":" && s[k + 1] == "]" { return k }
            k += 1
        }
        return nil
    }

    /// One class member character at `j` (escapes allowed): its value and the index after it.
    private func classCharacter(_ j: Int, classStart: Int) throws(Failure) -> (UInt32, Int) {
        guard j < s.count else { throw fail("missing closing ]", classStart..<s.count) }
        guard s[j] == "\\" else { return (s[j].value, j + 1) }
        let end = try escape(j)
        return (escapedValue(j..<end), end)
    }

    /// The character an escape that `escape` accepted stands for (for range order checks).
    private func escapedValue(_ r: Range<Int>) -> UInt32 {
        let body = Array(s[(r.lowerBound + 1)..<r.upperBound])
        guard let c = body.first else { return 0 }
        switch c {
        case "a": return 7
        case "f": return 12
        case "n": return 10
        case "r": return 13
        case "t": return 9
        case "v": return 11
        case "x":
            let digits = body.dropFirst().filter { hexValue($0) != nil }
            return digits.reduce(0) { $0 * 16 + UInt32(hexValue($1)!) }
        case "0"..."7": return body.reduce(0) { $0 * 8 + ($1.value - 48) }
        default: return c.value
        }
    }

    static let posixClasses: Set<String> = {
        let names = ["alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "word", "xdigit"]
        return Set(names.flatMap { ["[:\($0):]", "[:^\($0):]"] })
    }()

    /// Go 1.25 matches `\p` names loosely (Unicode TR18): case, spaces, `_` and `-` ignored.
    static func loose(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0 != " " && $0 != "_" && $0 != "-" }.map { Character($0) }).lowercased()
    }

    /// Go's unicode tables that `\p` names, loosely: "Any", "ASCII", "Assigned", the general
    /// categories with their long aliases, and the scripts (not their short aliases).
    static let unicodeTables: Set<String> = Set(tableNames.map(loose))

    private static let tableNames: [String] = [
        "ASCII", "Assigned", "Cn", "LC",
        "Cased_Letter", "Close_Punctuation", "Combining_Mark", "Connector_Punctuation", "Control",
        "Currency_Symbol", "Dash_Punctuation", "Decimal_Number", "Enclosing_Mark", "Final_Punctuation",
        "Format", "Initial_Punctuation", "Letter", "Letter_Number", "Line_Separator", "Lowercase_Letter",
        "Mark", "Math_Symbol", "Modifier_Letter", "Modifier_Symbol", "Nonspacing_Mark", "Number",
        "Open_Punctuation", "Other", "Other_Letter", "Other_Number", "Other_Punctuation", "Other_Symbol",
        "Paragraph_Separator", "Private_Use", "Punctuation", "Separator", "Space_Separator", "Spacing_Mark",
        "Surrogate", "Symbol", "Titlecase_Letter", "Unassigned", "Uppercase_Letter", "cntrl", "digit", "punct",
        "Any", "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
        "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So",
        "Z", "Zl", "Zp", "Zs",
        "Adlam", "Ahom", "Anatolian_Hieroglyphs", "Arabic", "Armenian", "Avestan", "Balinese", "Bamum",
        "Bassa_Vah", "Batak", "Bengali", "Bhaiksuki", "Bopomofo", "Brahmi", "Braille", "Buginese", "Buhid",
        "Canadian_Aboriginal", "Carian", "Caucasian_Albanian", "Chakma", "Cham", "Cherokee", "Chorasmian",
        "Common", "Coptic", "Cuneiform", "Cypriot", "Cypro_Minoan", "Cyrillic", "Deseret", "Devanagari",
        "Dives_Akuru", "Dogra", "Duployan", "Egyptian_Hieroglyphs", "Elbasan", "Elymaic", "Ethiopic",
        "Georgian", "Glagolitic", "Gothic", "Grantha", "Greek", "Gujarati", "Gunjala_Gondi", "Gurmukhi",
        "Han", "Hangul", "Hanifi_Rohingya", "Hanunoo", "Hatran", "Hebrew", "Hiragana", "Imperial_Aramaic",
        "Inherited", "Inscriptional_Pahlavi", "Inscriptional_Parthian", "Javanese", "Kaithi", "Kannada",
        "Katakana", "Kawi", "Kayah_Li", "Kharoshthi", "Khitan_Small_Script", "Khmer", "Khojki", "Khudawadi",
        "Lao", "Latin", "Lepcha", "Limbu", "Linear_A", "Linear_B", "Lisu", "Lycian", "Lydian", "Mahajani",
        "Makasar", "Malayalam", "Mandaic", "Manichaean", "Marchen", "Masaram_Gondi", "Medefaidrin",
        "Meetei_Mayek", "Mende_Kikakui", "Meroitic_Cursive", "Meroitic_Hieroglyphs", "Miao", "Modi",
        "Mongolian", "Mro", "Multani", "Myanmar", "Nabataean", "Nag_Mundari", "Nandinagari", "New_Tai_Lue",
        "Newa", "Nko", "Nushu", "Nyiakeng_Puachue_Hmong", "Ogham", "Ol_Chiki", "Old_Hungarian", "Old_Italic",
        "Old_North_Arabian", "Old_Permic", "Old_Persian", "Old_Sogdian", "Old_South_Arabian", "Old_Turkic",
        "Old_Uyghur", "Oriya", "Osage", "Osmanya", "Pahawh_Hmong", "Palmyrene", "Pau_Cin_Hau", "Phags_Pa",
        "Phoenician", "Psalter_Pahlavi", "Rejang", "Runic", "Samaritan", "Saurashtra", "Sharada", "Shavian",
        "Siddham", "SignWriting", "Sinhala", "Sogdian", "Sora_Sompeng", "Soyombo", "Sundanese",
        "Syloti_Nagri", "Syriac", "Tagalog", "Tagbanwa", "Tai_Le", "Tai_Tham", "Tai_Viet", "Takri", "Tamil",
        "Tangsa", "Tangut", "Telugu", "Thaana", "Thai", "Tibetan", "Tifinagh", "Tirhuta", "Toto", "Ugaritic",
        "Vai", "Vithkuqi", "Wancho", "Warang_Citi", "Yezidi", "Yi", "Zanabazar_Square",
    ]
}

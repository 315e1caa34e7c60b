import Foundation
import GoTemplate

/// Sprig's regex functions with Go's RE2 semantics on top of NSRegularExpression (ICU):
/// patterns are translated (named groups, `$`, ASCII classes) and Go's match iteration,
/// replacement expansion and split rules are reimplemented here.
enum RegexFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("regexMatch", .exactly(2)) { a in
            let pattern = try a.string(0), s = try a.string(1)
            guard let re = try? GoRegex(pattern) else { return .bool(false) }
            return .bool(re.firstMatch(in: s, from: 0) != nil)
        }
        r.add("mustRegexMatch", .exactly(2)) { a in
            let re = try GoRegex(try a.string(0))
            return .bool(re.firstMatch(in: try a.string(1), from: 0) != nil)
        }
        for (name, must) in [("regexFindAll", false), ("mustRegexFindAll", true)] {
            r.add(name, .exactly(3)) { a in
                let re = try GoRegex.compile(try a.string(0), must: must)
                let s = try a.string(1)
                let matches = re.allMatches(in: s, limit: try a.int(2))
                let ns = s as NSString
                // FindAllString returns a nil slice when nothing matches.
                return matches.isEmpty ? .nilStrings : .strings(matches.map { ns.substring(with: $0.range) })
            }
        }
        for (name, must) in [("regexFind", false), ("mustRegexFind", true)] {
            r.add(name, .exactly(2)) { a in
                let re = try GoRegex.compile(try a.string(0), must: must)
                let s = try a.string(1)
                guard let m = re.firstMatch(in: s, from: 0) else { return .string("") }
                return .string((s as NSString).substring(with: m.range))
            }
        }
        for (name, must, literal) in [("regexReplaceAll", false, false), ("mustRegexReplaceAll", true, false),
                                      ("regexReplaceAllLiteral", false, true), ("mustRegexReplaceAllLiteral", true, true)] {
            r.add(name, .exactly(3)) { a in
                let re = try GoRegex.compile(try a.string(0), must: must)
                return .string(re.replaceAll(in: try a.string(1), with: try a.string(2), literal: literal))
            }
        }
        for (name, must) in [("regexSplit", false), ("mustRegexSplit", true)] {
            r.add(name, .exactly(3)) { a in
                let re = try GoRegex.compile(try a.string(0), must: must)
                let limit = try a.int(2)
                // Split with n == 0 returns a nil slice.
                return limit == 0 ? .nilStrings : .strings(re.split(try a.string(1), limit: limit))
            }
        }
        r.add("regexQuoteMeta", .exactly(1)) { a in
            var out = ""
            for c in try a.string(0) {
                if "\\.+*?()|[]{}^$".contains(c) { out.append("\\") }
                out.append(c)
            }
            return .string(out)
        }
    }
}

struct GoRegex {
    let source: String
    let regex: NSRegularExpression
    let groupNames: [String: Int]

    /// Sprig's non-must forms use regexp.MustCompile, whose panic message wraps the error.
    static func compile(_ pattern: String, must: Bool) throws -> GoRegex {
        do { return try GoRegex(pattern) } catch let e as TemplateFunctionError {
            if must { throw e }
            throw TemplateFunctionError("regexp: Compile(\(goQuoteBacktick(pattern))): \(e.message)")
        }
    }

    static func goQuoteBacktick(_ s: String) -> String {
        s.contains("`") ? GoText.quote(s) : "`" + s + "`"
    }

    init(_ pattern: String) throws {
        source = pattern
        let (translated, names) = try GoRegex.translate(pattern)
        groupNames = names
        do {
            regex = try NSRegularExpression(pattern: translated, options: [.useUnixLineSeparators])
        } catch {
            throw TemplateFunctionError("error parsing regexp: invalid or unsupported Perl syntax: `\(pattern)`")
        }
    }

    /// RE2's POSIX classes as ICU set contents (ASCII only, unlike ICU's own).
    static let posixClasses: [String: String] = [
        "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7F", "blank": "\\t ", "cntrl": "\\x00-\\x1F\\x7F",
        "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~", "punct": "!-/:-@\\[-`{-~",
        "space": "\\t\\n\\x0B\\f\\r ", "upper": "A-Z", "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f",
    ]

    /// Whether `{` at `i` starts an RE2 repeat count: `{n}`, `{n,}`, `{n,m}`, no leading zeros.
    private static func repeatCount(_ chars: [Character], _ i: Int) -> Bool {
        var j = i + 1
        func number() -> Bool {
            let start = j
            while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
            return j > start && !(j - start > 1 && chars[start] == "0")
        }
        guard number(), j < chars.count else { return false }
        if chars[j] == "," {
            j += 1
            if j < chars.count, chars[j] != "}" { guard number() else { return false } }
        }
        return j < chars.count && chars[j] == "}"
    }

    /// RE2 syntax to ICU: `(?P<n>` to `(?<n>`, `$` outside (?m) to `\z`, `\d\w\s` to their ASCII sets,
    /// `\z` kept; rejects the obvious RE2 errors with Go's messages.
    static func translate(_ p: String) throws -> (String, [String: Int]) {
        if let message = RE2Syntax.check(p) { throw TemplateFunctionError(message) }
        let chars = Array(p)
        var out = ""
        var i = 0
        var inClass = false
        var depth = 0
        var group = 0
        var names: [String: Int] = [:]
        let multiline = p.range(of: #"\(\?[a-zA-Z]*m"#, options: .regularExpression) != nil
        func fail(_ what: String, _ arg: String) -> TemplateFunctionError {
            TemplateFunctionError("error parsing regexp: \(what): `\(arg)`")
        }
        // Whether `(?U)` is in effect, per open group.
        var ungreedy = [false]
        /// After a quantifier: a `?` makes it lazy, and `(?U)` swaps the two.
        func laziness() {
            let lazy = i < chars.count && chars[i] == "?"
            if lazy { i += 1 }
            if lazy != ungreedy.last! { out.append("?") }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\\" {
                guard i + 1 < chars.count else { throw fail("trailing backslash at end of expression", "") }
                let n = chars[i + 1]
                switch n {
                case "d": out += inClass ? "0-9" : "[0-9]"
                case "D": out += inClass ? "\\D" : "[^0-9]"
                case "w": out += inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]"
                case "W": out += inClass ? "\\W" : "[^0-9A-Za-z_]"
                case "s": out += inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]"
                case "S": out += inClass ? "\\S" : "[^\\t\\n\\f\\r ]"
                case "Z": throw fail("invalid escape sequence", "\\Z")
                case "p", "P":
                    // ICU wants braces and no `^`: \pL -> \p{L}, \p{^Greek} -> \P{Greek}.
                    var negated = n == "P"
                    var name: String
                    if i + 2 < chars.count && chars[i + 2] == "{" {
                        var j = i + 3
                        while j < chars.count && chars[j] != "}" { j += 1 }
                        name = String(chars[(i + 3)..<min(j, chars.count)])
                        i = j + 1
                    } else {
                        name = i + 2 < chars.count ? String(chars[i + 2]) : ""
                        i += 3
                    }
                    if name.hasPrefix("^") { name.removeFirst(); negated.toggle() }
                    out += (negated ? "\\P{" : "\\p{") + name + "}"
                    continue
                case "0"..."7":
                    // Go's octal escapes (\0, \07, \101): ICU's \0 needs digits, and \1-\7 are backreferences.
                    var j = i + 1
                    var value = 0
                    while j < chars.count, j < i + 4, let d = chars[j].wholeNumberValue, chars[j].isASCII, d < 8 {
                        value = value * 8 + d
                        j += 1
                    }
                    out += "\\x{" + String(value, radix: 16) + "}"
                    i = j
                    continue
                case "x" where i + 2 < chars.count && chars[i + 2] == "{":
                    var j = i + 3
                    while j < chars.count && chars[j] != "}" { j += 1 }
                    out += String(chars[i...min(j, chars.count - 1)])
                    i = j + 1
                    continue
                default: out.append(c); out.append(n)
                }
                i += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
                if c == "[" && i + 1 < chars.count && chars[i + 1] == ":" {
                    // A POSIX class such as [:alpha:] is ASCII in RE2: a nested ICU set.
                    var j = i + 2
                    while j + 1 < chars.count && !(chars[j] == ":" && chars[j + 1] == "]") { j += 1 }
                    var name = String(chars[(i + 2)..<min(j, chars.count)])
                    let negated = name.hasPrefix("^")
                    if negated { name.removeFirst() }
                    out += "[" + (negated ? "^" : "") + (posixClasses[name] ?? "") + "]"
                    i = j + 2
                    continue
                } else if c == "[" || c == "&" {
                    out += "\\" + String(c)
                } else {
                    out.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case "[":
                inClass = true
                out.append(c)
                i += 1
                if i < chars.count && chars[i] == "^" { out.append("^"); i += 1 }
                if i < chars.count && chars[i] == "]" { out += "\\]"; i += 1 }
                continue
            case "(":
                depth += 1
                if i + 1 < chars.count && chars[i + 1] == "?" {
                    if i + 2 < chars.count && chars[i + 2] == "P" && i + 3 < chars.count && chars[i + 3] == "<" {
                        group += 1
                        let nameStart = i + 4
                        var j = nameStart
                        while j < chars.count && chars[j] != ">" { j += 1 }
                        names[String(chars[nameStart..<min(j, chars.count)])] = group
                        out += "(?<" + String(chars[nameStart..<min(j, chars.count)]) + ">"
                        ungreedy.append(ungreedy.last!)
                        i = j + 1
                        continue
                    }
                    if i + 2 < chars.count && chars[i + 2] == "<" && i + 3 < chars.count && chars[i + 3] != "=" && chars[i + 3] != "!" {
                        group += 1
                        var j = i + 3
                        while j < chars.count && chars[j] != ">" { j += 1 }
                        names[String(chars[(i + 3)..<min(j, chars.count)])] = group
                    }
                    // Flags: ICU has no `U` (ungreedy), which we apply to the quantifiers ourselves.
                    var j = i + 2
                    while j < chars.count, "imsU-".contains(chars[j]) { j += 1 }
                    if j < chars.count, chars[j] == ")" || chars[j] == ":" {
                        let flags = chars[(i + 2)..<j]
                        var u = ungreedy.last!
                        var negative = false
                        for f in flags {
                            if f == "-" { negative = true } else if f == "U" { u = !negative }
                        }
                        var kept = String(flags.filter { $0 != "U" })
                        if kept.hasSuffix("-") { kept.removeLast() }
                        if chars[j] == ":" {
                            ungreedy.append(u)
                            out += "(?" + kept + ":"
                            i = j + 1
                            continue
                        }
                        depth -= 1
                        ungreedy[ungreedy.count - 1] = u
                        let group = kept.isEmpty ? "" : "(?" + kept + ")"
                        // `(?i)` followed by a repetition: RE2 repeats what came before the flags.
                        if j + 1 < chars.count, "*+?{".contains(chars[j + 1]) {
                            var k = j + 1
                            if chars[k] == "{" { while k < chars.count && chars[k] != "}" { k += 1 } }
                            k += 1
                            out += String(chars[(j + 1)..<min(k, chars.count)])
                            i = k
                            laziness()
                            out += group
                            continue
                        }
                        out += group
                        i = j + 1
                        continue
                    }
                } else {
                    group += 1
                }
                ungreedy.append(ungreedy.last!)
                out.append(c)
            case ")":
                depth -= 1
                if depth < 0 { throw fail("unexpected )", p) }
                if ungreedy.count > 1 { ungreedy.removeLast() }
                out.append(c)
            case "*", "+", "?":
                out.append(c)
                i += 1
                laziness()
                continue
            case "$":
                // Grouped: RE2 lets an assertion take a repetition operator, ICU does not.
                out += multiline ? "(?:$)" : "(?:\\z)"
            case "{":
                // A `{` that is not a repeat count (`{,5}`, `{01}`, `{`) is a literal in RE2.
                if repeatCount(chars, i) {
                    while i < chars.count && chars[i] != "}" { out.append(chars[i]); i += 1 }
                    out.append("}")
                    i += 1
                    laziness()
                    continue
                } else {
                    out += "\\{"
                }
            case "}":
                out += "\\}"
            default:
                out.append(c)
            }
            i += 1
        }
        if inClass { throw fail("missing closing ]", "[" + (p.split(separator: "[", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init) ?? "")) }
        if depth > 0 { throw fail("missing closing )", p) }
        // ICU rejects an empty pattern; RE2 matches the empty string.
        return (out.isEmpty ? "(?:)" : out, names)
    }

    func firstMatch(in s: String, from utf16Offset: Int) -> NSTextCheckingResult? {
        let length = (s as NSString).length
        guard utf16Offset <= length else { return nil }
        return regex.firstMatch(in: s, options: [.withTransparentBounds, .withoutAnchoringBounds],
                                range: NSRange(location: utf16Offset, length: length - utf16Offset))
    }

    private func width(_ ns: NSString, at pos: Int) -> Int {
        guard pos < ns.length else { return 1 }
        let unit = ns.character(at: pos)
        return (0xD800...0xDBFF).contains(unit) && pos + 1 < ns.length ? 2 : 1
    }

    /// Go's allMatches: successive matches; an empty match right after a match is skipped.
    func allMatches(in s: String, limit: Int) -> [NSTextCheckingResult] {
        let ns = s as NSString
        let n = limit < 0 ? ns.length + 1 : limit
        var out: [NSTextCheckingResult] = []
        var pos = 0, prevEnd = -1
        while out.count < n && pos <= ns.length {
            guard let m = firstMatch(in: s, from: pos) else { break }
            let start = m.range.location, end = start + m.range.length
            var accept = true
            if m.range.length == 0 {
                if start == prevEnd { accept = false }
                // Go searches on from the match, one rune past it.
                pos = start + width(ns, at: start)
                if start >= ns.length { pos = ns.length + 1 }
            } else {
                pos = end
            }
            prevEnd = end
            if accept { out.append(m) }
        }
        return out
    }

    func replaceAll(in s: String, with template: String, literal: Bool) -> String {
        let ns = s as NSString
        var out = ""
        var lastEnd = 0, search = 0
        while search <= ns.length {
            guard let m = firstMatch(in: s, from: search) else { break }
            let start = m.range.location, end = start + m.range.length
            out += ns.substring(with: NSRange(location: lastEnd, length: start - lastEnd))
            if end > lastEnd || start == 0 {
                out += literal ? template : expand(template, match: m, in: ns)
            }
            lastEnd = end
            let w = width(ns, at: search)
            if search + w > end { search += w } else if search + 1 > end { search += 1 } else { search = end }
        }
        out += ns.substring(from: min(lastEnd, ns.length))
        return out
    }

    /// Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; unknown names expand to "".
    func expand(_ template: String, match: NSTextCheckingResult, in ns: NSString) -> String {
        let t = Array(template.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func isNameChar(_ c: Unicode.Scalar) -> Bool {
            (c.value < 0x80 && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_")) || (c.value >= 0x80 && (c.properties.isAlphabetic || c.properties.numericType != nil))
        }
        while i < t.count {
            if t[i] != "$" { out.append(t[i]); i += 1; continue }
            i += 1
            if i < t.count && t[i] == "$" { out.append("$"); i += 1; continue }
            var name = ""
            var ok = false
            if i < t.count && t[i] == "{" {
                var j = i + 1
                while j < t.count && isNameChar(t[j]) { j += 1 }
                if j < t.count && t[j] == "}" && j > i + 1 {
                    name = String(String.UnicodeScalarView(t[(i + 1)..<j])); ok = true; i = j + 1
                }
            } else {
                var j = i
                while j < t.count && isNameChar(t[j]) { j += 1 }
                if j > i { name = String(String.UnicodeScalarView(t[i..<j])); ok = true; i = j }
            }
            guard ok else { out.append("$"); continue }
            var index: Int? = nil
            if name.allSatisfy({ $0.isASCII && $0.isNumber }) {
                index = name.count > 9 ? nil : Int(name)
            } else {
                index = groupNames[name]
            }
            if let index, index < match.numberOfRanges {
                let range = match.range(at: index)
                if range.location != NSNotFound { out.append(contentsOf: ns.substring(with: range).unicodeScalars) }
            }
        }
        return String(out)
    }

    func split(_ s: String, limit n: Int) -> [String] {
        if n == 0 { return [] }
        let ns = s as NSString
        if !source.isEmpty && s.isEmpty { return [""] }
        let matches = allMatches(in: s, limit: n)
        var parts: [String] = []
        var begin = 0, end = 0
        for m in matches {
            if n > 0 && parts.count == n - 1 { break }
            end = m.range.location
            if m.range.location + m.range.length != 0 {
                parts.append(ns.substring(with: NSRange(location: begin, length: end - begin)))
            }
            begin = m.range.location + m.range.length
        }
        if end != ns.length { parts.append(ns.substring(from: begin)) }
        return parts
    }
}

extension GoRegex {
    private func groups(of m: NSTextCheckingResult, in ns: NSString) -> [String?] {
        (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : ns.substring(with: r)
        }
    }

    /// FindStringSubmatch: the first match and its groups (nil for groups that did not take part).
    func submatches(_ s: String) -> [String?]? {
        guard let m = firstMatch(in: s, from: 0) else { return nil }
        return groups(of: m, in: s as NSString)
    }

    func allSubmatches(_ s: String) -> [[String?]] {
        allMatches(in: s, limit: -1).map { groups(of: $0, in: s as NSString) }
    }

    func allMatchStrings(_ s: String) -> [String] {
        allMatches(in: s, limit: -1).map { (s as NSString).substring(with: $0.range) }
    }
}

/// Go's `path/filepath.Match` on `/`-separated names: `*` and `?` stop at `/`, `[...]` classes
/// (negated with `^`), `\` escapes. Malformed patterns are an error, as in Go. Like Go, it
/// matches Unicode scalars (runes), not grapheme clusters.
struct PathPattern: Sendable {
    private enum Token: Sendable {
        case literal(Unicode.Scalar)
        case any          // ?
        case star         // *
        case set(negated: Bool, ranges: [(Unicode.Scalar, Unicode.Scalar)])
    }

    private let tokens: [Token]

    struct BadPattern: Error {}

    init(_ pattern: String) throws(BadPattern) {
        var tokens: [Token] = []
        var chars = Array(pattern.unicodeScalars)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            switch c {
            case "*": tokens.append(.star)
            case "?": tokens.append(.any)
            case "\\":
                guard let next = chars.first else { throw BadPattern() }
                chars = chars.dropFirst()
                tokens.append(.literal(next))
            case "[":
                var negated = false
                if chars.first == "^" { negated = true; chars = chars.dropFirst() }
                var ranges: [(Unicode.Scalar, Unicode.Scalar)] = []
                var first = true
                while true {
                    guard let d = chars.first else { throw BadPattern() }
                    if d == "]" && !first { chars = chars.dropFirst(); break }
                    first = false
                    let lo = try PathPattern.classChar(&chars)
                    var hi = lo
                    if chars.first == "-" {
                        chars = chars.dropFirst()
                        hi = try PathPattern.classChar(&chars)
                    }
                    ranges.append((lo, hi))
                }
                tokens.append(.set(negated: negated, ranges: ranges))
            default: tokens.append(.literal(c))
            }
        }
        self.tokens = tokens
    }

    private static func classChar(_ chars: inout ArraySlice<Unicode.Scalar>) throws(BadPattern) -> Unicode.Scalar {
        guard var c = chars.first, c != "-", c != "]" else { throw BadPattern() }
        chars = chars.dropFirst()
        if c == "\\" {
            guard let e = chars.first else { throw BadPattern() }
            chars = chars.dropFirst()
            c = e
        }
        return c
    }

    func matches(_ name: String) -> Bool {
        let chars = Array(name.unicodeScalars)
        return PathPattern.match(tokens[...], chars[...])
    }

    private static func match(_ p: ArraySlice<Token>, _ s: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let token = p.first else { return s.isEmpty }
        let rest = p.dropFirst()
        switch token {
        case .star:
            var i = s.startIndex
            while true {
                if match(rest, s[i...]) { return true }
                if i == s.endIndex || s[i] == "/" { return false }
                i += 1
            }
        case .any:
            guard let c = s.first, c != "/" else { return false }
            return match(rest, s.dropFirst())
        case .literal(let l):
            guard s.first == l else { return false }
            return match(rest, s.dropFirst())
        case .set(let negated, let ranges):
            guard let c = s.first, c != "/" else { return false }
            let inSet = ranges.contains { $0.0 <= c && c <= $0.1 }
            guard inSet != negated else { return false }
            return match(rest, s.dropFirst())
        }
    }
}

/// gobwas/glob with `/` as separator, as `.Files.Glob` uses it: `*` stays within a path segment,
/// `**` crosses segments, `?`, `[abc]`, `[!a-z]`, `{a,b}` alternatives, `\` escapes.
struct FilesGlob: Sendable {
    private indirect enum Node: Sendable {
        case literal(Character)
        case single            // ?
        case star              // *
        case superStar         // **
        case set(negated: Bool, items: [(Character, Character)])
        case alternatives([[Node]])
    }

    private let nodes: [Node]

    /// A pattern that does not compile matches everything (Helm falls back to `**`).
    init(_ pattern: String) {
        var chars = Array(pattern)[...]
        if let nodes = FilesGlob.parse(&chars, inAlternative: false), chars.isEmpty {
            self.nodes = nodes
        } else {
            self.nodes = [.superStar]
        }
    }

    private static func parse(_ chars: inout ArraySlice<Character>, inAlternative: Bool) -> [Node]? {
        var nodes: [Node] = []
        while let c = chars.first {
            if inAlternative && (c == "," || c == "}") { return nodes }
            chars = chars.dropFirst()
            switch c {
            case "\\":
                guard let next = chars.first else { return nil }
                chars = chars.dropFirst()
                nodes.append(.literal(next))
            case "*":
                if chars.first == "*" {
                    chars = chars.dropFirst()
                    nodes.append(.superStar)
                } else {
                    nodes.append(.star)
                }
            case "?": nodes.append(.single)
            case "[":
                var negated = false
                if chars.first == "!" { negated = true; chars = chars.dropFirst() }
                var items: [(Character, Character)] = []
                while true {
                    guard let d = chars.first else { return nil }
                    chars = chars.dropFirst()
                    if d == "]" { break }
                    if chars.first == "-", chars.count >= 2, chars[chars.startIndex + 1] != "]" {
                        let hi = chars[chars.startIndex + 1]
                        chars = chars.dropFirst(2)
                        items.append((d, hi))
                    } else {
                        items.append((d, d))
                    }
                }
                nodes.append(.set(negated: negated, items: items))
            case "{":
                var options: [[Node]] = []
                while true {
                    guard let option = parse(&chars, inAlternative: true), let end = chars.first else { return nil }
                    chars = chars.dropFirst()
                    options.append(option)
                    if end == "}" { break }
                }
                nodes.append(.alternatives(options))
            default:
                nodes.append(.literal(c))
            }
        }
        return inAlternative ? nil : nodes
    }

    func matches(_ name: String) -> Bool {
        FilesGlob.match(nodes[...], Array(name)[...])
    }

    private static func match(_ p: ArraySlice<Node>, _ s: ArraySlice<Character>) -> Bool {
        guard let node = p.first else { return s.isEmpty }
        let rest = p.dropFirst()
        switch node {
        case .literal(let c):
            return s.first == c && match(rest, s.dropFirst())
        case .single:
            guard let c = s.first, c != "/" else { return false }
            return match(rest, s.dropFirst())
        case .star, .superStar:
            var i = s.startIndex
            while true {
                if match(rest, s[i...]) { return true }
                if i == s.endIndex { return false }
                if case .star = node, s[i] == "/" { return false }
                i += 1
            }
        case .set(let negated, let items):
            guard let c = s.first else { return false }
            let inSet = items.contains { $0.0 <= c && c <= $0.1 }
            return inSet != negated && match(rest, s.dropFirst())
        case .alternatives(let options):
            return options.contains { match(ArraySlice($0 + Array(rest)), s) }
        }
    }
}

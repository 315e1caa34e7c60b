/// `.helmignore` rules, with Helm's semantics (and quirks):
/// a leading `/` anchors to the chart root, a trailing `/` matches directories only, a rule without
/// `/` matches the basename, `**` is rejected, and a negated (`!`) rule ignores everything that
/// does *not* match it.
public struct HelmIgnore: Sendable {
    private struct Rule: Sendable {
        var pattern: PathPattern
        var negate: Bool
        var mustDir: Bool
        var basenameOnly: Bool
    }

    private var rules: [Rule] = []

    public init() {}

    /// Parse a .helmignore file's text.
    public init(parsing text: String) throws(ChartsError) {
        var first = true
        for var line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if first, line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            first = false
            if line.hasSuffix("\r") { line.removeLast() }
            try add(line)
        }
    }

    /// The rule every chart gets: hidden files directly under templates/.
    public mutating func addDefaults() {
        try? add("templates/.?*")
    }

    mutating func add(_ raw: String) throws(ChartsError) {
        var rule = raw.trimmingGoSpace()
        if rule.isEmpty || rule.hasPrefix("#") { return }
        var previousStar = false
        for byte in rule.utf8 {
            let star = byte == UInt8(ascii: "*")
            if star && previousStar { throw ChartsError("double-star (**) syntax is not supported") }
            previousStar = star
        }
        guard (try? PathPattern(rule)) != nil else { throw ChartsError("syntax error in pattern") }
        var negate = false, mustDir = false
        if rule.hasPrefix("!") { negate = true; rule.removeFirst() }
        if rule.hasSuffix("/") { mustDir = true; rule.removeLast() }
        var basenameOnly = false
        if rule.hasPrefix("/") {
            rule.removeFirst()
        } else if !rule.utf8.contains(UInt8(ascii: "/")) {
            basenameOnly = true
        }
        guard let pattern = try? PathPattern(rule) else { throw ChartsError("syntax error in pattern") }
        rules.append(Rule(pattern: pattern, negate: negate, mustDir: mustDir, basenameOnly: basenameOnly))
    }

    /// Whether `path` (relative, `/`-separated) is ignored.
    public func ignores(_ path: String, isDirectory: Bool) -> Bool {
        if path.isEmpty || path == "." || path == "./" { return false }
        for rule in rules {
            let subject = rule.basenameOnly ? basename(path) : path
            if rule.negate {
                if rule.mustDir && !isDirectory { return true }
                if !rule.pattern.matches(subject) { return true }
                continue
            }
            if rule.mustDir && !isDirectory { continue }
            if rule.pattern.matches(subject) { return true }
        }
        return false
    }
}

/// Go's `path.Base` for `/`-separated paths (on UTF-8 bytes: it runs for every walked file).
func basename(_ path: String) -> String {
    let bytes = path.utf8
    let slash = UInt8(ascii: "/")
    var end = bytes.endIndex
    while bytes.distance(from: bytes.startIndex, to: end) > 1, bytes[bytes.index(before: end)] == slash {
        end = bytes.index(before: end)
    }
    if end == bytes.startIndex { return "." }
    var start = end
    while start > bytes.startIndex, bytes[bytes.index(before: start)] != slash { start = bytes.index(before: start) }
    if start == end { return "/" }
    if start == bytes.startIndex && end == bytes.endIndex { return path }
    return String(path[start..<end])
}

extension String {
    /// strings.TrimSpace: Unicode whitespace on both ends.
    /// Whether the text is only whitespace (strings.TrimSpace(s) == "" without the copy).
    var isGoBlank: Bool {
        unicodeScalars.allSatisfy { $0.isASCII ? ($0.value == 0x20 || ($0.value >= 0x09 && $0.value <= 0x0D)) : $0.properties.isWhitespace }
    }

    /// Scalar by scalar (never whole graphemes), ASCII without Unicode property lookups, and
    /// no copy when nothing is trimmed: rendered manifests are trimmed several times each.
    func trimmingGoSpace() -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            if scalar.isASCII {
                let v = scalar.value
                return v == 0x20 || (v >= 0x09 && v <= 0x0D)
            }
            return scalar.properties.isWhitespace
        }
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while start < end {
            let last = scalars.index(before: end)
            guard isSpace(scalars[last]) else { break }
            end = last
        }
        if start == scalars.startIndex && end == scalars.endIndex { return self }
        return String(scalars[start..<end])
    }
}

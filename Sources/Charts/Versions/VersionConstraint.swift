import Foundation

/// A Masterminds/semver v3 constraint such as `>=1.20.0-0 <2`, `~1.2`, `^0.3`, `1.x || 2.0.0 - 2.4`.
/// Used for dependency `version` ranges and Chart.yaml `kubeVersion`.
public struct VersionConstraint: Sendable {
    private struct Term: Sendable {
        var op: String
        var version: SemanticVersion
        var minorDirty: Bool
        var patchDirty: Bool
        var anyVersion: Bool
        var dirty: Bool { minorDirty || patchDirty || anyVersion }
    }

    /// Alternatives (`||`) of conjunctions.
    private var groups: [[Term]]

    public init?(parsing text: String) {
        var groups: [[Term]] = []
        for alternative in text.components(separatedBy: "||") {
            var terms: [Term] = []
            let tokens = VersionConstraint.tokens(alternative)
            if tokens.isEmpty { return nil }
            var i = 0
            while i < tokens.count {
                // hyphen range: A - B
                if i + 2 < tokens.count, tokens[i + 1] == "-" {
                    guard let low = VersionConstraint.term(">=" + tokens[i]), let high = VersionConstraint.term("<=" + tokens[i + 2]) else { return nil }
                    terms += [low, high]
                    i += 3
                    continue
                }
                guard let term = VersionConstraint.term(tokens[i]) else { return nil }
                terms.append(term)
                i += 1
            }
            groups.append(terms)
        }
        self.groups = groups
    }

    /// Split on commas and spaces, gluing an operator to the version that follows it.
    private static func tokens(_ s: String) -> [String] {
        let raw = s.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        var out: [String] = []
        var pendingOp = ""
        for token in raw {
            if ["=", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^"].contains(token) {
                pendingOp = token
                continue
            }
            out.append(pendingOp + token)
            pendingOp = ""
        }
        return out
    }

    private static func term(_ token: String) -> Term? {
        var op = ""
        var rest = Substring(token)
        for candidate in ["!=", ">=", "=>", "<=", "=<", "~>", ">", "<", "=", "~", "^"] where rest.hasPrefix(candidate) {
            op = candidate
            rest = rest.dropFirst(candidate.count)
            break
        }
        if op == "=>" { op = ">=" }
        if op == "=<" { op = "<=" }
        if op == "~>" { op = "~" }
        rest = Substring(rest.trimmingCharacters(in: .whitespaces))
        if rest.hasPrefix("v") { rest = rest.dropFirst() }
        // Wildcards: x, X, * in any position; missing parts count as wildcards too.
        var core = rest
        var suffix = ""
        if let i = core.firstIndex(where: { $0 == "-" || $0 == "+" }) {
            suffix = String(core[i...])
            core = core[..<i]
        }
        let parts = core.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count) else { return nil }
        let isWild: (String) -> Bool = { $0 == "x" || $0 == "X" || $0 == "*" }
        var numbers: [UInt64] = []
        var minorDirty = false, patchDirty = false, anyVersion = false
        for (index, part) in parts.enumerated() {
            if isWild(part) {
                if index == 0 { anyVersion = true }
                if index <= 1 { minorDirty = true }
                patchDirty = true
                numbers.append(0)
                continue
            }
            guard !part.isEmpty, part.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt64(part) else { return nil }
            if minorDirty || patchDirty { return nil }
            numbers.append(n)
        }
        if parts.count < 2 { minorDirty = true }
        if parts.count < 3 { patchDirty = true }
        while numbers.count < 3 { numbers.append(0) }
        guard let version = SemanticVersion(parsing: "\(numbers[0]).\(numbers[1]).\(numbers[2])" + suffix) else { return nil }
        return Term(op: op, version: version, minorDirty: minorDirty && !anyVersion ? true : minorDirty,
                    patchDirty: patchDirty, anyVersion: anyVersion)
    }

    public func isSatisfied(by version: SemanticVersion) -> Bool {
        groups.contains { terms in terms.allSatisfy { VersionConstraint.check(version, $0) } }
    }

    private static func check(_ v: SemanticVersion, _ c: Term) -> Bool {
        // A prerelease version only matches constraints that carry a prerelease themselves.
        if !v.prerelease.isEmpty && c.version.prerelease.isEmpty { return false }
        let cmp = v.compare(c.version)
        switch c.op {
        case "", "=":
            if c.anyVersion { return true }
            if c.dirty { return v.major == c.version.major && (c.minorDirty || v.minor == c.version.minor) }
            return cmp == 0
        case "!=":
            if c.anyVersion { return false }
            if c.dirty { return !(v.major == c.version.major && (c.minorDirty || v.minor == c.version.minor)) }
            return cmp != 0
        case ">":
            if !c.dirty { return cmp > 0 }
            if c.anyVersion { return false }
            if v.major != c.version.major { return v.major > c.version.major }
            if c.minorDirty { return false }
            return v.minor > c.version.minor
        case ">=": return cmp >= 0
        case "<":
            return cmp < 0
        case "<=":
            if !c.dirty { return cmp <= 0 }
            if c.anyVersion { return true }
            if v.major != c.version.major { return v.major < c.version.major }
            if c.minorDirty { return true }
            return v.minor <= c.version.minor
        case "~":
            if cmp < 0 { return false }
            if c.anyVersion { return true }
            if v.major != c.version.major { return false }
            if c.minorDirty { return true }
            return v.minor == c.version.minor
        case "^":
            if cmp < 0 { return false }
            if c.anyVersion { return true }
            if c.version.major > 0 || c.minorDirty { return v.major == c.version.major }
            if v.major != 0 { return false }
            if c.version.minor > 0 || c.patchDirty { return v.minor == c.version.minor }
            return v.minor == 0 && v.patch == c.version.patch
        default:
            return false
        }
    }
}

/// Helm's chartutil.IsCompatibleRange: false when either side does not parse.
func isCompatibleRange(_ constraint: String, _ version: String) -> Bool {
    guard let v = SemanticVersion(parsing: version), let c = VersionConstraint(parsing: constraint) else { return false }
    return c.isSatisfied(by: v)
}

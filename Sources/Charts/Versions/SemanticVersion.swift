/// A SemVer 2 version as Masterminds/semver v3 parses it leniently (`v` prefix, missing minor/patch).
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: UInt64
    public var minor: UInt64
    public var patch: UInt64
    public var prerelease: String
    public var metadata: String

    public init(major: UInt64, minor: UInt64, patch: UInt64, prerelease: String = "", metadata: String = "") {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.metadata = metadata
    }

    public init?(parsing text: String) {
        var s = Substring(text)
        if s.hasPrefix("v") { s = s.dropFirst() }
        var meta = ""
        if let plus = s.firstIndex(of: "+") {
            meta = String(s[s.index(after: plus)...])
            s = s[..<plus]
            guard SemanticVersion.identifiersValid(meta, numericLeadingZeroAllowed: true) else { return nil }
        }
        var pre = ""
        if let dash = s.firstIndex(of: "-") {
            pre = String(s[s.index(after: dash)...])
            s = s[..<dash]
            guard SemanticVersion.identifiersValid(pre, numericLeadingZeroAllowed: false) else { return nil }
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var numbers: [UInt64] = []
        for part in parts {
            guard !part.isEmpty, part.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt64(part) else { return nil }
            numbers.append(n)
        }
        while numbers.count < 3 { numbers.append(0) }
        self.init(major: numbers[0], minor: numbers[1], patch: numbers[2], prerelease: pre, metadata: meta)
    }

    /// Canonical text: `1.2.3-pre+meta` (no `v`, missing parts filled in).
    public var description: String {
        var s = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { s += "-" + prerelease }
        if !metadata.isEmpty { s += "+" + metadata }
        return s
    }

    private static func identifiersValid(_ s: String, numericLeadingZeroAllowed: Bool) -> Bool {
        guard !s.isEmpty else { return false }
        for id in s.split(separator: ".", omittingEmptySubsequences: false) {
            guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return false }
            if !numericLeadingZeroAllowed, id.count > 1, id.first == "0", id.allSatisfy({ $0.isNumber }) { return false }
        }
        return true
    }

    public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool { a.compare(b) < 0 }

    /// -1, 0, 1; build metadata ignored; a prerelease sorts before its release.
    public func compare(_ o: SemanticVersion) -> Int {
        if major != o.major { return major < o.major ? -1 : 1 }
        if minor != o.minor { return minor < o.minor ? -1 : 1 }
        if patch != o.patch { return patch < o.patch ? -1 : 1 }
        if prerelease == o.prerelease { return 0 }
        if prerelease.isEmpty { return 1 }
        if o.prerelease.isEmpty { return -1 }
        let a = prerelease.split(separator: "."), b = o.prerelease.split(separator: ".")
        for i in 0..<max(a.count, b.count) {
            if i >= a.count { return -1 }
            if i >= b.count { return 1 }
            let x = a[i], y = b[i]
            if x == y { continue }
            switch (UInt64(x), UInt64(y)) {
            case let (nx?, ny?): return nx < ny ? -1 : 1
            case (_?, nil): return -1
            case (nil, _?): return 1
            default: return x < y ? -1 : 1
            }
        }
        return 0
    }
}

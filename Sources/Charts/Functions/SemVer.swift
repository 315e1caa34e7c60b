import GoTemplate

/// `semver` and `semverCompare`: Masterminds/semver v3.4.0 (coercing parser, constraint ranges).
enum SemVerFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("semver", .exactly(1)) { a in .object(try SemVersion.parse(try a.string(0))) }
        r.add("semverCompare", .exactly(2)) { a in
            let constraints = try SemVerConstraints(try a.string(0))
            let version = try SemVersion.parse(try a.string(1))
            return .bool(constraints.check(version))
        }
    }
}

/// A parsed version, exposed to templates as Go's `*semver.Version` with its methods.
struct SemVersion: TemplateObject, GoStringer {
    var major: UInt64, minor: UInt64, patch: UInt64
    var pre: String, metadata: String, original: String

    static let loose = try! GoRegex(
        #"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$"#)

    static let num = Set("0123456789")
    static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789")

    static func parse(_ v: String) throws -> SemVersion {
        guard let groups = loose.submatches(v) else { throw TemplateFunctionError("invalid semantic version") }
        func segment(_ s: String) throws -> UInt64 {
            let digits = s.hasPrefix(".") ? String(s.dropFirst()) : s
            guard let n = UInt64(digits) else {
                throw TemplateFunctionError("error parsing version segment: strconv.ParseUint: parsing \(GoText.quote(digits)): value out of range")
            }
            return n
        }
        let version = SemVersion(
            major: try segment(groups[1] ?? "0"), minor: try groups[2].map(segment) ?? 0, patch: try groups[3].map(segment) ?? 0,
            pre: groups[5] ?? "", metadata: groups[8] ?? "", original: v)
        if !version.pre.isEmpty {
            for part in version.pre.split(separator: ".", omittingEmptySubsequences: false) {
                if part.isEmpty { throw TemplateFunctionError("invalid prerelease string") }
                if part.allSatisfy({ num.contains($0) }) {
                    if part.count > 1 && part.first == "0" { throw TemplateFunctionError("version segment starts with 0") }
                } else if !part.allSatisfy({ allowed.contains($0) }) {
                    throw TemplateFunctionError("invalid prerelease string")
                }
            }
        }
        if !version.metadata.isEmpty {
            for part in version.metadata.split(separator: ".", omittingEmptySubsequences: false)
            where part.isEmpty || !part.allSatisfy({ allowed.contains($0) }) {
                throw TemplateFunctionError("invalid metadata string")
            }
        }
        return version
    }

    var string: String {
        var s = "\(major).\(minor).\(patch)"
        if !pre.isEmpty { s += "-" + pre }
        if !metadata.isEmpty { s += "+" + metadata }
        return s
    }

    func compare(_ o: SemVersion) -> Int {
        if major != o.major { return major < o.major ? -1 : 1 }
        if minor != o.minor { return minor < o.minor ? -1 : 1 }
        if patch != o.patch { return patch < o.patch ? -1 : 1 }
        if pre.isEmpty && o.pre.isEmpty { return 0 }
        if pre.isEmpty { return 1 }
        if o.pre.isEmpty { return -1 }
        return SemVersion.comparePrerelease(pre, o.pre)
    }

    static func comparePrerelease(_ v: String, _ o: String) -> Int {
        let s = v.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let t = o.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for i in 0..<max(s.count, t.count) {
            let d = comparePart(i < s.count ? s[i] : "", i < t.count ? t[i] : "")
            if d != 0 { return d }
        }
        return 0
    }

    static func comparePart(_ s: String, _ o: String) -> Int {
        if s == o { return 0 }
        if s.isEmpty { return -1 }
        if o.isEmpty { return 1 }
        let oi = UInt64(o), si = UInt64(s)
        switch (si, oi) {
        case (nil, nil): return s.utf8.lexicographicallyPrecedes(o.utf8) ? -1 : 1
        case (_, nil): return -1
        case (nil, _): return 1
        case (let a?, let b?): return a > b ? 1 : -1
        }
    }

    // MARK: TemplateObject

    var goTypeName: String { "*semver.Version" }
    var goString: String { string }
    var representation: TemplateValue { .string(string) }

    func field(_ name: String) -> TemplateValue? {
        switch name {
        case "Major": return .int64(Int64(bitPattern: major))
        case "Minor": return .int64(Int64(bitPattern: minor))
        case "Patch": return .int64(Int64(bitPattern: patch))
        case "Prerelease": return .string(pre)
        case "Metadata": return .string(metadata)
        case "Original": return .string(original)
        case "String": return .string(string)
        default: return nil
        }
    }

    func call(method name: String, arguments: [TemplateValue]) throws -> TemplateValue? {
        if arguments.isEmpty, let f = field(name) { return f }
        func other() throws -> SemVersion {
            guard arguments.count == 1, case .object(let o) = arguments[0], let v = o as? SemVersion else {
                throw TemplateFunctionError("wrong type for value; expected *semver.Version; got \(arguments.first.map(GoType.name) ?? "nothing")")
            }
            return v
        }
        switch name {
        case "Compare": return .int(compare(try other()))
        case "LessThan": return .bool(compare(try other()) < 0)
        case "LessThanEqual": return .bool(compare(try other()) <= 0)
        case "GreaterThan": return .bool(compare(try other()) > 0)
        case "GreaterThanEqual": return .bool(compare(try other()) >= 0)
        case "Equal": return .bool(compare(try other()) == 0)
        case "IncMajor": return .object(SemVersion(major: major + 1, minor: 0, patch: 0, pre: "", metadata: "", original: "\(major + 1).0.0"))
        case "IncMinor": return .object(SemVersion(major: major, minor: minor + 1, patch: 0, pre: "", metadata: "", original: "\(major).\(minor + 1).0"))
        case "IncPatch":
            let p = pre.isEmpty && metadata.isEmpty ? patch + 1 : patch
            return .object(SemVersion(major: major, minor: minor, patch: p, pre: "", metadata: "", original: "\(major).\(minor).\(p)"))
        default: return nil
        }
    }
}

/// Masterminds constraints: `||` alternatives of comma/space separated comparisons.
struct SemVerConstraints {
    struct Constraint {
        var op: String, original: String, version: SemVersion
        var minorDirty = false, patchDirty = false, dirty = false
    }

    var alternatives: [[Constraint]] = []
    var containsPre: [Bool] = []

    static let cv = #"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"#
    static let ops = #"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"#
    static let constraintRegex = try! GoRegex(#"^\s*("# + ops + #")\s*("# + cv + #")\s*$"#)
    static let rangeRegex = try! GoRegex(#"\s*("# + cv + #")\s+-\s+("# + cv + #")\s*"#)
    static let findRegex = try! GoRegex("(" + ops + #")\s*("# + cv + ")")
    static let validRegex = try! GoRegex(#"^(\s*("# + ops + #")\s*("# + cv + #")\s*)((?:\s+|,\s*)("# + ops + #")\s*("# + cv + #")\s*)*$"#)

    init(_ text: String) throws {
        let rewritten = SemVerConstraints.rewriteRange(text)
        for alternative in StringListFunctions.split(rewritten, by: "||", limit: -1) {
            guard SemVerConstraints.validRegex.submatches(alternative) != nil else {
                throw TemplateFunctionError("improper constraint: \(alternative)")
            }
            var found = SemVerConstraints.findRegex.allMatchStrings(alternative)
            if found.isEmpty { found = [alternative] }
            var parsed: [Constraint] = []
            var hasPre = false
            for s in found {
                let c = try SemVerConstraints.parse(s)
                if !c.version.pre.isEmpty { hasPre = true }
                parsed.append(c)
            }
            alternatives.append(parsed)
            containsPre.append(hasPre)
        }
    }

    static func rewriteRange(_ text: String) -> String {
        var out = text
        for m in rangeRegex.allSubmatches(text) {
            let replacement = ">= \(m[1] ?? ""), <= \(m[11] ?? "") "
            if let range = out.range(of: m[0] ?? "") { out.replaceSubrange(range, with: replacement) }
        }
        return out
    }

    static func isX(_ s: String) -> Bool { s == "x" || s == "X" || s == "*" }

    static func parse(_ s: String) throws -> Constraint {
        if s.isEmpty {
            return Constraint(op: "", original: s, version: try SemVersion.parse("0.0.0"), dirty: true)
        }
        guard let m = constraintRegex.submatches(s) else { throw TemplateFunctionError("improper constraint: \(s)") }
        let major = m[3] ?? "", minor = m[4] ?? "", patch = m[5] ?? "", pre = m[6] ?? ""
        var version = m[2] ?? ""
        var c = Constraint(op: m[1] ?? "", original: m[2] ?? "", version: try SemVersion.parse("0.0.0"))
        if isX(major) || major.isEmpty {
            version = "0.0.0" + pre; c.dirty = true
        } else if isX(String(minor.dropFirst())) || minor.isEmpty {
            c.minorDirty = true; c.dirty = true
            version = major + ".0.0" + pre
        } else if isX(String(patch.dropFirst())) || patch.isEmpty {
            c.dirty = true; c.patchDirty = true
            version = major + minor + ".0" + pre
        }
        guard let v = try? SemVersion.parse(version) else { throw TemplateFunctionError("constraint parser error") }
        c.version = v
        return c
    }

    func check(_ v: SemVersion) -> Bool {
        for (i, alternative) in alternatives.enumerated()
        where alternative.allSatisfy({ SemVerConstraints.check(v, $0, includePre: containsPre[i]) }) {
            return true
        }
        return false
    }

    static func check(_ v: SemVersion, _ c: Constraint, includePre: Bool) -> Bool {
        if !v.pre.isEmpty && !includePre { return false }
        let con = c.version
        switch c.op {
        case "", "=":
            return c.dirty ? tilde(v, c) : v.compare(con) == 0
        case "!=":
            if c.dirty {
                if con.major != v.major { return true }
                if con.minor != v.minor && !c.minorDirty { return true }
                if c.minorDirty { return false }
                if con.patch != v.patch && !c.patchDirty { return true }
                if c.patchDirty {
                    if !v.pre.isEmpty || !con.pre.isEmpty { return SemVersion.comparePrerelease(v.pre, con.pre) != 0 }
                    return false
                }
            }
            return v.compare(con) != 0
        case ">":
            if !c.dirty { return v.compare(con) == 1 }
            if v.major > con.major { return true }
            if v.major < con.major { return false }
            if c.minorDirty { return false }
            if c.patchDirty { return v.minor > con.minor }
            return v.compare(con) == 1
        case "<": return v.compare(con) < 0
        case ">=", "=>": return v.compare(con) >= 0
        case "<=", "=<":
            if !c.dirty { return v.compare(con) <= 0 }
            if v.major > con.major { return false }
            if v.major == con.major && v.minor > con.minor && !c.minorDirty { return false }
            return true
        case "~", "~>": return tilde(v, c)
        case "^":
            if v.compare(con) < 0 { return false }
            if con.major > 0 || c.minorDirty { return v.major == con.major }
            if con.major == 0 && v.major > 0 { return false }
            if con.minor > 0 || c.patchDirty { return v.minor == con.minor }
            if con.minor == 0 && v.minor > 0 { return false }
            return con.patch == v.patch
        default: return false
        }
    }

    static func tilde(_ v: SemVersion, _ c: Constraint) -> Bool {
        let con = c.version
        if v.compare(con) < 0 { return false }
        if con.major == 0 && con.minor == 0 && con.patch == 0 && !c.minorDirty && !c.patchDirty { return true }
        if v.major != con.major { return false }
        if v.minor != con.minor && !c.minorDirty { return false }
        return true
    }
}

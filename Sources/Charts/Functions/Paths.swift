import GoTemplate

/// Go's path package (and path/filepath, identical on Linux) as Sprig exposes it.
enum PathFunctions {
    static func register(into r: inout FunctionRegistry) {
        for prefix in ["", "os"] {
            func name(_ base: String) -> String { prefix.isEmpty ? base : prefix + base.prefix(1).uppercased() + base.dropFirst() }
            r.add(name("base"), .exactly(1)) { a in .string(base(try a.string(0))) }
            r.add(name("dir"), .exactly(1)) { a in .string(dir(try a.string(0))) }
            r.add(name("clean"), .exactly(1)) { a in .string(clean(try a.string(0))) }
            r.add(name("ext"), .exactly(1)) { a in .string(ext(try a.string(0))) }
            r.add(name("isAbs"), .exactly(1)) { a in .bool(try a.string(0).hasPrefix("/")) }
        }
    }

    static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if let last = parts.last, last != ".." { parts.removeLast() }
                else if !rooted { parts.append(segment) }
                continue
            }
            parts.append(segment)
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    static func base(_ path: String) -> String {
        if path.isEmpty { return "." }
        var p = Substring(path)
        while p.count > 0 && p.hasSuffix("/") { p = p.dropLast() }
        if let slash = p.lastIndex(of: "/") { p = p[p.index(after: slash)...] }
        return p.isEmpty ? "/" : String(p)
    }

    static func dir(_ path: String) -> String {
        let cut = path.lastIndex(of: "/").map { path[...$0] } ?? ""
        return clean(String(cut))
    }

    static func ext(_ path: String) -> String {
        var i = path.unicodeScalars.endIndex
        let scalars = path.unicodeScalars
        while i > scalars.startIndex {
            let j = scalars.index(before: i)
            if scalars[j] == "/" { break }
            if scalars[j] == "." { return String(scalars[j...]) }
            i = j
        }
        return ""
    }
}

import Foundation

/// RFC 3986 reference resolution as Go's net/url does it (ResolveReference, then String): the
/// scheme lowercased, dot segments removed, the path printed percent-escaped.
extension JSONSchema {
    struct URLParts {
        var scheme: String?
        var authority: String?
        var path: String
        var query: String?

        init(_ text: String) {
            var rest = Substring(text)
            if let colon = rest.firstIndex(of: ":"), let first = rest.first, first.isLetter,
                rest[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) {
                scheme = rest[..<colon].lowercased()
                rest = rest[rest.index(after: colon)...]
            }
            if let q = rest.firstIndex(of: "?") {
                query = String(rest[rest.index(after: q)...])
                rest = rest[..<q]
            }
            if rest.hasPrefix("//") {
                rest = rest.dropFirst(2)
                let slash = rest.firstIndex(of: "/") ?? rest.endIndex
                authority = String(rest[..<slash])
                rest = rest[slash...]
            }
            path = String(rest).removingPercentEncoding ?? String(rest)
        }

        var text: String {
            var out = scheme.map { $0 + ":" } ?? ""
            if let authority { out += "//" + authority }
            out += JSONSchema.escapePath(path)
            if let query { out += "?" + query }
            return out
        }
    }

    static func resolveURL(_ reference: String, against base: String) -> String {
        let ref = URLParts(reference)
        var result = URLParts(base)
        if ref.scheme != nil {
            result = ref
            if result.path.hasPrefix("/") { result.path = removeDotSegments(result.path) }
            return result.text
        }
        result.query = ref.query
        if let authority = ref.authority {
            result.authority = authority
            result.path = removeDotSegments(ref.path)
        } else if ref.path.isEmpty {
            result.query = ref.query ?? URLParts(base).query
        } else if ref.path.hasPrefix("/") {
            result.path = removeDotSegments(ref.path)
        } else {
            let directory = result.path.lastIndex(of: "/").map { String(result.path[...$0]) } ?? "/"
            result.path = removeDotSegments(directory + ref.path)
        }
        return result.text
    }

    static func removeDotSegments(_ path: String) -> String {
        var out: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (i, segment) in segments.enumerated() {
            let last = i == segments.count - 1
            switch segment {
            case ".": if last { out.append("") }
            case "..":
                if !out.isEmpty { out.removeLast() }
                if last { out.append("") }
            default: out.append(segment)
            }
        }
        return "/" + out.joined(separator: "/")
    }

    /// Go's escaping of a URL path: unreserved characters and `$&+,/:;=@` stay.
    static func escapePath(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            let c = Character(UnicodeScalar(byte))
            if byte < 0x80, c.isLetter || c.isNumber || "-_.~$&+,/:;=@".contains(c) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

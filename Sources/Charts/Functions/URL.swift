import GoTemplate

/// `urlParse` and `urlJoin` with Go net/url's parsing and printing rules.
enum URLFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("urlParse", .exactly(1)) { a in
            let u = try GoURL.parse(try a.string(0))
            return .map([
                "scheme": .string(u.scheme), "host": .string(u.host), "hostname": .string(u.hostname),
                "path": .string(u.path), "query": .string(u.rawQuery), "opaque": .string(u.opaque),
                "fragment": .string(u.fragment), "userinfo": .string(u.userinfo ?? ""),
            ])
        }
        r.add("urlJoin", .exactly(1)) { a in
            let d = try a.map(0)
            func field(_ key: String) throws -> String {
                guard let v = d[key] else { return "" }
                guard case .string(let s) = v else {
                    if v.isNil { throw ListFunctions.nilType }
                    throw TemplateFunctionError("unable to parse \(key) key, must be of type string, but \(GoType.kind(of: v)) found")
                }
                return s
            }
            var u = GoURL()
            u.scheme = try field("scheme"); u.host = try field("host"); u.path = try field("path")
            u.rawQuery = try field("query"); u.opaque = try field("opaque"); u.fragment = try field("fragment")
            let info = try field("userinfo")
            if !info.isEmpty {
                let parsed = try GoURL.parse("proto://\(info)@host")
                u.userinfo = parsed.userinfo
            }
            return .string(u.string)
        }
    }
}

struct GoURL {
    var scheme = "", opaque = "", userinfo: String? = nil, host = "", path = "", rawQuery = "", fragment = ""

    var hostname: String {
        if host.hasPrefix("[") { return String(host.dropFirst().prefix { $0 != "]" }) }
        if let colon = host.lastIndex(of: ":") { return String(host[..<colon]) }
        return host
    }

    static func unescape(_ s: Substring) throws -> String {
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%") {
                guard i + 2 < b.count, let v = UInt8(String(decoding: b[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) else {
                    let bad = String(decoding: b[i..<min(i + 3, b.count)], as: UTF8.self)
                    throw TemplateFunctionError("invalid URL escape \(GoText.quote(bad))")
                }
                out.append(v); i += 3
            } else { out.append(b[i]); i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func parse(_ raw: String) throws -> GoURL {
        func fail(_ why: String) -> TemplateFunctionError {
            TemplateFunctionError("unable to parse url: parse \(GoText.quote(raw)): \(why)")
        }
        var u = GoURL()
        var rest = Substring(raw)
        if let hash = rest.firstIndex(of: "#") {
            u.fragment = (try? unescape(rest[rest.index(after: hash)...])) ?? ""
            rest = rest[..<hash]
        }
        if rest.contains(where: { $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false }) {
            throw fail("net/url: invalid control character in URL")
        }
        // Scheme: letter then letters, digits, + - . up to ':'.
        if let colon = rest.firstIndex(of: ":"), let first = rest.first, first.isLetter, first.isASCII {
            let candidate = rest[..<colon]
            if candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) {
                u.scheme = candidate.lowercased()
                rest = rest[rest.index(after: colon)...]
            }
        } else if rest.first == ":" {
            throw fail("missing protocol scheme")
        }
        if let q = rest.firstIndex(of: "?") {
            u.rawQuery = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        if !rest.hasPrefix("/") && !u.scheme.isEmpty {
            u.opaque = String(rest)
            return u
        }
        if (!u.scheme.isEmpty || !rest.hasPrefix("///")) && rest.hasPrefix("//") {
            let authorityAndPath = rest.dropFirst(2)
            let end = authorityAndPath.firstIndex(of: "/") ?? authorityAndPath.endIndex
            var authority = authorityAndPath[..<end]
            rest = authorityAndPath[end...]
            if let at = authority.lastIndex(of: "@") {
                u.userinfo = try userinfoString(authority[..<at])
                authority = authority[authority.index(after: at)...]
            }
            u.host = try unescape(authority)
        }
        u.path = try unescape(rest)
        return u
    }

    /// Userinfo as url.Userinfo.String() prints it (re-escaped).
    static func userinfoString(_ s: Substring) throws -> String {
        var user = s, password: Substring? = nil
        if let colon = s.firstIndex(of: ":") { user = s[..<colon]; password = s[s.index(after: colon)...] }
        var out = escape(try unescape(user), keep: "-_.~!$&'()*+,;=")
        if let password { out += ":" + escape(try unescape(password), keep: "-_.~!$&'()*+,;=") }
        return out
    }

    static func escape(_ s: String, keep: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if b < 0x80 && (c.isLetter || c.isNumber || keep.contains(c)) { out.append(c) }
            else { out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2) }
        }
        return out
    }

    var string: String {
        var out = ""
        if !scheme.isEmpty { out += scheme + ":" }
        if !opaque.isEmpty {
            out += opaque
        } else {
            if !scheme.isEmpty || !host.isEmpty || userinfo != nil {
                if !host.isEmpty || !path.isEmpty || userinfo != nil { out += "//" }
                if let userinfo { out += userinfo + "@" }
                if !host.isEmpty { out += GoURL.escape(host, keep: "-_.~!$&'()*+,;=:[]<>\"") }
            }
            let p = GoURL.escape(path, keep: "-_.~$&+,/:;=@")
            if !p.isEmpty && !p.hasPrefix("/") && !host.isEmpty { out += "/" }
            if out.isEmpty, let segment = p.split(separator: "/", omittingEmptySubsequences: false).first, segment.contains(":") {
                out += "./"
            }
            out += p
        }
        if !rawQuery.isEmpty { out += "?" + rawQuery }
        if !fragment.isEmpty { out += "#" + GoURL.escape(fragment, keep: "-_.~$&+,/:;=@!()*?'") }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

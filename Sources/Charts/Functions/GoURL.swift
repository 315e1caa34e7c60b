/// A URL as Go's net/url (Go 1.25) parses and prints it: `urlParse`/`urlJoin` and the JSON
/// Schema `uri` formats accept, refuse and word their refusals as `url.Parse` does.
struct GoURL {
    /// A url.Parse failure: `parse "URL": reason`.
    struct ParseError: Error {
        let url: [UInt8]
        let reason: String
        var message: String { "parse \(GoText.quoteBytes(url)): \(reason)" }
    }

    var scheme = "", opaque = "", userinfo: String? = nil, host = "", path = "", rawQuery = "", fragment = ""
    /// The path as written when its default escaping differs (url.URL.RawPath).
    var rawPath = ""

    /// url.URL.Hostname: the host without a valid port, brackets removed.
    var hostname: String {
        var h = Substring(host)
        if let colon = h.lastIndex(of: ":"), GoURL.validOptionalPort(Array(h[colon...].utf8)) { h = h[..<colon] }
        if h.hasPrefix("["), h.hasSuffix("]") { h = h.dropFirst().dropLast() }
        return String(h)
    }

    /// Which part of a URL is being unescaped or escaped (url.encoding).
    enum Part { case path, pathSegment, host, zone, userPassword, queryComponent, fragment }

    /// url.Parse.
    static func parse(_ raw: String) throws(ParseError) -> GoURL {
        let bytes = Array(raw.utf8)
        let hash = bytes.firstIndex(of: UInt8(ascii: "#"))
        let main = Array(bytes[..<(hash ?? bytes.count)])
        var u: GoURL
        do { u = try parseWithoutFragment(main) } catch { throw ParseError(url: main, reason: error.reason) }
        guard let hash, hash + 1 < bytes.count else { return u }
        do { u.fragment = try unescape(bytes[(hash + 1)...], .fragment) } catch { throw ParseError(url: bytes, reason: error.reason) }
        return u
    }

    private struct Failure: Error { let reason: String }

    private static func parseWithoutFragment(_ s: [UInt8]) throws(Failure) -> GoURL {
        var u = GoURL()
        if s.contains(where: { $0 < 0x20 || $0 == 0x7F }) { throw Failure(reason: "net/url: invalid control character in URL") }
        if s == [UInt8(ascii: "*")] { u.path = "*"; return u }
        var rest = s[...]
        // Scheme: [a-zA-Z][a-zA-Z0-9+-.]* then ':'.
        scan: for (i, c) in s.enumerated() {
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                if i == 0 { break scan }
            case UInt8(ascii: ":"):
                if i == 0 { throw Failure(reason: "missing protocol scheme") }
                u.scheme = String(decoding: s[..<i], as: UTF8.self).lowercased()
                rest = s[(i + 1)...]
                break scan
            default: break scan
            }
        }
        let question = UInt8(ascii: "?")
        if rest.last == question && rest.filter({ $0 == question }).count == 1 {
            rest = rest.dropLast()
        } else if let q = rest.firstIndex(of: question) {
            u.rawQuery = String(decoding: rest[(q + 1)...], as: UTF8.self)
            rest = rest[..<q]
        }
        let slash = UInt8(ascii: "/")
        if rest.first != slash {
            if !u.scheme.isEmpty {
                u.opaque = String(decoding: rest, as: UTF8.self)
                return u
            }
            let segment = rest.prefix { $0 != slash }
            if segment.contains(UInt8(ascii: ":")) { throw Failure(reason: "first path segment in URL cannot contain colon") }
        }
        let tripleSlash = rest.starts(with: [slash, slash, slash])
        if (!u.scheme.isEmpty || !tripleSlash) && rest.starts(with: [slash, slash]) {
            let authorityAndPath = rest.dropFirst(2)
            let end = authorityAndPath.firstIndex(of: slash) ?? authorityAndPath.endIndex
            try parseAuthority(authorityAndPath[..<end], into: &u)
            rest = authorityAndPath[end...]
        }
        do { u.path = try unescape(rest, .path) } catch { throw Failure(reason: error.reason) }
        if escape(Array(u.path.utf8), .path) != Array(rest) { u.rawPath = String(decoding: rest, as: UTF8.self) }
        return u
    }

    private static func parseAuthority(_ authority: ArraySlice<UInt8>, into u: inout GoURL) throws(Failure) {
        let at = authority.lastIndex(of: UInt8(ascii: "@"))
        u.host = try parseHost(at.map { authority[($0 + 1)...] } ?? authority)
        guard let at else { return }
        let info = authority[..<at]
        let text = String(decoding: info, as: UTF8.self)
        guard !text.unicodeScalars.contains(where: { !isUserinfoCharacter($0) }), String(validating: info, as: UTF8.self) != nil else {
            throw Failure(reason: "net/url: invalid userinfo")
        }
        do {
            if let colon = info.firstIndex(of: UInt8(ascii: ":")) {
                let user = try unescape(info[..<colon], .userPassword)
                let password = try unescape(info[(colon + 1)...], .userPassword)
                u.userinfo = escapeText(user, .userPassword) + ":" + escapeText(password, .userPassword)
            } else {
                u.userinfo = escapeText(try unescape(info, .userPassword), .userPassword)
            }
        } catch { throw Failure(reason: error.reason) }
    }

    private static func isUserinfoCharacter(_ c: Unicode.Scalar) -> Bool {
        guard c.isASCII else { return false }
        let b = UInt8(c.value)
        if isAlphanumeric(b) { return true }
        return "-._:~!$&'()*+,;=%@".utf8.contains(b)
    }

    /// parseHost: `host[:port]`; a bracketed host must be an IPv6 address (Go 1.25's check).
    private static func parseHost(_ host: ArraySlice<UInt8>) throws(Failure) -> String {
        func invalidPort(_ p: ArraySlice<UInt8>) -> Failure { Failure(reason: "invalid port \(GoText.quoteBytes(Array(p))) after host") }
        do {
            if let open = host.lastIndex(of: UInt8(ascii: "[")) {
                if open != host.startIndex { throw Failure(reason: "invalid IP-literal") }
                guard let close = host.lastIndex(of: UInt8(ascii: "]")) else { throw Failure(reason: "missing ']' in host") }
                let colonPort = host[(close + 1)...]
                if !validOptionalPort(Array(colonPort)) { throw invalidPort(colonPort) }
                let port = try unescape(colonPort, .host)
                let name = host[(open + 1)..<close]
                var unescaped: String
                if let zone = firstRange(of: Array("%25".utf8), in: name) {
                    unescaped = try unescape(name[..<zone], .host) + unescape(name[zone...], .zone)
                } else {
                    unescaped = try unescape(name, .host)
                }
                switch NetIPAddress.parse(Array(unescaped.utf8)) {
                case .failure(let failure): throw Failure(reason: "invalid host: " + failure.message(input: unescaped))
                case .success:
                    if !unescaped.utf8.contains(UInt8(ascii: ":")) { throw Failure(reason: "invalid IP-literal") }
                }
                return "[" + unescaped + "]" + port
            }
            if let colon = host.lastIndex(of: UInt8(ascii: ":")) {
                let colonPort = host[colon...]
                if !validOptionalPort(Array(colonPort)) { throw invalidPort(colonPort) }
            }
            return try unescape(host, .host)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(reason: (error as? EscapeFailure)?.reason ?? "\(error)")
        }
    }

    private static func firstRange(of needle: [UInt8], in hay: ArraySlice<UInt8>) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in hay.startIndex...(hay.endIndex - needle.count) where hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
        return nil
    }

    static func validOptionalPort(_ port: [UInt8]) -> Bool {
        guard let first = port.first else { return true }
        return first == UInt8(ascii: ":") && port.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    struct EscapeFailure: Error { let reason: String }

    /// url.unescape: `%XX` decoding with Go's refusals (bad escapes; in hosts, ASCII that
    /// must not appear and `%` escapes of ASCII).
    static func unescape(_ s: ArraySlice<UInt8>, _ part: Part) throws(EscapeFailure) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == UInt8(ascii: "%") {
                guard i + 2 < s.endIndex, let hi = hexValue(s[i + 1]), let lo = hexValue(s[i + 2]) else {
                    throw EscapeFailure(reason: "invalid URL escape " + GoText.quoteBytes(Array(s[i..<min(i + 3, s.endIndex)])))
                }
                let isPercent25 = s[i + 1] == UInt8(ascii: "2") && s[i + 2] == UInt8(ascii: "5")
                if part == .host && hi < 8 && !isPercent25 {
                    throw EscapeFailure(reason: "invalid URL escape " + GoText.quoteBytes(Array(s[i..<(i + 3)])))
                }
                let v = hi << 4 | lo
                if part == .zone && !isPercent25 && v != UInt8(ascii: " ") && shouldEscape(v, .host) {
                    throw EscapeFailure(reason: "invalid URL escape " + GoText.quoteBytes(Array(s[i..<(i + 3)])))
                }
                out.append(v)
                i += 3
                continue
            }
            if (part == .host || part == .zone) && c < 0x80 && shouldEscape(c, part) {
                throw EscapeFailure(reason: "invalid character " + GoText.quoteBytes([c]) + " in host name")
            }
            out.append(c == UInt8(ascii: "+") && part == .queryComponent ? UInt8(ascii: " ") : c)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
    }

    /// url.shouldEscape.
    static func shouldEscape(_ c: UInt8, _ part: Part) -> Bool {
        if isAlphanumeric(c) { return false }
        if part == .host || part == .zone, "!$&'()*+,;=:[]<>\"".utf8.contains(c) { return false }
        switch c {
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"): return false
        case UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: "/"),
             UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "@"):
            switch part {
            case .path: return c == UInt8(ascii: "?")
            case .pathSegment: return c == UInt8(ascii: "/") || c == UInt8(ascii: ";") || c == UInt8(ascii: ",") || c == UInt8(ascii: "?")
            case .userPassword: return c == UInt8(ascii: "@") || c == UInt8(ascii: "/") || c == UInt8(ascii: "?") || c == UInt8(ascii: ":")
            case .queryComponent: return true
            case .fragment: return false
            case .host, .zone: break
            }
        default: break
        }
        if part == .fragment, "!()*".utf8.contains(c) { return false }
        return true
    }

    /// url.escape (no query-component space rule: unused here).
    static func escape(_ s: [UInt8], _ part: Part) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        for c in s {
            if shouldEscape(c, part) { out += [UInt8(ascii: "%"), hex[Int(c >> 4)], hex[Int(c & 15)]] } else { out.append(c) }
        }
        return out
    }

    static func escapeText(_ s: String, _ part: Part) -> String { String(decoding: escape(Array(s.utf8), part), as: UTF8.self) }

    /// url.URL.String.
    var string: String {
        var out = ""
        if !scheme.isEmpty { out += scheme + ":" }
        if !opaque.isEmpty {
            out += opaque
        } else {
            if !scheme.isEmpty || !host.isEmpty || userinfo != nil {
                if !host.isEmpty || !path.isEmpty || userinfo != nil { out += "//" }
                if let userinfo { out += userinfo + "@" }
                if !host.isEmpty { out += GoURL.escapeText(host, .host) }
            }
            let p = GoURL.escapeText(path, .path)
            if !p.isEmpty && !p.hasPrefix("/") && !host.isEmpty { out += "/" }
            if out.isEmpty, let segment = p.split(separator: "/", omittingEmptySubsequences: false).first, segment.contains(":") {
                out += "./"
            }
            out += p
        }
        if !rawQuery.isEmpty { out += "?" + rawQuery }
        if !fragment.isEmpty { out += "#" + GoURL.escapeText(fragment, .fragment) }
        return out
    }
}

/// The URI formats, `period` and `semver` as santhosh-tekuri/jsonschema v6 (the version Helm
/// 4.1.4 builds with) checks them: URIs go through Go's url.Parse (`GoURL`), whose refusals are
/// the messages; `iri`/`iri-reference` are checked exactly as `uri`/`uri-reference`.
extension JSONSchemaFormat {
    /// parseURL: url.Parse, then an IPv6 host must be bracketed and valid.
    private static func parseURL(_ s: String) -> Result<GoURL, Message> {
        let u: GoURL
        do { u = try GoURL.parse(s) } catch { return .failure(Message(text: error.message)) }
        let hostname = u.hostname
        if hostname.contains(":") {
            if !u.host.contains("[") || !u.host.contains("]") { return .failure(Message(text: "ipv6 address not enclosed in brackets")) }
            if let problem = ipv6(hostname) { return .failure(Message(text: "invalid ipv6 address: " + problem)) }
        }
        return .success(u)
    }

    private struct Message: Error { let text: String }

    static func uri(_ s: String) -> String? {
        switch parseURL(s) {
        case .failure(let m): return m.text
        case .success(let u): return u.scheme.isEmpty ? "relative url" : nil
        }
    }

    static func uriReference(_ s: String) -> String? {
        if s.contains("\\") { return "contains \\" }
        if case .failure(let m) = parseURL(s) { return m.text }
        return nil
    }

    /// Braces in each segment of the path as written (only when its escaping is not Go's own).
    static func uriTemplate(_ s: String) -> String? {
        let u: GoURL
        switch parseURL(s) {
        case .failure(let m): return m.text
        case .success(let parsed): u = parsed
        }
        for token in u.rawPath.split(separator: "/", omittingEmptySubsequences: false) {
            let decoded: String
            do { decoded = try GoURL.unescape(ArraySlice(token.utf8), .pathSegment) } catch {
                return "percent decode failed: " + error.reason
            }
            var wantOpen = true
            for c in decoded.unicodeScalars where c == "{" || c == "}" {
                if (c == "{") != wantOpen { return "nested curly braces" }
                wantOpen.toggle()
            }
            if !wantOpen { return "no matching closing brace" }
        }
        return nil
    }

    /// `start/end`: a duration and a date-time, or two date-times, or a date-time and a duration.
    static func period(_ s: String) -> String? {
        guard let slash = s.firstIndex(of: "/") else { return "missing slash" }
        let start = String(s[..<slash]), end = String(s[s.index(after: slash)...])
        if start.hasPrefix("P") {
            if let m = duration(start) { return "invalid start duration: " + m }
            if let m = dateTime(Array(end.utf8)) { return "invalid end date-time: " + m }
            return nil
        }
        if let m = dateTime(Array(start.utf8)) { return "invalid start date-time: " + m }
        if end.hasPrefix("P") {
            if let m = duration(end) { return "invalid end duration: " + m }
        } else if let m = dateTime(Array(end.utf8)) {
            return "invalid end date-time: " + m
        }
        return nil
    }

    /// Semantic Versioning 2.0.0's grammar: build, then pre-release, then the version core.
    static func semver(_ text: String) -> String? {
        var s = Substring(text)
        func isIdentifierCharacter(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "-") }
        if let plus = s.firstIndex(of: "+") {
            let build = s[s.index(after: plus)...]
            if build.isEmpty { return "build is empty" }
            for id in build.split(separator: ".", omittingEmptySubsequences: false) {
                if id.isEmpty { return "build identifier is empty" }
                if let bad = id.first(where: { !isIdentifierCharacter($0) }) { return "invalid character \(goChar(bad)) in build identifier" }
            }
            s = s[..<plus]
        }
        if let dash = s.firstIndex(of: "-") {
            for id in s[s.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false) {
                if id.isEmpty { return "pre-release identifier is empty" }
                if let bad = id.first(where: { !isIdentifierCharacter($0) }) { return "invalid character \(goChar(bad)) in pre-release identifier" }
                if id.count > 1, id.hasPrefix("0"), id.allSatisfy({ $0.isASCII && $0.isNumber }) { return "pre-release numeric identifier starts with zero" }
            }
            s = s[..<dash]
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count != 3 { return "versionCore must have 3 numbers separated by dot" }
        for (name, part) in zip(["major", "minor", "patch"], parts) {
            if part.isEmpty { return "\(name) is empty" }
            if part.utf8.count > 1 && part.hasPrefix("0") { return "\(name) starts with zero" }
            if !part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return "\(name) contains non-digit" }
        }
        return nil
    }
}

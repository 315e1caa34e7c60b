/// One request to the API server, before authentication and transport.
struct APIRequest: Sendable {
    var method: String
    /// Already escaped, starting with `/`.
    var path: String
    var query: [(String, String)] = []
    var body: [UInt8]?
    var contentType: String?
    var accept = "application/json"
    /// May be replayed after an ambiguous failure (see `RetryPolicy`).
    var idempotent: Bool
    /// Whole-request timeout (head and body); nil for streams.
    var timeout: Duration?
    /// For messages built when the server sends no Status: `configmaps`, `apps`, `web`.
    var resource = ""
    var group = ""
    var name = ""

    init(method: String, path: String, query: [(String, String)] = [], idempotent: Bool? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.idempotent = idempotent ?? (method != "POST" && method != "PATCH")
    }

    /// `path?query`, query values percent-encoded.
    var pathAndQuery: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
    }
}

/// Resource paths: `/api/v1/namespaces/ns/configmaps/name` or `/apis/apps/v1/deployments`.
enum ResourcePath {
    static func groupVersionPrefix(group: String, version: String) -> String {
        group.isEmpty ? "/api/\(escapeSegment(version))" : "/apis/\(escapeSegment(group))/\(escapeSegment(version))"
    }

    static func path(
        group: String, version: String, resource: String, namespace: String?, name: String? = nil, subresource: String? = nil
    ) -> String {
        var path = groupVersionPrefix(group: group, version: version)
        if let namespace, !namespace.isEmpty { path += "/namespaces/" + escapeSegment(namespace) }
        path += "/" + escapeSegment(resource)
        if let name { path += "/" + escapeSegment(name) }
        if let subresource { path += "/" + escapeSegment(subresource) }
        return path
    }
}

private func isUnreserved(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
        || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
}

private let hexDigits = Array("0123456789ABCDEF".utf8)

/// Percent-encode everything but RFC 3986 unreserved characters (query keys and values).
func percentEncode(_ s: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count)
    for byte in s.utf8 {
        if isUnreserved(byte) {
            out.append(byte)
        } else {
            out.append(UInt8(ascii: "%"))
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0xF)])
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// Escape one path segment (also `:` and `@`-safe, `/` never passes through).
func escapeSegment(_ s: String) -> String {
    var out: [UInt8] = []
    for byte in s.utf8 {
        if isUnreserved(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@") {
            out.append(byte)
        } else {
            out.append(UInt8(ascii: "%"))
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0xF)])
        }
    }
    return String(decoding: out, as: UTF8.self)
}

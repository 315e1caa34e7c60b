import Foundation
import Structured

/// One HTTP request as the API layer sees it (already read in full).
public struct SimRequest: Sendable {
    public var method: String
    public var uri: String
    public var path: String
    /// Query parameters, first value of each name, percent-decoded.
    public var query: [String: String]
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Authenticated identity, nil when anonymous.
    public var user: String?

    public init(method: String, uri: String, headers: [(String, String)], body: [UInt8], user: String? = nil) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
        self.user = user
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = parts.first.map { Self.decode(String($0), plus: false) } ?? "/"
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = Self.decode(String(kv[0]), plus: true)
                let value = kv.count > 1 ? Self.decode(String(kv[1]), plus: true) : ""
                if query[key] == nil { query[key] = value }
            }
        }
        self.query = query
    }

    /// Percent-decoding (and `+` as space in query parts); most parts have neither, and
    /// Foundation's decoder costs more than the rest of parsing a request.
    private static func decode(_ text: String, plus: Bool) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plus && $0 == UInt8(ascii: "+")) }) else { return text }
        let spaced = plus ? text.replacingOccurrences(of: "+", with: " ") : text
        return spaced.removingPercentEncoding ?? spaced
    }

    public func header(_ name: String) -> String? {
        headers.first { Self.sameASCIIIgnoringCase($0.0, name) }?.1
    }

    private static func sameASCIIIgnoringCase(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        return zip(x, y).allSatisfy { p, q in p == q || (p | 0x20 == q | 0x20 && (p | 0x20) >= 0x61 && (p | 0x20) <= 0x7A) }
    }

    public var rawQuery: String {
        guard let i = uri.firstIndex(of: "?") else { return "" }
        return String(uri[uri.index(after: i)...])
    }
}

/// A response: complete, streamed in chunks (logs), or a watch (chunks the server's event loop
/// takes straight from the watch's queue).
public enum SimResponse: Sendable {
    case full(status: Int, headers: [(String, String)], body: [UInt8])
    case stream(status: Int, headers: [(String, String)], chunks: AsyncStream<[UInt8]>)
    case watch(status: Int, headers: [(String, String)], feed: WatchFeed)

    public var status: Int {
        switch self { case .full(let s, _, _), .stream(let s, _, _), .watch(let s, _, _): return s }
    }

    /// The body chunks of a streamed or watch response, read by a task.
    var chunks: AsyncStream<[UInt8]>? {
        switch self {
        case .full: return nil
        case .stream(_, _, let chunks): return chunks
        case .watch(_, _, let feed): return feed.chunks()
        }
    }

    /// The same response with a `Warning: 299 - "..."` header per message (as the API server
    /// reports dropped unknown fields; clients print them).
    func adding(warnings: [String]) -> SimResponse {
        guard !warnings.isEmpty else { return self }
        let extra = warnings.map { ("Warning", "299 - \"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"") }
        switch self {
        case .full(let status, let headers, let body): return .full(status: status, headers: headers + extra, body: body)
        case .stream(let status, let headers, let chunks): return .stream(status: status, headers: headers + extra, chunks: chunks)
        case .watch(let status, let headers, let feed): return .watch(status: status, headers: headers + extra, feed: feed)
        }
    }

    static func json(_ status: Int, _ body: [UInt8], contentType: String = "application/json") -> SimResponse {
        .full(status: status, headers: [("Content-Type", contentType)], body: body)
    }

    static func error(_ error: APIError) -> SimResponse {
        var headers = [("Content-Type", "application/json")]
        if let retry = error.retryAfterSeconds { headers.append(("Retry-After", String(retry))) }
        return .full(status: error.code, headers: headers, body: JSON.wireBytes(error.status))
    }
}

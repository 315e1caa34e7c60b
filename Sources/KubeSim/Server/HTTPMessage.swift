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
        path = parts.first.map { String($0).removingPercentEncoding ?? String($0) } ?? "/"
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(kv[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(kv[0])
                let value = kv.count > 1 ? (String(kv[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(kv[1])) : ""
                if query[key] == nil { query[key] = value }
            }
        }
        self.query = query
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    public var rawQuery: String {
        guard let i = uri.firstIndex(of: "?") else { return "" }
        return String(uri[uri.index(after: i)...])
    }
}

/// A response: complete, or streamed in chunks (watches).
public enum SimResponse: Sendable {
    case full(status: Int, headers: [(String, String)], body: [UInt8])
    case stream(status: Int, headers: [(String, String)], chunks: AsyncStream<[UInt8]>)

    public var status: Int {
        switch self { case .full(let s, _, _), .stream(let s, _, _): return s }
    }

    /// The same response with a `Warning: 299 - "..."` header per message (as the API server
    /// reports dropped unknown fields; clients print them).
    func adding(warnings: [String]) -> SimResponse {
        guard !warnings.isEmpty else { return self }
        let extra = warnings.map { ("Warning", "299 - \"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"") }
        switch self {
        case .full(let status, let headers, let body): return .full(status: status, headers: headers + extra, body: body)
        case .stream(let status, let headers, let chunks): return .stream(status: status, headers: headers + extra, chunks: chunks)
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

/// Tunables of the HTTP client. Defaults are documented in docs/kube.md.
public struct TransportOptions: Sendable {
    /// Client-side rate limit; `qps <= 0` disables it.
    public var qps: Double = 100
    public var burst: Int = 200
    public var retry = RetryPolicy()
    /// Whole-request timeout for ordinary requests (not watches or log streams).
    public var requestTimeout: Duration = .seconds(60)
    public var connectTimeout: Duration = .seconds(10)
    /// Keep-alive connections per host (HTTP/1.1); HTTP/2 multiplexes over one.
    public var maxConnectionsPerHost = 32
    /// Allow HTTP/2 when the server offers it by ALPN.
    public var allowHTTP2 = true
    public var userAgent = "bosun"

    public init() {}
}

/// When and how long to wait before trying a request again.
///
/// What is retried (see docs/kube.md):
/// - a connection that could not be opened (refused, connect timeout, DNS): every request, the
///   server never saw it;
/// - 429 Too Many Requests: every request (the server rejects it before any handler runs),
///   waiting `Retry-After` when given;
/// - 500, 502, 503, 504 and connections dropped mid-request: only idempotent requests — GET
///   (get, list, watch, logs), server-side apply, PUT update (carries a resourceVersion, so a
///   replay cannot silently overwrite), merge patch, DELETE. Never POST (create) nor JSON/strategic
///   patches, which could apply twice.
public struct RetryPolicy: Sendable {
    /// Total tries, the first included. 1 disables retries.
    public var maxAttempts: Int
    public var initialDelay: Duration
    public var maxDelay: Duration
    public var multiplier: Double
    /// Upper bound for a server's `Retry-After`.
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 6, initialDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(5),
        multiplier: Double = 2, maxRetryAfter: Duration = .seconds(30)
    ) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.multiplier = multiplier
        self.maxRetryAfter = maxRetryAfter
    }

    public static let none = RetryPolicy(maxAttempts: 1)

    /// Exponential backoff with "equal jitter": half the step fixed, half random, so a burst of
    /// clients that failed together spreads out. `attempt` is 1 after the first failure.
    /// `random` is in [0, 1). A server's `Retry-After` replaces the computed delay.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil, random: Double) -> Duration {
        if let retryAfter { return min(retryAfter, maxRetryAfter) }
        let initial = initialDelay.seconds
        let step = min(maxDelay.seconds, initial * pow2(multiplier, attempt - 1))
        let seconds = step / 2 + random * step / 2
        return .nanoseconds(Int64(seconds * 1e9))
    }

    private func pow2(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<max(0, min(exponent, 62)) { result *= base }
        return result
    }

    /// What went wrong with one try.
    public enum Failure: Sendable, Equatable {
        /// No connection was made: the server never saw the request.
        case notSent
        /// The connection broke after the request may have been sent.
        case interrupted
        /// The server answered with this HTTP status.
        case status(Int)
    }

    /// Whether a request (`idempotent` or not) that failed this way may be tried again.
    public func isRetryable(_ failure: Failure, idempotent: Bool) -> Bool {
        switch failure {
        case .notSent: return true
        case .interrupted: return idempotent
        case .status(429): return true
        case .status(500), .status(502), .status(503), .status(504): return idempotent
        case .status: return false
        }
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

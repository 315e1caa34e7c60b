/// A token bucket: `qps` tokens a second, at most `burst` saved up. Pure arithmetic on a time
/// given by the caller, so it can be tested without waiting.
///
/// Reservations may drive the balance negative: each caller learns how long to wait for its own
/// token, so waiters are served in arrival order at exactly `qps`.
public struct TokenBucket: Sendable {
    public let qps: Double
    public let burst: Int
    private var tokens: Double
    private var last: Double?

    public init(qps: Double, burst: Int) {
        self.qps = qps
        self.burst = max(1, burst)
        self.tokens = Double(max(1, burst))
    }

    /// Take one token at time `now` (seconds on any monotonic scale); returns how many seconds
    /// the caller must wait before using it (0 when a token was available).
    public mutating func reserve(now: Double) -> Double {
        if let last, now > last {
            tokens = min(Double(burst), tokens + (now - last) * qps)
        }
        if last == nil || now > last! { last = now }
        tokens -= 1
        return tokens >= 0 ? 0 : -tokens / qps
    }
}

/// Client-side rate limit shared by every request of one client (kubectl's `--qps/--burst` idea).
/// Defaults: 100 requests/s, bursts of 200 — above kubectl's 50/300 average so a parallel
/// deploy of hundreds of objects is not throttled by us before the server pushes back with 429.
public actor RateLimiter {
    private var bucket: TokenBucket?
    private let start = ContinuousClock.now

    /// `qps <= 0` disables limiting.
    public init(qps: Double, burst: Int) {
        bucket = qps > 0 ? TokenBucket(qps: qps, burst: burst) : nil
    }

    func reserve() -> Duration {
        guard bucket != nil else { return .zero }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let wait = bucket!.reserve(now: seconds)
        return .nanoseconds(Int64(wait * 1e9))
    }

    /// Wait for a token; honours cancellation.
    public func acquire() async throws {
        let wait = reserve()
        if wait > .zero { try await Task.sleep(for: wait) }
    }
}

import Testing

@testable import Kube

@Suite struct RateLimiterTests {
    @Test func burstThenSteadyRate() {
        var bucket = TokenBucket(qps: 10, burst: 3)
        // Three tokens are there at once; the fourth caller waits a tenth of a second, the fifth two.
        #expect(bucket.reserve(now: 0) == 0)
        #expect(bucket.reserve(now: 0) == 0)
        #expect(bucket.reserve(now: 0) == 0)
        #expect(abs(bucket.reserve(now: 0) - 0.1) < 1e-9)
        #expect(abs(bucket.reserve(now: 0) - 0.2) < 1e-9)
        // After a second the debt (2) is repaid and 8 tokens accrued, capped at the burst of 3.
        #expect(bucket.reserve(now: 1) == 0)
        #expect(bucket.reserve(now: 1) == 0)
        #expect(bucket.reserve(now: 1) == 0)
        #expect(abs(bucket.reserve(now: 1) - 0.1) < 1e-9)
    }

    @Test func refillIsCappedAtBurst() {
        var bucket = TokenBucket(qps: 1, burst: 2)
        _ = bucket.reserve(now: 0)
        _ = bucket.reserve(now: 0)
        #expect(bucket.reserve(now: 100) == 0)
        #expect(bucket.reserve(now: 100) == 0)
        #expect(abs(bucket.reserve(now: 100) - 1) < 1e-9)
    }

    @Test func disabledLimiterNeverWaits() async throws {
        let limiter = RateLimiter(qps: 0, burst: 0)
        let start = ContinuousClock.now
        for _ in 0..<1000 { try await limiter.acquire() }
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func limiterSpacesRequests() async throws {
        let limiter = RateLimiter(qps: 50, burst: 1)
        let start = ContinuousClock.now
        for _ in 0..<6 { try await limiter.acquire() }
        // 1 immediate + 5 at 20 ms each.
        #expect(ContinuousClock.now - start >= .milliseconds(95))
    }
}

import Testing

@testable import Kube

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 5, initialDelay: .milliseconds(100), maxDelay: .seconds(1), multiplier: 2)

    @Test func exponentialWithEqualJitter() {
        #expect(policy.delay(afterAttempt: 1, random: 0) == .milliseconds(50))
        #expect(policy.delay(afterAttempt: 1, random: 0.999_999_999) < .milliseconds(100))
        #expect(policy.delay(afterAttempt: 2, random: 0) == .milliseconds(100))
        #expect(policy.delay(afterAttempt: 3, random: 0.5) == .milliseconds(300))
        // Capped: 100ms * 2^9 > 1 s.
        #expect(policy.delay(afterAttempt: 10, random: 0) == .milliseconds(500))
        #expect(policy.delay(afterAttempt: 10, random: 1) == .seconds(1))
    }

    @Test func retryAfterWinsAndIsCapped() {
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(3), random: 0.7) == .seconds(3))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(3600), random: 0) == .seconds(30))
    }

    @Test func whatIsRetried() {
        for idempotent in [true, false] {
            #expect(policy.isRetryable(.notSent, idempotent: idempotent))
            #expect(policy.isRetryable(.status(429), idempotent: idempotent))
            #expect(!policy.isRetryable(.status(409), idempotent: idempotent))
            #expect(!policy.isRetryable(.status(404), idempotent: idempotent))
            #expect(!policy.isRetryable(.status(422), idempotent: idempotent))
            #expect(!policy.isRetryable(.status(501), idempotent: idempotent))
        }
        for code in [500, 502, 503, 504] {
            #expect(policy.isRetryable(.status(code), idempotent: true))
            #expect(!policy.isRetryable(.status(code), idempotent: false))
        }
        #expect(policy.isRetryable(.interrupted, idempotent: true))
        #expect(!policy.isRetryable(.interrupted, idempotent: false))
    }

    @Test func requestIdempotencyByMethod() {
        #expect(APIRequest(method: "GET", path: "/").idempotent)
        #expect(APIRequest(method: "PUT", path: "/").idempotent)
        #expect(APIRequest(method: "DELETE", path: "/").idempotent)
        #expect(!APIRequest(method: "POST", path: "/").idempotent)
        #expect(!APIRequest(method: "PATCH", path: "/").idempotent)
        #expect(Patch.merge([:]).isIdempotent)
        #expect(!Patch.json([]).isIdempotent)
        #expect(!Patch.strategicMerge([:]).isIdempotent)
    }
}

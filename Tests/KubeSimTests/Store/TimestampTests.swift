import Foundation
import Testing
@testable import KubeSim

/// RFC 3339 timestamps in whole seconds, UTC: hand-written digits and the per-second cache of `now`.
@Suite struct TimestampTests {
    @Test func formatsWholeSecondsInUTC() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_767_225_599)) == "2025-12-31T23:59:59Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_767_225_600)) == "2026-01-01T00:00:00Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59Z")
    }

    @Test func fractionsRoundDownToTheirSecond() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_767_225_599.999)) == "2025-12-31T23:59:59Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_767_225_600.001)) == "2026-01-01T00:00:00Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59Z")
    }

    @Test func yearsBeyondFourDigitsKeepPrintfWidths() {
        // Year 10000 and year -1 (before 0000) take the printf path: %04d.
        #expect(Timestamp.format(Date(timeIntervalSince1970: 253_402_300_800)) == "10000-01-01T00:00:00Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -62_198_755_200)) == "-001-01-01T00:00:00Z")
    }

    @Test func agreesWithFoundationsFormatterAcrossSecondsAndDays() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        for seconds in stride(from: 1_700_000_000, to: 1_700_000_000 + 3 * 86_400, by: 997) {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(Timestamp.format(date) == formatter.string(from: date))
        }
    }

    @Test func nowIsTheCurrentSecondAcrossASecondBoundary() async throws {
        // Straddle at least one second boundary: the cached text must follow the clock. Bounded by
        // a deadline, not a count of sleeps, so a loaded machine only makes it slower.
        var seen: Set<String> = []
        let deadline = Date().addingTimeInterval(10)
        while seen.count < 2 && Date() < deadline {
            let before = Date().timeIntervalSince1970.rounded(.down)
            let text = Timestamp.now()
            let after = Date().timeIntervalSince1970.rounded(.down)
            let parsed = try #require(Timestamp.parse(text)).timeIntervalSince1970
            #expect(parsed >= before && parsed <= after)
            seen.insert(text)
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(seen.count >= 2)
        #expect(Timestamp.parse(Timestamp.now()).map { abs($0.timeIntervalSinceNow) < 2 } == true)
    }
}

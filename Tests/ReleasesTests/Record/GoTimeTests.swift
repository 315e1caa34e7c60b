import Testing
@testable import Releases

@Suite struct GoTimeTests {
    @Test func parsesAndPrintsRFC3339Nano() throws {
        let t = try #require(GoTime(rfc3339: "2026-11-21T16:31:08.740569155Z"))
        #expect(t.rfc3339Nano == "2026-11-21T16:31:08.740569155Z")
        #expect(t.goString == "2026-11-21 16:31:08.740569155 +0000 UTC")
        #expect(t.ansic == "Sat Nov 21 16:31:08 2026")
        #expect(t.microTime == "2026-11-21T16:31:08.740569Z")
    }

    @Test func keepsTheWritersOffset() throws {
        let t = try #require(GoTime(rfc3339: "2024-02-29T23:05:01.5+02:00"))
        #expect(t.rfc3339Nano == "2024-02-29T23:05:01.5+02:00")
        #expect(t.ansic == "Thu Feb 29 23:05:01 2024")
        #expect(t.goString == "2024-02-29 23:05:01.5 +0200 +0200")
        #expect(t.seconds == GoTime(rfc3339: "2024-02-29T21:05:01Z")!.seconds)
    }

    @Test func zeroTimeIsGos() throws {
        #expect(GoTime(rfc3339: "0001-01-01T00:00:00Z") == .zero)
        #expect(GoTime.zero.ansic == "Mon Jan  1 00:00:00 0001")
        #expect(GoTime(rfc3339: "2026-01-05T00:00:00Z")!.ansic == "Mon Jan  5 00:00:00 2026")
    }

    @Test(arguments: ["", "2026-11-21", "2026-13-01T00:00:00Z", "2026-11-21T16:31:08", "2026-11-21T16:31:08.Z", "x2026-11-21T16:31:08Z"])
    func rejectsMalformed(text: String) {
        #expect(GoTime(rfc3339: text) == nil)
    }

    @Test func arithmetic() {
        let t = GoTime(seconds: 100, nanoseconds: 900_000_000)
        let u = t.adding(seconds: 1.2)
        #expect(u.seconds == 102 && u.nanoseconds == 100_000_000)
        #expect(abs(u.seconds(since: t) - 1.2) < 1e-9)
    }
}

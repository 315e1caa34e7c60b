import Testing
@testable import Tracking

@Suite struct GoSyntaxTests {
    @Test(arguments: [
        ("0", 0.0), ("90s", 90), ("5m", 300), ("1h30m", 5400), ("1.5s", 1.5), ("250ms", 0.25), ("-2s", -2), ("+3s", 3),
        ("1us", 1e-6), ("1µs", 1e-6), ("2ns", 2e-9), (".5m", 30), ("1h0m0s", 3600),
    ])
    func durations(text: String, seconds: Double) {
        #expect(GoSyntax.parseDuration(text).map { abs($0 - seconds) < 1e-12 } == true)
    }

    @Test(arguments: ["", "5", "1d", "s", "1.2.3s", "m5", "-", "1 s", "."])
    func badDurations(text: String) {
        #expect(GoSyntax.parseDuration(text) == nil)
    }

    @Test func bools() {
        for t in ["1", "t", "T", "TRUE", "true", "True"] { #expect(GoSyntax.parseBool(t) == true) }
        for f in ["0", "f", "F", "FALSE", "false", "False"] { #expect(GoSyntax.parseBool(f) == false) }
        for bad in ["yes", "tRUE", "", "2"] { #expect(GoSyntax.parseBool(bad) == nil) }
    }
}

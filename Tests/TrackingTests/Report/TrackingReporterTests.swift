import Foundation
@preconcurrency import Rainbow
import TestSupport
import Testing
@testable import Tracking

/// Golden files live in Tests/Fixtures/Tracking/Report; `scripts/update-tracking-goldens.sh`
/// rewrites them (BOSUN_UPDATE_GOLDENS=1) after a deliberate change of the output.
@Suite struct TrackingReporterTests {
    static let goldens = Repository.root + "/Tests/Fixtures/Tracking/Report/"

    static func expectGolden(_ text: String, _ file: String) throws {
        let path = goldens + file
        if ProcessInfo.processInfo.environment["BOSUN_UPDATE_GOLDENS"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == golden, "output differs from \(file)")
    }

    /// Feed the scenario: opening events, one refresh, closing events.
    static func play(_ options: ReporterOptions) async -> String {
        let clock = ManualReportClock()
        let output = CapturedOutput()
        let reporter = TrackingReporter(options: options, sink: output, clock: clock)
        for (advance, event) in ReportScenario.opening(clock) {
            clock.advance(advance)
            await reporter.handle(event)
        }
        await reporter.refresh()
        for (advance, event) in ReportScenario.closing() {
            clock.advance(advance)
            await reporter.handle(event)
        }
        return output.text
    }

    @Test(arguments: [80, 200])
    func tableGolden(width: Int) async throws {
        let text = await Self.play(ReporterOptions(width: width))
        try Self.expectGolden(text, "table-\(width).txt")
        // Everything fits but log lines, which are never cut (they are what the user needs to read).
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.hasPrefix("[pod/") {
            #expect(line.count <= width, "line wider than \(width): \(line)")
        }
        #expect(!text.contains("\u{1B}"))
    }

    @Test func jsonLinesGolden() async throws {
        let text = await Self.play(ReporterOptions(format: .json))
        try Self.expectGolden(text, "events.jsonl")
        let lines = text.split(separator: "\n")
        #expect(lines.count == ReportScenario.opening(ManualReportClock()).count + ReportScenario.closing().count)
        for line in lines { #expect(line.hasPrefix("{\"type\":")) }
    }

    @Test func terminalRedrawsTheTableInPlace() async {
        let output = CapturedOutput()
        let clock = ManualReportClock()
        let reporter = TrackingReporter(options: ReporterOptions(width: 100, isTerminal: true), sink: output, clock: clock)
        await reporter.handle(.state(ReportScenario.web, ReportScenario.webProgressing))
        await reporter.refresh()
        let firstTable = output.text
        let height = firstTable.split(separator: "\n").count
        await reporter.refresh()
        #expect(output.text.hasPrefix(firstTable + "\u{1B}[\(height)A\r\u{1B}[J"))
        // A log line takes the table off the screen first; the next refresh draws it below the line.
        await reporter.handle(.log(ReportScenario.web, LogLine(pod: "p", container: "c", text: "hello")))
        #expect(output.text.hasSuffix("\u{1B}[\(height)A\r\u{1B}[J[pod/p/c] hello\n"))
    }

    @Test func readyResourcesAreShownOnceThenHidden() async {
        let output = CapturedOutput()
        let reporter = TrackingReporter(options: ReporterOptions(width: 100), sink: output, clock: ManualReportClock())
        await reporter.handle(.state(ReportScenario.config, ResourceState(phase: .ready)))
        await reporter.handle(.state(ReportScenario.claim, ReportScenario.claimPending))
        await reporter.refresh()
        #expect(output.text.contains("ConfigMap/web-config"))
        let before = output.text.count
        await reporter.refresh()
        let second = String(output.text.dropFirst(before))
        #expect(!second.contains("ConfigMap/web-config"))
        #expect(second.contains("PersistentVolumeClaim/data"))
        #expect(second.hasPrefix("Status progress (0s): 1/2 ready, 1 waiting"))
    }

    @Test func oneReporterAcrossSeveralSessionsSummarisesAtFinish() async {
        let output = CapturedOutput()
        let clock = ManualReportClock()
        let reporter = TrackingReporter(options: ReporterOptions(width: 80, summaryOnResult: false), sink: output, clock: clock)
        await reporter.handle(.state(ReportScenario.config, ResourceState(phase: .ready)))
        await reporter.handle(.result(TrackingResult(outcomes: [ResourceOutcome(id: ReportScenario.config, kind: .ready)])))
        clock.advance(3)
        await reporter.handle(.state(ReportScenario.claim, ReportScenario.claimPending))
        clock.advance(2)
        await reporter.handle(.state(ReportScenario.claim, ResourceState(phase: .ready)))
        await reporter.handle(.result(TrackingResult(outcomes: [ResourceOutcome(id: ReportScenario.claim, kind: .ready)])))
        #expect(!output.text.contains("Summary"))
        await reporter.finish()
        #expect(output.text.hasSuffix("""
            Summary: 2 ready
              READY     ConfigMap/web-config        0s
              READY     PersistentVolumeClaim/data  2s

            """))
    }

    @Test func noColorWinsOverATerminal() {
        #expect(ReporterOptions.detect(isTerminal: true, terminalWidth: 120, noColor: false, environment: [:]).color)
        #expect(!ReporterOptions.detect(isTerminal: true, terminalWidth: 120, noColor: false, environment: ["NO_COLOR": "1"]).color)
        #expect(!ReporterOptions.detect(isTerminal: true, terminalWidth: 120, noColor: true, environment: [:]).color)
        #expect(!ReporterOptions.detect(isTerminal: false, terminalWidth: nil, noColor: false, environment: [:]).color)
        #expect(ReporterOptions.detect(isTerminal: false, terminalWidth: nil, noColor: false, environment: ["COLUMNS": "90"]).width == 90)
        #expect(ReporterOptions.detect(isTerminal: true, terminalWidth: 300, noColor: false, environment: [:]).width == 200)
    }

    @Test func coloursFollowTheState() {
        let palette = Palette(enabled: true)
        let plain = Palette(enabled: false)
        #expect(plain.phase("READY", .ready) == "READY")
        // Rainbow decides the escape codes (and drops them when not writing to a console); either way
        // the text is kept and states get different styling when it colours.
        #expect(palette.phase("READY", .ready).contains("READY"))
        #expect(palette.phase("FAILED", .failed).contains("FAILED"))
    }

    @Test func textFitting() {
        #expect(TextFit.truncate("abcdefgh", 5) == "abcd…")
        #expect(TextFit.elide("Deployment/very-long-name", 12) == "Deplo…g-name")
        #expect(TextFit.seconds(65.7) == "1m5s")
        #expect(GoDuration.string(240) == "4m0s")
        #expect(GoDuration.string(1.5) == "1.5s")
        #expect(GoDuration.string(3600) == "1h0m0s")
        #expect(GoDuration.string(0.25) == "250ms")
    }
}

@Suite(.serialized) struct ReporterColourTests {
    /// With colour on (and Rainbow writing to what it believes is a console), states are coloured:
    /// green ready, yellow waiting, red failed. Without, no escape code at all.
    @Test func coloursThroughRainbow() async {
        let saved = (Rainbow.outputTarget, Rainbow.enabled)
        Rainbow.outputTarget = .console
        Rainbow.enabled = true
        defer { (Rainbow.outputTarget, Rainbow.enabled) = saved }
        let output = CapturedOutput()
        let reporter = TrackingReporter(options: ReporterOptions(width: 100, color: true), sink: output, clock: ManualReportClock())
        await reporter.handle(.state(ReportScenario.config, ResourceState(phase: .ready)))
        await reporter.handle(.state(ReportScenario.claim, ReportScenario.claimPending))
        await reporter.refresh()
        #expect(output.text.contains("\u{1B}[32mREADY\u{1B}[0m"))
        #expect(output.text.contains("\u{1B}[33mWAITING\u{1B}[0m"))
        #expect(output.text.contains("\u{1B}[32mConfigMap/web-config"))
    }
}

import Foundation
import Testing
import TestSupport

@testable import Charts

/// Broken charts under Tests/Fixtures/Charts/broken: helm 4 and bosun must fail with the same message.
@Suite struct ChartTemplateBrokenTests {
    @Test func brokenChartsFailLikeHelm() throws {
        let root = RenderHarness.fixtures + "/broken"
        let cases = try RenderHarness.cases(file: RenderHarness.fixtures + "/broken.cases")
        #expect(cases.count >= 30)
        let argumentLists: [[String]] = cases.map { c in
            let path = root + "/" + c.name
            if let first = c.arguments.first, !first.hasPrefix("-") { return [first, path] + c.arguments.dropFirst() }
            return [path] + c.arguments
        }
        let (mismatches, helmOutcomes) = try RenderHarness.compare(argumentLists)
        for (arguments, outcome) in zip(argumentLists, helmOutcomes) where outcome.succeeded {
            Issue.record("helm accepted broken case \(arguments)")
        }
        for m in mismatches {
            Issue.record("\(m.arguments.joined(separator: " ")):\n--- helm\n\(m.helm)\n--- ours\n\(m.ours)")
        }
    }
}

/// The `bosun render` command itself: helm's positional forms, errors on stderr, non-zero exit.
@Suite struct RenderCommandTests {
    static var bosun: String { Repository.root + "/.build/debug/bosun" }

    @Test func errorsExitNonZeroWithHelmMessage() throws {
        let chart = RenderHarness.fixtures + "/broken/required"
        let result = try runProcess(Self.bosun, ["render", chart])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: execution error at (broken/templates/t.yaml:1:6): image.tag is required\n\nUse --debug flag to render out invalid YAML\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func positionalNameAndFlagsMatchHelm() throws {
        let chart = RenderHarness.fixtures + "/features/release-data"
        let ours = try runProcess(Self.bosun, ["render", "named", chart, "-n", "ns1", "--is-upgrade"])
        let viaFlag = try runProcess(Self.bosun, ["render", chart, "-r", "named", "--namespace", "ns1", "--is-upgrade"])
        let helm = try HelmOracle.template(["named", chart, "-n", "ns1", "--is-upgrade"])
        #expect(ours.succeeded && viaFlag.succeeded)
        #expect(ours.stdout == helm.stdout)
        #expect(viaFlag.stdout == helm.stdout)
    }

    @Test func tooManyArgumentsIsAnError() throws {
        let result = try runProcess(Self.bosun, ["render", "a", "b", "c"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("expected at most two arguments, unexpected arguments: c"))
    }

    @Test func outputDirectoryWritesFilesLikeHelm() throws {
        let chart = RenderHarness.fixtures + "/features/hooks"
        let ourDir = try makeTemporaryDirectory("bosun-out"), helmDir = try makeTemporaryDirectory("helm-out")
        defer { try? FileManager.default.removeItem(atPath: ourDir); try? FileManager.default.removeItem(atPath: helmDir) }
        let ours = try runProcess(Self.bosun, ["render", chart, "--output-dir", ourDir])
        let helm = try HelmOracle.template([chart, "--output-dir", helmDir])
        #expect(ours.stdout.replacingOccurrences(of: ourDir, with: "DIR") == helm.stdout.replacingOccurrences(of: helmDir, with: "DIR"))
        for file in ["hooks/templates/hooks.yaml", "hooks/templates/svc.yaml", "hooks/templates/tests/test.yaml"] {
            let a = try String(contentsOfFile: ourDir + "/" + file, encoding: .utf8)
            let b = try String(contentsOfFile: helmDir + "/" + file, encoding: .utf8)
            #expect(a == b, "\(file)")
        }
    }
}

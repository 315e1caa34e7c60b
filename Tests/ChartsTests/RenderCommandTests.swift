import Foundation
import Testing
import TestSupport

@testable import Charts

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

    @Test func valuesFromStandardInputLikeHelm() throws {
        let chart = RenderHarness.fixtures + "/features/multidoc"
        let input = "a: from-stdin\nm: {q: 2}\n"
        for arguments in [["-f", "-"], ["--set-file", "fromStdin=-"], ["-f", chart + "/override-1.yaml", "-f", "-"]] {
            let ours = try runProcess(Self.bosun, ["render", chart] + arguments, input: input)
            let helm = try runProcess(try Oracle.helm4.path(), ["template", chart] + arguments, input: input)
            #expect(helm.succeeded, "\(helm.stderr)")
            #expect(ours.stdout == helm.stdout, "\(arguments)\n\(RenderHarness.firstDifference(helm.stdout, ours.stdout))")
        }
    }

    @Test func outputDirectoryWithReleaseNameAndCRDsLikeHelm() throws {
        let chart = RenderHarness.fixtures + "/features/crds"
        let ourDir = try makeTemporaryDirectory("bosun-out"), helmDir = try makeTemporaryDirectory("helm-out")
        defer { try? FileManager.default.removeItem(atPath: ourDir); try? FileManager.default.removeItem(atPath: helmDir) }
        let flags = ["--include-crds", "--release-name", "--name-template", "{{ print \"rel\" }}"]
        let ours = try runProcess(Self.bosun, ["render", chart, "--output-dir", ourDir] + flags)
        let helm = try HelmOracle.template([chart, "--output-dir", helmDir] + flags)
        #expect(helm.succeeded, "\(helm.stderr)")
        #expect(ours.stdout.replacingOccurrences(of: ourDir, with: "DIR") == helm.stdout.replacingOccurrences(of: helmDir, with: "DIR"))
        let helmFiles = try FileManager.default.subpathsOfDirectory(atPath: helmDir).sorted()
        let ourFiles = try FileManager.default.subpathsOfDirectory(atPath: ourDir).sorted()
        #expect(ourFiles == helmFiles)
        for file in helmFiles where !file.hasSuffix("/") {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: helmDir + "/" + file, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let a = try? String(contentsOfFile: ourDir + "/" + file, encoding: .utf8)
            let b = try String(contentsOfFile: helmDir + "/" + file, encoding: .utf8)
            #expect(a == b, "\(file)")
        }
    }

    @Test func generateNameWithAPositionalNameFails() throws {
        let chart = RenderHarness.fixtures + "/features/release-data"
        let ours = try runProcess(Self.bosun, ["render", "named", chart, "-g"])
        let helm = try HelmOracle.template(["named", chart, "-g"])
        #expect(!helm.succeeded && ours.status == 1)
        #expect(ours.stderr == helm.stderr)
    }
}

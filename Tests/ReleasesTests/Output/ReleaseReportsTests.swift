import Foundation
import Structured
import Testing
import TestSupport
@testable import Releases

/// Records written by Bosun, read by real helm (memory driver preloaded with Bosun's JSON): helm must
/// print exactly what Bosun's own reports print, and be able to roll back.
@Suite struct ReleaseReportsTests {
    /// A three-revision history whose chart came from helm 4 itself (so rollback has a real chart).
    func history(dir: String) throws -> [Release] {
        let chart = try HelmFixtures.makeChart(in: dir)
        var base = try ReleaseCodec.decodeJSON(try HelmFixtures.installJSON(helm: .helm4, dir: dir, chart: chart))
        base.info.firstDeployed = GoTime(rfc3339: "2026-03-01T10:00:00.5Z")
        var revisions: [Release] = []
        for v in 1...3 {
            var r = base
            r.version = v
            r.info.lastDeployed = GoTime(rfc3339: "2026-03-0\(v)T10:00:00.25Z")
            r.setStatus(v == 3 ? .deployed : .superseded, v == 1 ? "Install complete" : "Upgrade complete")
            r.config = v == 2 ? .emptyObject : ["a": .int(Int64(v)), "text": "<&>", "deep": ["f": 1.5, "nil": nil]]
            revisions.append(r)
        }
        return revisions
    }

    @Test(arguments: [Oracle.helm4, Oracle.helm3])
    func helmPrintsWhatBosunStored(helm: Oracle) throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let revisions = try history(dir: dir)
        func helmOut(_ args: [String]) throws -> String {
            let r = try HelmFixtures.run(helm, args + ["-n", "ns1"], releases: revisions, dir: dir)
            #expect(r.succeeded, "helm \(args): \(r.stderr)")
            return r.stdout
        }
        let last = revisions[2]
        #expect(try helmOut(["history", "rel1"]) == ReleaseReports.historyTable(revisions))
        #expect(try helmOut(["history", "rel1", "--max", "2"]) == ReleaseReports.historyTable(ReleaseReports.historyWindow(revisions, max: 2)))
        #expect(try helmOut(["history", "rel1", "-o", "json"]) == ReleaseReports.historyJSON(revisions))
        let rows = try ReleaseListing().select(revisions).map { ReleaseReports.ListRow($0) }
        #expect(try helmOut(["list"]) == ReleaseReports.listTable(rows))
        #expect(try helmOut(["list", "-o", "json"]) == ReleaseReports.listJSON(rows))
        #expect(try helmOut(["list", "--superseded", "-o", "json"])
            == ReleaseReports.listJSON(try ReleaseListing(superseded: true).select(revisions).map { ReleaseReports.ListRow($0) }))
        #expect(try helmOut(["get", "manifest", "rel1"]) == ReleaseReports.manifest(last))
        #expect(try helmOut(["get", "manifest", "rel1", "--revision", "1"]) == ReleaseReports.manifest(revisions[0]))
        #expect(try helmOut(["get", "hooks", "rel1"]) == ReleaseReports.hooks(last))
        #expect(try helmOut(["get", "notes", "rel1"]) == ReleaseReports.notes(last))
        #expect(try helmOut(["get", "values", "rel1", "-o", "json"]) == (try ReleaseReports.values(last, all: false, format: .json)))
        #expect(try helmOut(["get", "values", "rel1", "--revision", "2"]) == "USER-SUPPLIED VALUES:\nnull\n")
        #expect(try helmOut(["get", "values", "rel1", "--revision", "2", "-o", "json"])
            == (try ReleaseReports.values(revisions[1], all: false, format: .json)))
        #expect(try helmOut(["get", "values", "rel1", "--all", "-o", "json"]) == (try ReleaseReports.values(last, all: true, format: .json)))
        #expect(try helmOut(["list", "-o", "yaml"]) == (try ReleaseReports.listYAML(rows)))
        #expect(try helmOut(["history", "rel1", "-o", "yaml"]) == (try ReleaseReports.historyYAML(revisions)))
        #expect(try helmOut(["get", "values", "rel1"]) == (try ReleaseReports.values(last, all: false, format: .table)))
        #expect(try helmOut(["get", "values", "rel1", "-o", "yaml"]) == (try ReleaseReports.values(last, all: false, format: .yaml)))
        #expect(try helmOut(["get", "values", "rel1", "--all"]) == (try ReleaseReports.values(last, all: true, format: .table)))
        if helm == .helm4 {
            // Helm 3's status has no DESCRIPTION line and prints `get all` differently; the rest is shared.
            #expect(try helmOut(["status", "rel1"]) == (try ReleaseReports.status(last)))
            #expect(try helmOut(["get", "all", "rel1"]) == (try ReleaseReports.status(last, all: true)))
        }
        let rollback = try HelmFixtures.run(helm, ["rollback", "rel1", "1", "-n", "ns1"], releases: revisions, dir: dir)
        #expect(rollback.succeeded, "\(rollback.stderr)")
    }

    @Test func uiTablePadsEveryColumn() {
        #expect(ReleaseReports.uiTable([["A", "BB"], ["ccc", "d"]]) == "A  \tBB\nccc\td \n")
    }

    @Test func computedValuesCoalesceUserOverDefaults() {
        var r = sampleRelease(version: 1, status: .deployed)
        r.config = ["image": ["tag": "v2", "pull": nil], "replicas": nil, "extra": ["x": nil, "y": 1]]
        #expect(ReleaseReports.computedValues(r) == ["image": ["tag": "v2", "pull": nil], "extra": ["x": nil, "y": 1]])
    }
}

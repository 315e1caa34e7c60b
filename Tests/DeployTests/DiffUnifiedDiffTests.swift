import Foundation
import Testing
import TestSupport
@testable import Deploy

/// `UnifiedDiff` against GNU `diff -u` run live: inputs whose common subsequence is unique
/// (lines deleted, replaced or inserted, never moved), so both must print the same hunks.
@Suite struct DiffUnifiedDiffTests {
    static func gnuDiff(_ old: [String], _ new: [String], context: Int) throws -> String {
        let dir = try makeTemporaryDirectory("unified-diff")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try old.map { $0 + "\n" }.joined().write(toFile: dir + "/old", atomically: true, encoding: .utf8)
        try new.map { $0 + "\n" }.joined().write(toFile: dir + "/new", atomically: true, encoding: .utf8)
        let result = try runProcess("/usr/bin/diff", ["-U\(context)", dir + "/old", dir + "/new"])
        // Drop the `---`/`+++` lines, which carry file names and times.
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2)
            .joined(separator: "\n")
    }

    static func ours(_ old: [String], _ new: [String], context: Int) -> String {
        let lines = UnifiedDiff.hunks(old: old, new: new, context: context)
        return lines.isEmpty ? "" : lines.map { $0.text + "\n" }.joined()
    }

    @Test func hunkHeadersForEdgeCases() {
        #expect(Self.ours([], ["a", "b"], context: 3) == "@@ -0,0 +1,2 @@\n+a\n+b\n")
        #expect(Self.ours(["a"], [], context: 3) == "@@ -1 +0,0 @@\n-a\n")
        #expect(Self.ours(["a"], ["b"], context: 3) == "@@ -1 +1 @@\n-a\n+b\n")
        #expect(Self.ours(["a", "b"], ["a", "b"], context: 3) == "")
        #expect(Self.ours(["a", "b", "c", "d", "e"], ["a", "b", "d", "e"], context: 1) == "@@ -2,3 +2,2 @@\n b\n-c\n d\n")
    }

    @Test func fixedCasesMatchGNUDiff() throws {
        let base = (1...20).map { "line \($0)" }
        var gapSix = base; gapSix[1] = "X"; gapSix[8] = "Y"      // 6 equal lines between: one hunk
        var gapSeven = base; gapSeven[1] = "X"; gapSeven[9] = "Y" // 7: two hunks
        var atEnds = base; atEnds[0] = "first"; atEnds.append("tail")
        let cases: [([String], [String])] = [
            (base, gapSix), (base, gapSeven), (base, atEnds), ([], base), (base, []),
            (base, Array(base[5...])), (base, Array(base[..<15])),
        ]
        for (old, new) in cases {
            for context in [0, 1, 3, 5] {
                #expect(Self.ours(old, new, context: context) == (try Self.gnuDiff(old, new, context: context)))
            }
        }
    }

    @Test func randomEditsMatchGNUDiff() throws {
        var generator = SplitMix(seed: 7)
        for round in 0..<40 {
            let old = (0..<Int(5 + generator.next() % 40)).map { "line \($0)" }
            var new: [String] = []
            for (index, line) in old.enumerated() {
                switch generator.next() % 10 {
                case 0: continue                                      // deleted
                case 1: new.append("replaced \(round) \(index)")       // replaced
                case 2: new.append("inserted \(round) \(index)"); new.append(line)
                default: new.append(line)
                }
            }
            let context = Int(generator.next() % 4)
            #expect(Self.ours(old, new, context: context) == (try Self.gnuDiff(old, new, context: context)),
                    "round \(round)")
        }
    }
}

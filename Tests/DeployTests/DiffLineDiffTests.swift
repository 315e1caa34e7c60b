import Testing
@testable import Deploy

/// `LineDiff`: the edit script is valid and minimal (checked against a dynamic-programming LCS).
@Suite struct DiffLineDiffTests {
    /// Replays the edits, checking that they consume both texts exactly and in order.
    static func replay(_ edits: [LineDiff.Edit], _ old: [String], _ new: [String]) -> Bool {
        var i = 0, j = 0
        for edit in edits {
            switch edit {
            case .equal(let o, let n):
                guard o == i, n == j, old[o] == new[n] else { return false }
                i += 1; j += 1
            case .delete(let o):
                guard o == i else { return false }
                i += 1
            case .insert(let n):
                guard n == j else { return false }
                j += 1
            }
        }
        return i == old.count && j == new.count
    }

    static func lcsLength(_ a: [String], _ b: [String]) -> Int {
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return table[0][0]
    }

    @Test func emptyAndIdenticalInputs() {
        #expect(LineDiff.edits(from: [], to: []).isEmpty)
        #expect(LineDiff.edits(from: ["a"], to: []) == [.delete(old: 0)])
        #expect(LineDiff.edits(from: [], to: ["a", "b"]) == [.insert(new: 0), .insert(new: 1)])
        #expect(LineDiff.edits(from: ["a", "b"], to: ["a", "b"]) == [.equal(old: 0, new: 0), .equal(old: 1, new: 1)])
    }

    @Test func deletionsComeBeforeInsertionsInAChange() {
        #expect(LineDiff.edits(from: ["a", "x", "c"], to: ["a", "y", "c"])
            == [.equal(old: 0, new: 0), .delete(old: 1), .insert(new: 1), .equal(old: 2, new: 2)])
    }

    @Test func randomInputsGiveValidMinimalScripts() {
        var generator = SplitMix(seed: 42)
        for round in 0..<600 {
            let alphabet = round % 3 == 0 ? ["a", "b"] : ["a", "b", "c", "d", "e"]
            let a = (0..<Int(generator.next() % 25)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let b = (0..<Int(generator.next() % 25)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let edits = LineDiff.edits(from: a, to: b)
            #expect(Self.replay(edits, a, b), "round \(round): \(a) -> \(b)")
            let kept = edits.filter { if case .equal = $0 { return true } else { return false } }.count
            #expect(kept == Self.lcsLength(a, b), "round \(round): \(a) -> \(b) not minimal")
        }
    }

    @Test func largeRewriteStaysValid() {
        let a = (0..<3000).map { "line \($0)" }
        let b = (0..<3000).map { $0 % 7 == 0 ? "changed \($0)" : "line \($0)" }
        let edits = LineDiff.edits(from: a, to: b)
        #expect(Self.replay(edits, a, b))
        #expect(edits.filter { if case .insert = $0 { return true } else { return false } }.count == 429)
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

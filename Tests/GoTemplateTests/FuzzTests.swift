import Dispatch
import GoTemplate
import Testing

/// xorshift64*: a small seeded generator so every run fuzzes the same inputs.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E3779B97F4A7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return state &* 2685821657736338717
    }
}

/// Random and mutated templates must end in output or a TemplateError: no crash, no hang.
@Suite struct FuzzTests {
    static let fragments = [
        "{{", "}}", "{{- ", " -}}", " ", ".", "$", "$x", " := ", " = ", " | ", "(", ")", "\"s\"", "`r`", "'c'",
        " 7 ", " -2 ", " 1.5 ", " 0x1F ", "if ", "else ", "end", "range ", "with ", "define \"d\"", "template \"d\" ",
        "block \"b\" ", "break", "continue", "nil", "true", ".a", ".a.b", ".l", ".m", ".s", "printf ", "\"%d %v\"",
        "index ", "len ", "eq ", "and ", "or ", "not ", "slice ", "/*", "*/", "\n", ", ", "html ", "js ", "call ",
        "print ", "urlquery ", "lt ", "\"%-5.2f\"", "$y", "'\\n'", "\"\\u00e9\"", "é", "}", "{", "-", "\"",
    ]

    static let corpus: [String] = Fixtures.cases("helm-cases.txt").map(\.body)
        + Fixtures.cases("helm-error-cases.txt").map(\.body) + Fixtures.cases("exec-cases.txt").map(\.body)

    static let data: TemplateValue = .map([
        "a": .map(["b": .int(1)]), "l": .list([.int(1), .string("x"), .null]), "m": .map(["k": .float(2.5)]),
        "s": .string("str"), "n": .null,
    ])

    static func generate(_ rng: inout SeededRandom, _ i: Int) -> String {
        if i % 2 == 0 {
            let count = Int.random(in: 1...30, using: &rng)
            return (0..<count).map { _ in fragments.randomElement(using: &rng)! }.joined()
        }
        var bytes = Array(corpus.randomElement(using: &rng)!.utf8)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0 where !bytes.isEmpty:
                let start = Int.random(in: 0..<bytes.count, using: &rng)
                let end = min(bytes.count, start + Int.random(in: 1...6, using: &rng))
                bytes.removeSubrange(start..<end)
            case 1:
                let at = Int.random(in: 0...bytes.count, using: &rng)
                bytes.insert(contentsOf: Array(fragments.randomElement(using: &rng)!.utf8), at: at)
            case 2 where bytes.count > 1:
                let a = Int.random(in: 0..<bytes.count, using: &rng), b = Int.random(in: 0..<bytes.count, using: &rng)
                bytes.swapAt(a, b)
            default:
                let at = Int.random(in: 0...bytes.count, using: &rng)
                bytes.insert(contentsOf: bytes[0..<min(bytes.count, 8)], at: at)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func randomTemplatesNeverCrashOrHang() {
        var rng = SeededRandom(seed: 20251121)
        var parsed = 0, executed = 0
        final class Outcome: @unchecked Sendable { var parsed = false; var executed = false }
        for i in 0..<3000 {
            let text = Self.generate(&rng, i)
            let outcome = Outcome()
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                var set = TemplateSet()
                defer { done.signal() }
                do { try set.parse(name: "fuzz", text: text) } catch { return }
                outcome.parsed = true
                for name in set.templateNames {
                    _ = try? set.execute(name: name, data: Self.data, options: ExecutionOptions(maxTemplateDepth: 200))
                }
                outcome.executed = true
            }
            if done.wait(timeout: .now() + 10) == .timedOut {
                Issue.record("case \(i) did not finish in 10 s: \(text.debugDescription)")
                return
            }
            if outcome.parsed { parsed += 1 }
            if outcome.executed { executed += 1 }
        }
        // The generator must reach the executor often enough to mean something.
        #expect(parsed > 300)
        #expect(executed == parsed)
    }
}

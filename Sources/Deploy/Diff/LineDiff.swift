/// A shortest edit script between two sequences of lines (Myers' O((N+M)D) algorithm in its
/// linear-space form: find the middle snake, recurse on both halves). Deletions come before
/// insertions inside a change, as `diff -u` prints them.
public enum LineDiff {
    public enum Edit: Sendable, Hashable {
        /// Line `old` of the old text equals line `new` of the new text (0-based).
        case equal(old: Int, new: Int)
        case delete(old: Int)
        case insert(new: Int)
    }

    /// The edits turning `old` into `new`, in order.
    public static func edits(from old: [String], to new: [String]) -> [Edit] {
        // Lines become small integers so comparisons are cheap.
        var ids: [String: Int] = [:]
        func intern(_ line: String) -> Int {
            if let id = ids[line] { return id }
            ids[line] = ids.count
            return ids.count - 1
        }
        let a = old.map(intern)
        let b = new.map(intern)
        var solver = MyersSolver(a: a, b: b)
        solver.solve(aLo: 0, aHi: a.count, bLo: 0, bHi: b.count)

        var edits: [Edit] = []
        edits.reserveCapacity(max(old.count, new.count))
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, !solver.matchedA[i] {
                edits.append(.delete(old: i)); i += 1
            } else if j < b.count, !solver.matchedB[j] {
                edits.append(.insert(new: j)); j += 1
            } else {
                edits.append(.equal(old: i, new: j)); i += 1; j += 1
            }
        }
        return edits
    }
}

/// Marks the lines of a longest common subsequence of `a` and `b`.
private struct MyersSolver {
    let a: [Int]
    let b: [Int]
    var matchedA: [Bool]
    var matchedB: [Bool]
    private var forward: [Int] = []
    private var backward: [Int] = []

    init(a: [Int], b: [Int]) {
        self.a = a
        self.b = b
        matchedA = Array(repeating: false, count: a.count)
        matchedB = Array(repeating: false, count: b.count)
        let size = 2 * ((a.count + b.count + 1) / 2) + 3
        forward = Array(repeating: 0, count: size)
        backward = Array(repeating: 0, count: size)
    }

    private mutating func match(_ i: Int, _ j: Int) {
        matchedA[i] = true
        matchedB[j] = true
    }

    mutating func solve(aLo: Int, aHi: Int, bLo: Int, bHi: Int) {
        var aLo = aLo, aHi = aHi, bLo = bLo, bHi = bHi
        while aLo < aHi, bLo < bHi, a[aLo] == b[bLo] { match(aLo, bLo); aLo += 1; bLo += 1 }
        while aLo < aHi, bLo < bHi, a[aHi - 1] == b[bHi - 1] { match(aHi - 1, bHi - 1); aHi -= 1; bHi -= 1 }
        if aLo == aHi || bLo == bHi { return }
        let snake = middleSnake(aLo: aLo, aHi: aHi, bLo: bLo, bHi: bHi)
        for step in 0..<(snake.x1 - snake.x0) { match(snake.x0 + step, snake.y0 + step) }
        solve(aLo: aLo, aHi: snake.x0, bLo: bLo, bHi: snake.y0)
        solve(aLo: snake.x1, aHi: aHi, bLo: snake.y1, bHi: bHi)
    }

    /// The diagonal run in the middle of a shortest edit path, in absolute coordinates.
    /// Both ends are trimmed by `solve`, so the edit distance is at least 2 and the halves are smaller.
    private mutating func middleSnake(aLo: Int, aHi: Int, bLo: Int, bHi: Int) -> (x0: Int, y0: Int, x1: Int, y1: Int) {
        let n = aHi - aLo, m = bHi - bLo
        let delta = n - m
        let odd = delta & 1 != 0
        let maxD = (n + m + 1) / 2
        let offset = maxD + 1
        forward[offset + 1] = 0
        backward[offset + 1] = 0
        for d in 0...maxD {
            // Forward paths from the top-left corner.
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && forward[offset + k - 1] < forward[offset + k + 1]))
                    ? forward[offset + k + 1] : forward[offset + k - 1] + 1
                var y = x - k
                let x0 = x, y0 = y
                while x < n, y < m, a[aLo + x] == b[bLo + y] { x += 1; y += 1 }
                forward[offset + k] = x
                let reverseK = delta - k
                if odd, reverseK >= -(d - 1), reverseK <= d - 1, x + backward[offset + reverseK] >= n {
                    return (aLo + x0, bLo + y0, aLo + x, bLo + y)
                }
            }
            // Backward paths from the bottom-right corner, in reversed coordinates.
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && backward[offset + k - 1] < backward[offset + k + 1]))
                    ? backward[offset + k + 1] : backward[offset + k - 1] + 1
                var y = x - k
                let x0 = x, y0 = y
                while x < n, y < m, a[aHi - 1 - x] == b[bHi - 1 - y] { x += 1; y += 1 }
                backward[offset + k] = x
                let forwardK = delta - k
                if !odd, forwardK >= -d, forwardK <= d, x + forward[offset + forwardK] >= n {
                    return (aHi - x, bHi - y, aHi - x0, bHi - y0)
                }
            }
        }
        preconditionFailure("Myers middle snake not found")
    }
}

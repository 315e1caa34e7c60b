/// One printed line of a diff. The kind lets the CLI colour it; `text` is what `diff -u` prints.
public struct DiffLine: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// `create Deployment/app/web`
        case resourceHeader
        /// `--- live` / `+++ desired`
        case fileHeader
        /// `@@ -1,4 +1,5 @@`
        case hunkHeader
        case context, removed, added
        /// A remark that is not part of either text (`content hidden: werf.io/sensitive`).
        case note
    }

    public var kind: Kind
    public var text: String

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }
}

/// Unified diff hunks (`diff -u`): changes with `context` lines around them; two changes closer than
/// 2 × context lines share a hunk. Ranges read like GNU diff's: `-l,n` with `,n` omitted when n = 1,
/// and `l` the line before an empty range (`@@ -0,0 +1,3 @@` for a new file).
public enum UnifiedDiff {
    public static func hunks(old: [String], new: [String], context: Int = 3) -> [DiffLine] {
        let edits = LineDiff.edits(from: old, to: new)
        let changed = edits.indices.filter { if case .equal = edits[$0] { return false } else { return true } }
        guard let firstChange = changed.first else { return [] }

        // Group change positions into hunks: a gap of up to 2 × context equal lines joins them.
        var groups: [(first: Int, last: Int)] = [(firstChange, firstChange)]
        for position in changed.dropFirst() {
            if position - groups[groups.count - 1].last - 1 <= 2 * context {
                groups[groups.count - 1].last = position
            } else {
                groups.append((position, position))
            }
        }

        var lines: [DiffLine] = []
        for group in groups {
            let start = max(0, group.first - context)
            let end = min(edits.count - 1, group.last + context)
            var oldStart: Int? = nil, newStart: Int? = nil
            var oldCount = 0, newCount = 0
            var body: [DiffLine] = []
            for edit in edits[start...end] {
                switch edit {
                case .equal(let o, let n):
                    if oldStart == nil { oldStart = o }
                    if newStart == nil { newStart = n }
                    oldCount += 1; newCount += 1
                    body.append(DiffLine(.context, " " + old[o]))
                case .delete(let o):
                    if oldStart == nil { oldStart = o }
                    oldCount += 1
                    body.append(DiffLine(.removed, "-" + old[o]))
                case .insert(let n):
                    if newStart == nil { newStart = n }
                    newCount += 1
                    body.append(DiffLine(.added, "+" + new[n]))
                }
            }
            // A side with no lines in the hunk starts where its previous line ended.
            let oldPosition = oldStart ?? linesBefore(edits, start, old: true)
            let newPosition = newStart ?? linesBefore(edits, start, old: false)
            lines.append(DiffLine(.hunkHeader,
                "@@ -\(range(oldPosition, oldCount)) +\(range(newPosition, newCount)) @@"))
            lines.append(contentsOf: body)
        }
        return lines
    }

    /// How many lines of one side precede edit `position`.
    private static func linesBefore(_ edits: [LineDiff.Edit], _ position: Int, old: Bool) -> Int {
        var count = 0
        for edit in edits[..<position] {
            switch edit {
            case .equal: count += 1
            case .delete: if old { count += 1 }
            case .insert: if !old { count += 1 }
            }
        }
        return count
    }

    /// `start` is 0-based; printed 1-based, or as the preceding line when the range is empty.
    private static func range(_ start: Int, _ count: Int) -> String {
        switch count {
        case 0: return "\(start),0"
        case 1: return "\(start + 1)"
        default: return "\(start + 1),\(count)"
        }
    }
}

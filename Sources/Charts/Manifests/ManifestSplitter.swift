/// Helm 4.1's manifest splitter: the text is trimmed, split on the regex `(?:^|\s*\n)---\s*`, and
/// every non-empty piece trimmed again. (4.2 changed this; we follow 4.1.4.)
public enum ManifestSplitter {
    public static func split(_ text: String) -> [String] {
        let bytes = Array(text.goTrimmed().utf8)
        var pieces: [String] = []
        var pieceStart = 0
        var searchFrom = 0
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D }
        func isDashes(_ i: Int) -> Bool {
            i + 3 <= bytes.count && bytes[i] == 0x2D && bytes[i + 1] == 0x2D && bytes[i + 2] == 0x2D
        }
        func skipSpace(_ i: Int) -> Int {
            var j = i
            while j < bytes.count && isSpace(bytes[j]) { j += 1 }
            return j
        }
        // `^---` at the very start.
        if isDashes(0) {
            pieces.append("")
            pieceStart = skipSpace(3)
            searchFrom = pieceStart
        }
        var i = searchFrom
        while i < bytes.count {
            guard isSpace(bytes[i]) else { i += 1; continue }
            // The whitespace run from i; it matches `\s*\n---` when it ends in \n before ---.
            let runEnd = skipSpace(i)
            if runEnd > i, bytes[runEnd - 1] == 0x0A, isDashes(runEnd) {
                pieces.append(String(decoding: bytes[pieceStart..<i], as: UTF8.self))
                pieceStart = skipSpace(runEnd + 3)
                i = pieceStart
                continue
            }
            i = runEnd
        }
        pieces.append(String(decoding: bytes[min(pieceStart, bytes.count)...], as: UTF8.self))
        return pieces.filter { !$0.isEmpty }.map { $0.goTrimmed() }
    }
}

extension String {
    /// strings.TrimSpace.
    func goTrimmed() -> String { trimmingGoSpace() }
}

/// Splits rendered template output into manifest documents exactly as Helm 4.1.4 does
/// (`releaseutil.SplitManifests`): trim the text, split on the regex `(?:^|\s*\n)---\s*`,
/// drop empty pieces, trim each one. Comment-only documents are kept.
public enum ManifestSplitter {
    public static func split(_ text: String) -> [String] {
        let s = Array(goTrimSpace(Array(text.utf8)))
        var documents: [String] = []
        var pieceStart = 0
        var searchFrom = 0
        func dashes(_ k: Int) -> Bool {
            k + 2 < s.count && s[k] == UInt8(ascii: "-") && s[k + 1] == UInt8(ascii: "-") && s[k + 2] == UInt8(ascii: "-")
        }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D }
        func matchEnd(from k: Int) -> Int {
            var e = k + 3
            while e < s.count && isSpace(s[e]) { e += 1 }
            return e
        }
        func emit(_ from: Int, _ to: Int) {
            guard to > from else { return }  // Go skips "" before trimming
            documents.append(String(decoding: goTrimSpace(Array(s[from..<to])), as: UTF8.self))
        }
        var i = searchFrom
        while i < s.count {
            if i == 0 && dashes(0) {
                let end = matchEnd(from: 0)
                emit(pieceStart, 0)
                pieceStart = end
                searchFrom = end
                i = end
                continue
            }
            if isSpace(s[i]) {
                // A whitespace run matches `\s*\n---` when its last byte is a newline followed by ---.
                var j = i
                while j < s.count && isSpace(s[j]) { j += 1 }
                if s[j - 1] == 0x0A && dashes(j) {
                    let end = matchEnd(from: j)
                    emit(pieceStart, i)
                    pieceStart = end
                    i = end
                    continue
                }
                i = j
                continue
            }
            i += 1
        }
        emit(pieceStart, s.count)
        return documents
    }

    /// Go's strings.TrimSpace (Unicode White_Space, as unicode.IsSpace).
    static func goTrimSpace(_ b: [UInt8]) -> ArraySlice<UInt8> {
        let text = String(decoding: b, as: UTF8.self)
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isGoSpace($0) }) else { return [] }
        let last = scalars.lastIndex(where: { !isGoSpace($0) })!
        let trimmed = String(scalars[first...last])
        return ArraySlice(trimmed.utf8)
    }

    static func isGoSpace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default: return false
        }
    }
}

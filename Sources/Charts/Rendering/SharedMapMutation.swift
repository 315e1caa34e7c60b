/// Whether a chart's templates may run at the same time. Go maps are shared references: Sprig's
/// `set`, `unset` and `merge*` change a map every template sees (`.Values` above all), and helm
/// renders in order, so a later template sees an earlier one's changes. Templates that never call
/// those functions only read shared data, and then any order gives the same output.
///
/// `tpl` runs text known only while rendering (from values, files, or built by functions: even
/// `lower "SET"` spells a mutator), so a chart that calls `tpl` anywhere renders in order too.
enum SharedMapMutation {
    /// Functions that change a map argument in place, and `tpl`, which may call them.
    static let functions: Set<String> = ["set", "unset", "merge", "mustMerge", "mergeOverwrite", "mustMergeOverwrite", "tpl"]

    /// Whether an action of `text` (`{{ ... }}`) names one of `functions` as a whole identifier,
    /// outside comments and string literals. Template functions are called by name only, and
    /// `call` reaches only host objects (none of which mutate), so text without these names
    /// cannot change a map. Unterminated actions count as mutating (over-approximating only
    /// costs speed). Chart templates always use the default delimiters.
    static func mayMutate(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            let n = bytes.count
            func at(_ i: Int, _ a: UInt8, _ b: UInt8) -> Bool { i + 1 < n && bytes[i] == a && bytes[i + 1] == b }
            func isIdentifier(_ b: UInt8) -> Bool {
                (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b >= 0x80
            }
            let open = UInt8(ascii: "{"), close = UInt8(ascii: "}"), slash = UInt8(ascii: "/"), star = UInt8(ascii: "*")
            var i = 0
            while i < n {
                guard at(i, open, open) else { i += 1; continue }
                i += 2
                while true {  // inside an action
                    guard i < n else { return true }
                    let b = bytes[i]
                    if at(i, close, close) { i += 2; break }
                    if at(i, slash, star) {
                        i += 2
                        while i < n && !at(i, star, slash) { i += 1 }
                        guard i < n else { return true }
                        i += 2
                    } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                        i += 1
                        while i < n && bytes[i] != b {
                            if bytes[i] == UInt8(ascii: "\\") { i += 1 }
                            i += 1
                        }
                        guard i < n else { return true }
                        i += 1
                    } else if b == UInt8(ascii: "`") {
                        i += 1
                        while i < n && bytes[i] != b { i += 1 }
                        guard i < n else { return true }
                        i += 1
                    } else if isIdentifier(b) {
                        let start = i
                        while i < n && isIdentifier(bytes[i]) { i += 1 }
                        let length = i - start
                        if length == 3 || length == 5 || length == 9 || length == 14 || length == 18,
                            functions.contains(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                        {
                            return true
                        }
                    } else {
                        i += 1
                    }
                }
            }
            return false
        }
    }
}

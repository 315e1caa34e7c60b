/// Parsers for the Go value syntaxes werf annotations use (`strconv.ParseBool`, `time.ParseDuration`).
enum GoSyntax {
    /// `strconv.ParseBool`: 1 t T TRUE true True / 0 f F FALSE false False.
    static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }

    /// `time.ParseDuration` in seconds: `[-+]?(number unit)+` or a bare `0`; units ns us µs ms s m h.
    static func parseDuration(_ text: String) -> Double? {
        var chars = Substring(text)
        var sign = 1.0
        if let first = chars.first, first == "-" || first == "+" {
            if first == "-" { sign = -1 }
            chars = chars.dropFirst()
        }
        if chars == "0" { return 0 }
        if chars.isEmpty { return nil }
        var total = 0.0
        while !chars.isEmpty {
            let number = chars.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1,
                let amount = Double(number.hasPrefix(".") ? "0" + number : String(number))
            else { return nil }
            chars = chars.dropFirst(number.count)
            let unit = chars.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            chars = chars.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs", "μs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: return nil  // Go rejects a missing or unknown unit
            }
            total += amount * scale
        }
        return sign * total
    }
}

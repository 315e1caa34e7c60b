/// RFC 3339 `date`, `time` and `date-time` as santhosh-tekuri/jsonschema v6 checks them: `date`
/// through Go's time.Parse with layout "2006-01-02" (its messages), `time` by hand (leap seconds
/// only at 23:59 UTC), `date-time` as both. Go slices strings by bytes, so these work on UTF-8.
extension JSONSchemaFormat {
    static func date(_ bytes: [UInt8]) -> String? {
        let whole = GoText.quote(String(decoding: bytes, as: UTF8.self))
        func rest(_ i: Int) -> String { GoText.quote(String(decoding: bytes[min(i, bytes.count)...], as: UTF8.self)) }
        func cannotParse(_ i: Int, _ element: String) -> String {
            "parsing time \(whole) as \"2006-01-02\": cannot parse \(rest(i)) as \"\(element)\""
        }
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        func digit(_ i: Int) -> Int { Int(bytes[i] - 0x30) }
        // 2006: four digits
        guard bytes.count >= 4, (0..<4).allSatisfy(isDigit) else { return cannotParse(0, "2006") }
        let year = (0..<4).reduce(0) { $0 * 10 + digit($1) }
        guard bytes.count > 4, bytes[4] == UInt8(ascii: "-") else { return cannotParse(4, "-") }
        // 01: exactly two digits, 1...12
        guard isDigit(5), isDigit(6) else { return cannotParse(5, "01") }
        let month = digit(5) * 10 + digit(6)
        if month < 1 || month > 12 { return "parsing time \(whole): month out of range" }
        guard bytes.count > 7, bytes[7] == UInt8(ascii: "-") else { return cannotParse(7, "-") }
        // 02: two digits
        guard isDigit(8), isDigit(9) else { return cannotParse(8, "02") }
        let day = digit(8) * 10 + digit(9)  // checked against the month after the whole parse
        if bytes.count > 10 { return "parsing time \(whole): extra text: \(rest(10))" }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        if day < 1 || day > days { return "parsing time \(whole): day out of range" }
        return nil
    }

    static func time(_ text: [UInt8]) -> String? {
        if text.count < 9 { return "less than 9 characters long" }
        let colon = UInt8(ascii: ":")
        if text[2] != colon || text[5] != colon { return "missing colon in correct place" }
        var hms: [Int] = []
        for token in [text[0..<2], text[3..<5], text[6..<8]] {
            guard let n = atoi(token) else { return "invalid hour/min/sec" }
            if n < 0 { return "non-positive hour/min/sec" }
            hms.append(n)
        }
        var (h, m) = (hms[0], hms[1])
        let s = hms[2]
        if h > 23 || m > 59 || s > 60 { return "hour/min/sec out of range" }
        var rest = text[8...]
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            let digits = rest.prefix { $0 >= 0x30 && $0 <= 0x39 }.count
            if digits == 0 { return "no digits in second fraction" }
            rest = rest.dropFirst(digits)
        }
        if !(rest.count == 1 && (rest.first == UInt8(ascii: "z") || rest.first == UInt8(ascii: "Z"))) {
            let offset = Array(rest)
            if offset.count != 6 { return "offset must be 6 characters long" }
            let sign: Int
            switch offset[0] {
            case UInt8(ascii: "+"): sign = -1
            case UInt8(ascii: "-"): sign = 1
            default: return "offset must begin with plus/minus"
            }
            if offset[3] != colon { return "missing colon in offset in correct place" }
            var zone: [Int] = []
            for token in [offset[1..<3], offset[4..<6]] {
                guard let n = atoi(token) else { return "invalid hour/min in offset" }
                if n < 0 { return "non-positive hour/min in offset" }
                zone.append(n)
            }
            if zone[0] > 23 || zone[1] > 59 { return "hour/min in offset out of range" }
            var minutes = h * 60 + m + sign * (zone[0] * 60 + zone[1])
            if minutes < 0 { minutes += 24 * 60 }
            (h, m) = (minutes / 60, minutes % 60)
        }
        if s >= 60 && (h != 23 || m != 59) { return "invalid leap second" }
        return nil
    }

    static func dateTime(_ text: [UInt8]) -> String? {
        if text.count < 20 { return "less than 20 characters long" }
        if text[10] != UInt8(ascii: "t") && text[10] != UInt8(ascii: "T") { return "11th character must be t or T" }
        if let failure = date(Array(text[..<10])) { return "invalid date element: " + failure }
        if let failure = time(Array(text[11...])) { return "invalid time element: " + failure }
        return nil
    }

    /// strconv.Atoi on a short token: optional sign, then decimal digits only.
    private static func atoi(_ token: ArraySlice<UInt8>) -> Int? {
        var digits = token
        var negative = false
        if let first = digits.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return negative ? -value : value
    }
}

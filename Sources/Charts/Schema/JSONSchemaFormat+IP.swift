/// The `ipv6` format as santhosh-tekuri/jsonschema v6 checks it: a colon is required, then Go's
/// netip.ParseAddr decides (its messages, `ParseAddr("in"): reason (at "rest")`), and a zone is
/// refused.
extension JSONSchemaFormat {
    static func ipv6(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: ":")) else { return "missing colon" }
        switch NetIPAddress.parse(bytes) {
        case .failure(let failure): return failure.message(input: text)
        case .success(let hasZone): return hasZone ? "zone id is not a part of ipv6 address" : nil
        }
    }
}

/// What netip.ParseAddr accepts and how it words its refusals (only validity is needed).
enum NetIPAddress {
    struct Failure: Error {
        var reason: String
        var rest: [UInt8]?
        func message(input: String) -> String {
            var text = "ParseAddr(\(GoText.quote(input))): \(reason)"
            if let rest, !rest.isEmpty { text += " (at \(GoText.quote(String(decoding: rest, as: UTF8.self))))" }
            return text
        }
    }

    /// Success carries whether the address has a zone.
    static func parse(_ s: [UInt8]) -> Result<Bool, Failure> {
        for b in s {
            switch b {
            case UInt8(ascii: "."): return parseV4(s, 0..<s.count).map { _ in false }
            case UInt8(ascii: ":"): return parseV6(s)
            case UInt8(ascii: "%"): return .failure(Failure(reason: "missing IPv6 address"))
            default: continue
            }
        }
        return .failure(Failure(reason: "unable to parse IP"))
    }

    /// Dotted decimal in `input[range]`; positions in messages are the rest of the range (an
    /// IPv4 tail inside an IPv6 address is reported within the whole input, zone left out).
    static func parseV4(_ input: [UInt8], _ range: Range<Int>) -> Result<Void, Failure> {
        var value = 0, fields = 0, digits = 0
        for i in range {
            let b = input[i]
            if b >= 0x30 && b <= 0x39 {
                if digits == 1 && value == 0 { return .failure(Failure(reason: "IPv4 field has octet with leading zero")) }
                value = value * 10 + Int(b - 0x30)
                digits += 1
                if value > 255 { return .failure(Failure(reason: "IPv4 field has value >255")) }
            } else if b == UInt8(ascii: ".") {
                if i == range.lowerBound || i == range.upperBound - 1 || input[i - 1] == UInt8(ascii: ".") {
                    return .failure(Failure(reason: "IPv4 field must have at least one digit", rest: Array(input[i..<range.upperBound])))
                }
                if fields == 3 { return .failure(Failure(reason: "IPv4 address too long")) }
                fields += 1
                value = 0
                digits = 0
            } else {
                return .failure(Failure(reason: "unexpected character", rest: Array(input[i..<range.upperBound])))
            }
        }
        if fields < 3 { return .failure(Failure(reason: "IPv4 address too short")) }
        return .success(())
    }

    static func parseV6(_ input: [UInt8]) -> Result<Bool, Failure> {
        var s = input[...]
        var hasZone = false
        if let percent = s.firstIndex(of: UInt8(ascii: "%")) {
            if percent == s.endIndex - 1 { return .failure(Failure(reason: "zone must be a non-empty string")) }
            s = s[..<percent]
            hasZone = true
        }
        let colon = UInt8(ascii: ":")
        var ellipsis = -1
        if s.count >= 2 && s[s.startIndex] == colon && s[s.startIndex + 1] == colon {
            ellipsis = 0
            s = s.dropFirst(2)
            if s.isEmpty { return .success(hasZone) }
        }
        var filled = 0
        while filled < 16 {
            var count = 0
            var accumulated: UInt32 = 0
            var j = s.startIndex
            while j < s.endIndex {
                let b = s[j]
                let nibble: UInt32
                switch b {
                case 0x30...0x39: nibble = UInt32(b - 0x30)
                case 0x61...0x66: nibble = UInt32(b - 0x61 + 10)
                case 0x41...0x46: nibble = UInt32(b - 0x41 + 10)
                default: nibble = 16
                }
                if nibble == 16 { break }
                accumulated = (accumulated << 4) + nibble
                count += 1
                if count > 4 { return .failure(Failure(reason: "each group must have 4 or less digits", rest: Array(s))) }
                j += 1
            }
            if count == 0 {
                return .failure(Failure(reason: "each colon-separated field must have at least one digit", rest: Array(s)))
            }
            if j < s.endIndex && s[j] == UInt8(ascii: ".") {
                if ellipsis < 0 && filled != 12 {
                    return .failure(Failure(reason: "embedded IPv4 address must replace the final 2 fields of the address", rest: Array(s)))
                }
                if filled + 4 > 16 {
                    return .failure(Failure(reason: "too many hex fields to fit an embedded IPv4 at the end of the address", rest: Array(s)))
                }
                if case .failure(let failure) = parseV4(input, s.startIndex..<s.endIndex) { return .failure(failure) }
                s = s[s.endIndex...]
                filled += 4
                break
            }
            filled += 2
            s = s[j...]
            if s.isEmpty { break }
            if s[s.startIndex] != colon {
                return .failure(Failure(reason: "unexpected character, want colon", rest: Array(s)))
            }
            if s.count == 1 { return .failure(Failure(reason: "colon must be followed by more characters", rest: Array(s))) }
            s = s.dropFirst()
            if s[s.startIndex] == colon {
                if ellipsis >= 0 { return .failure(Failure(reason: "multiple :: in address", rest: Array(s))) }
                ellipsis = filled
                s = s.dropFirst()
                if s.isEmpty { break }
            }
        }
        if !s.isEmpty { return .failure(Failure(reason: "trailing garbage after address", rest: Array(s))) }
        if filled < 16 {
            if ellipsis < 0 { return .failure(Failure(reason: "address string too short")) }
        } else if ellipsis >= 0 {
            return .failure(Failure(reason: "the :: must expand to at least one field of zeros"))
        }
        return .success(hasZone)
    }
}

import Structured
import GoTemplate

/// `format` assertions as santhosh-tekuri/jsonschema v6 makes them (for drafts 4, 6 and 7 only:
/// later drafts treat `format` as an annotation). Only strings are checked: date, time,
/// date-time (`JSONSchemaFormat+Time.swift`), ipv6 (`+IP.swift`), the URI formats, period and
/// semver (`+URI.swift`) and regex with the messages of the Go parsers v6 relies on.
enum JSONSchemaFormat {
    /// The failure message for `value` in format `name`, or nil when it conforms (or is unchecked).
    static func check(_ name: String, _ value: Value) -> String? {
        guard case .string(let s) = value else { return nil }
        switch name {
        case "email": return email(s)
        case "hostname": return hostname(s)
        case "ipv4": return ipv4(s)
        case "uuid": return uuid(s)
        case "duration": return duration(s)
        case "json-pointer": return jsonPointer(s)
        case "relative-json-pointer": return relativeJSONPointer(s)
        case "date": return date(Array(s.utf8))
        case "time": return time(Array(s.utf8))
        case "date-time": return dateTime(Array(s.utf8))
        case "ipv6": return ipv6(s)
        case "regex": return regex(s)
        case "uri", "iri": return uri(s)
        case "uri-reference", "iri-reference": return uriReference(s)
        case "uri-template": return uriTemplate(s)
        case "period": return period(s)
        case "semver": return semver(s)
        default: return nil
        }
    }

    /// Go's `%q` of a rune (printable ones; others are escaped like Go for the ASCII controls).
    static func goChar(_ c: Character) -> String {
        switch c {
        case "'": return #"'\''"#
        case "\\": return #"'\\'"#
        case "\n": return #"'\n'"#
        case "\t": return #"'\t'"#
        default:
            if let v = c.unicodeScalars.first?.value, c.unicodeScalars.count == 1, v < 0x20 || v == 0x7F {
                return "'\\x" + String(v, radix: 16).leftPadded(2) + "'"
            }
            return "'\(c)'"
        }
    }

    static func hostname(_ text: String) -> String? {
        var s = Substring(text)
        if s.hasSuffix(".") { s = s.dropLast() }
        if s.utf8.count > 253 { return "more than 253 characters long" }
        for label in s.split(separator: ".", omittingEmptySubsequences: false) {
            if label.utf8.isEmpty || label.utf8.count > 63 { return "label must be 1 to 63 characters long" }
            if label.hasPrefix("-") { return "label starts with hyphen" }
            if label.hasSuffix("-") { return "label ends with hyphen" }
            for c in label where !(c.isASCII && (c.isLetter || c.isNumber || c == "-")) { return "invalid character \(goChar(c))" }
        }
        return nil
    }

    static func ipv4(_ s: String) -> String? {
        let groups = s.split(separator: ".", omittingEmptySubsequences: false)
        if groups.count != 4 { return "expected four decimals" }
        for group in groups {
            if group.utf8.count > 1 && group.hasPrefix("0") { return "leading zeros" }
            guard let n = goAtoi(group) else { return "strconv.Atoi: parsing \(GoText.quote(String(group))): invalid syntax" }
            if n < 0 || n > 255 { return "decimal must be between 0 and 255" }
        }
        return nil
    }

    /// strconv.Atoi's accepted syntax: optional sign, decimal digits.
    private static func goAtoi(_ s: Substring) -> Int? {
        var digits = s
        if digits.hasPrefix("+") || digits.hasPrefix("-") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(s.hasPrefix("+") ? s.dropFirst() : s)
    }

    static func email(_ s: String) -> String? {
        if s.utf8.count > 254 { return "more than 255 characters long" }
        guard let at = s.lastIndex(of: "@") else { return "missing @" }
        let local = s[..<at]
        var domain = s[s.index(after: at)...]
        if local.utf8.count > 64 { return "local part more than 64 characters long" }
        if local.utf8.count > 1 && local.hasPrefix("\"") {
            let inner = local.dropFirst().dropLast()
            if inner.contains("\\") || inner.contains("\"") { return "backslash and quote are not allowed within quoted local part" }
        } else {
            if local.hasPrefix(".") { return "starts with dot" }
            if local.hasSuffix(".") { return "ends with dot" }
            if local.contains("..") { return "consecutive dots" }
            for c in local where !(c.isASCII && (c.isLetter || c.isNumber || ".!#$%&'*+-/=?^_`{|}~".contains(c))) {
                return "invalid character \(goChar(c))"
            }
        }
        if domain.hasPrefix("[") && domain.hasSuffix("]") {
            domain = domain.dropFirst().dropLast()
            if domain.hasPrefix("IPv6:") { return nil }
            if let error = ipv4(String(domain)) { return "invalid ipv4 address: \(error)" }
            return nil
        }
        if let error = hostname(String(domain)) { return "invalid domain: \(error)" }
        return nil
    }

    static func uuid(_ s: String) -> String? {
        let lengths = [8, 4, 4, 4, 12]
        let groups = s.split(separator: "-", omittingEmptySubsequences: false)
        if groups.count != lengths.count { return "must have 5 elements" }
        for (i, group) in groups.enumerated() {
            if group.utf8.count != lengths[i] { return "element \(i + 1) must be \(lengths[i]) characters long" }
            for c in group where !c.isHexDigit || !c.isASCII { return "non-hex character \(goChar(c))" }
        }
        return nil
    }

    static func duration(_ text: String) -> String? {
        guard text.hasPrefix("P") else { return "must start with P" }
        let s = text.dropFirst()
        if s.isEmpty { return "nothing after P" }
        if s.hasSuffix("W") {
            let n = s.dropLast()
            if n.isEmpty { return "no number in week" }
            return n.allSatisfy({ $0.isASCII && $0.isNumber }) ? nil : "invalid week"
        }
        let allUnits = ["YMD", "HMS"]
        for (i, part) in s.split(separator: "T", omittingEmptySubsequences: false).enumerated() {
            if i != 0 && part.isEmpty { return "no time elements" }
            if i >= allUnits.count { return "more than one T" }
            var units = Substring(allUnits[i])
            var rest = part
            while !rest.isEmpty {
                let digits = rest.prefix { $0.isASCII && $0.isNumber }
                if digits.isEmpty { return "missing number" }
                rest = rest.dropFirst(digits.count)
                guard let unit = rest.first else { return "missing unit" }
                guard let j = units.firstIndex(of: unit) else {
                    if allUnits[i].contains(unit) { return "unit \(goChar(unit)) out of order" }
                    return "invalid unit \(goChar(unit))"
                }
                units = units[units.index(after: j)...]
                rest = rest.dropFirst()
            }
        }
        return nil
    }

    static func jsonPointer(_ s: String) -> String? {
        if s.isEmpty { return nil }
        guard s.hasPrefix("/") else { return "not starting with /" }
        for token in s.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            var escape = false
            for c in token {
                if escape {
                    escape = false
                    if c != "0" && c != "1" { return "~ must be followed by 0 or 1" }
                    continue
                }
                if c == "~" { escape = true }
            }
            if escape { return "~ must be followed by 0 or 1" }
        }
        return nil
    }

    static func relativeJSONPointer(_ s: String) -> String? {
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        if digits.isEmpty { return "must start with non-negative integer" }
        if digits.count > 1 && digits.hasPrefix("0") { return "starts with zero" }
        let rest = s.dropFirst(digits.count)
        if rest == "#" { return nil }
        return jsonPointer(String(rest))
    }

    /// Go's regexp.Compile, through the RE2 checks of the Sprig regex functions (their messages).
    /// Patterns only ICU refuses are let through: RE2 may accept them, as helm then does.
    static func regex(_ s: String) -> String? {
        do { _ = try GoRegex.translate(s) } catch let error as TemplateFunctionError { return error.message } catch {}
        return nil
    }
}

/// huandu/xstrings v1.5.0 case conversions used by `snakecase`, `kebabcase` and `camelcase`.
enum CaseWords {
    enum Kind { case invalid, number, upper, alphabet, connector, punct, other }

    static func isConnector(_ c: Unicode.Scalar) -> Bool { c == "-" || c == "_" || StringFunctions.isGoSpace(c) }
    static func isUpper(_ c: Unicode.Scalar) -> Bool { c.properties.isUppercase && c.properties.isAlphabetic }
    static func isLower(_ c: Unicode.Scalar) -> Bool { c.properties.isLowercase && c.properties.isAlphabetic }
    static func isAlphabet(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic && c.properties.numericType == nil }
    static func isNumber(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }
    static func isPunct(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    /// Splits the next word off `s` (xstrings' nextWord).
    static func nextWord(_ s: ArraySlice<Unicode.Scalar>) -> (Kind, ArraySlice<Unicode.Scalar>, ArraySlice<Unicode.Scalar>) {
        guard let r = s.first else { return (.invalid, [], []) }
        var i = s.startIndex + 1
        let kind: Kind
        if isConnector(r) {
            kind = .connector
            while i < s.endIndex && isConnector(s[i]) { i += 1 }
        } else if isPunct(r) {
            kind = .punct
            while i < s.endIndex && isPunct(s[i]) { i += 1 }
        } else if isUpper(r) {
            kind = .upper
            if i < s.endIndex {
                if isUpper(s[i]) {
                    while i < s.endIndex && isUpper(s[i]) { i += 1 }
                    // "HTTPServer": the last capital starts the next word.
                    if i < s.endIndex && isAlphabet(s[i]) { i -= 1 }
                } else if isAlphabet(s[i]) {
                    while i < s.endIndex && isAlphabet(s[i]) && !isUpper(s[i]) { i += 1 }
                }
            }
        } else if isAlphabet(r) {
            kind = .alphabet
            while i < s.endIndex && isAlphabet(s[i]) && !isUpper(s[i]) { i += 1 }
        } else if isNumber(r) {
            kind = .number
            while i < s.endIndex && isNumber(s[i]) { i += 1 }
        } else {
            kind = .other
            while i < s.endIndex && !(isConnector(s[i]) || isAlphabet(s[i]) || isNumber(s[i]) || isPunct(s[i])) { i += 1 }
        }
        return (kind, s[s.startIndex..<i], s[i...])
    }

    private static func toLower(_ out: inout String.UnicodeScalarView, _ kind: Kind, _ word: ArraySlice<Unicode.Scalar>, _ connector: Unicode.Scalar) {
        guard kind == .upper || kind == .connector else { out.append(contentsOf: word); return }
        for c in word {
            if isConnector(c) { out.append(connector) }
            else if isUpper(c) { out.append(contentsOf: StringFunctions.lowerScalar(c)) }
            else { out.append(c) }
        }
    }

    /// xstrings' camelCaseToLowerCase (ToSnakeCase / ToKebabCase).
    static func lowerCase(_ str: String, connector: Unicode.Scalar) -> String {
        if str.isEmpty { return "" }
        var out = String.UnicodeScalarView()
        let all = Array(str.unicodeScalars)
        var (wt, word, remaining) = nextWord(all[...])
        while !remaining.isEmpty {
            if wt != .connector { toLower(&out, wt, word, connector) }
            let prev = wt
            let last = word
            (wt, word, remaining) = nextWord(remaining)
            switch prev {
            case .number:
                while wt == .alphabet || wt == .number {
                    toLower(&out, wt, word, connector)
                    (wt, word, remaining) = nextWord(remaining)
                }
                if wt != .invalid && wt != .punct && wt != .connector { out.append(connector) }
            case .connector:
                toLower(&out, prev, last, connector)
            case .punct:
                break
            default:
                if wt != .number {
                    if wt != .connector && wt != .punct { out.append(connector) }
                    break
                }
                if remaining.isEmpty { break }
                let number = word
                (wt, word, remaining) = nextWord(remaining)
                if wt != .alphabet {
                    toLower(&out, .number, number, connector)
                    if wt != .connector && wt != .punct { out.append(connector) }
                    break
                }
                out.append(connector)
                toLower(&out, .number, number, connector)
                while wt == .alphabet || wt == .number {
                    toLower(&out, wt, word, connector)
                    (wt, word, remaining) = nextWord(remaining)
                }
                if wt != .invalid && wt != .connector && wt != .punct { out.append(connector) }
            }
        }
        toLower(&out, wt, word, connector)
        return String(out)
    }

    /// xstrings.ToPascalCase (what Sprig calls `camelcase`).
    static func pascalCase(_ str: String) -> String {
        var scalars = Array(str.unicodeScalars)[...]
        if scalars.isEmpty { return "" }
        var out = String.UnicodeScalarView()
        var r0: Unicode.Scalar = " "
        var firstUpper = false
        var consumed = false
        // Leading connectors are kept.
        while let c = scalars.first {
            scalars = scalars.dropFirst()
            consumed = true
            if !isConnector(c) {
                firstUpper = isUpper(c)
                r0 = StringFunctions.upperScalar(c).first!
                break
            }
            out.append(c)
            r0 = c
        }
        if scalars.isEmpty {
            if consumed { out.append(r0) }
            return String(out)
        }
        while let c = scalars.first {
            scalars = scalars.dropFirst()
            let r1 = r0
            r0 = c
            if isConnector(r0) && isConnector(r1) { out.append(r1); continue }
            if isConnector(r1) {
                r0 = StringFunctions.upperScalar(r0).first!
            } else {
                if firstUpper {
                    if isUpper(r0) { r0 = StringFunctions.lowerScalar(r0).first! }
                    else if isLower(r0) { firstUpper = false }
                }
                out.append(r1)
            }
        }
        out.append(r0)
        return String(out)
    }
}

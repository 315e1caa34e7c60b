import Foundation
import GoTemplate

/// Go's reference-time layouts ("2006-01-02T15:04:05Z07:00") for formatting and parsing.
enum GoTimeLayout {
    enum Element: Equatable {
        case literal(String)
        case longMonth, month, numMonth, zeroMonth, longWeekDay, weekDay
        case day, underDay, zeroDay, underYearDay, zeroYearDay
        case hour, hour12, zeroHour12, minute, zeroMinute, second, zeroSecond
        case longYear, year, pm, lowerPM, tz
        case iso8601TZ, iso8601SecondsTZ, iso8601ShortTZ, iso8601ColonTZ, iso8601ColonSecondsTZ
        case numTZ, numSecondsTz, numShortTZ, numColonTZ, numColonSecondsTZ
        case fraction(digits: Int, trim: Bool, separator: Character)
    }

    static let longMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let longDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Splits a layout into literal text and std elements (Go's nextStdChunk).
    static func elements(_ layout: String) -> [Element] {
        let c = Array(layout)
        var out: [Element] = []
        var literal = ""
        var i = 0
        func has(_ s: String, at j: Int) -> Bool {
            let s = Array(s)
            return j + s.count <= c.count && Array(c[j..<(j + s.count)]) == s
        }
        func emit(_ e: Element, _ length: Int) {
            if !literal.isEmpty { out.append(.literal(literal)); literal = "" }
            out.append(e); i += length
        }
        while i < c.count {
            switch c[i] {
            case "J" where has("Jan", at: i):
                if has("January", at: i) { emit(.longMonth, 7) } else { emit(.month, 3) }; continue
            case "M" where has("Mon", at: i):
                if has("Monday", at: i) { emit(.longWeekDay, 6) } else { emit(.weekDay, 3) }; continue
            case "M" where has("MST", at: i): emit(.tz, 3); continue
            case "0":
                if i + 1 < c.count, let d = c[i + 1].wholeNumberValue, (1...6).contains(d) {
                    emit([.zeroMonth, .zeroDay, .zeroHour12, .zeroMinute, .zeroSecond, .year][d - 1], 2); continue
                }
                if has("002", at: i) { emit(.zeroYearDay, 3); continue }
            case "1":
                if has("15", at: i) { emit(.hour, 2) } else { emit(.numMonth, 1) }; continue
            case "2":
                if has("2006", at: i) { emit(.longYear, 4) } else { emit(.day, 1) }; continue
            case "_":
                if has("_2", at: i) {
                    if has("_2006", at: i) { literal.append("_"); i += 1; emit(.longYear, 4); continue }
                    emit(.underDay, 2); continue
                }
                if has("__2", at: i) { emit(.underYearDay, 3); continue }
            case "3": emit(.hour12, 1); continue
            case "4": emit(.minute, 1); continue
            case "5": emit(.second, 1); continue
            case "P" where has("PM", at: i): emit(.pm, 2); continue
            case "p" where has("pm", at: i): emit(.lowerPM, 2); continue
            case "-":
                if has("-070000", at: i) { emit(.numSecondsTz, 7); continue }
                if has("-07:00:00", at: i) { emit(.numColonSecondsTZ, 9); continue }
                if has("-0700", at: i) { emit(.numTZ, 5); continue }
                if has("-07:00", at: i) { emit(.numColonTZ, 6); continue }
                if has("-07", at: i) { emit(.numShortTZ, 3); continue }
            case "Z":
                if has("Z070000", at: i) { emit(.iso8601SecondsTZ, 7); continue }
                if has("Z07:00:00", at: i) { emit(.iso8601ColonSecondsTZ, 9); continue }
                if has("Z0700", at: i) { emit(.iso8601TZ, 5); continue }
                if has("Z07:00", at: i) { emit(.iso8601ColonTZ, 6); continue }
                if has("Z07", at: i) { emit(.iso8601ShortTZ, 3); continue }
            case ".", ",":
                if i + 1 < c.count && (c[i + 1] == "0" || c[i + 1] == "9") {
                    let ch = c[i + 1]
                    var j = i + 1
                    while j < c.count && c[j] == ch { j += 1 }
                    if !(j < c.count && c[j].isASCII && c[j].isNumber) {
                        emit(.fraction(digits: j - i - 1, trim: ch == "9", separator: c[i]), j - i); continue
                    }
                }
            default: break
            }
            literal.append(c[i]); i += 1
        }
        if !literal.isEmpty { out.append(.literal(literal)) }
        return out
    }

    static func pad(_ v: Int, _ width: Int, _ with: Character = "0") -> String {
        let s = String(abs(v))
        return (v < 0 ? "-" : "") + (s.count >= width ? s : String(repeating: with, count: width - s.count) + s)
    }

    static func format(_ t: GoTime, _ layout: String) -> String {
        let c = t.civil
        var out = ""
        for e in elements(layout) {
            switch e {
            case .literal(let s): out += s
            case .longMonth: out += longMonths[c.month - 1]
            case .month: out += String(longMonths[c.month - 1].prefix(3))
            case .numMonth: out += String(c.month)
            case .zeroMonth: out += pad(c.month, 2)
            case .longWeekDay: out += longDays[c.weekday]
            case .weekDay: out += String(longDays[c.weekday].prefix(3))
            case .day: out += String(c.day)
            case .underDay: out += pad(c.day, 2, " ")
            case .zeroDay: out += pad(c.day, 2)
            case .underYearDay: out += pad(c.yearday, 3, " ")
            case .zeroYearDay: out += pad(c.yearday, 3)
            case .hour: out += pad(c.hour, 2)
            case .hour12: out += String(c.hour % 12 == 0 ? 12 : c.hour % 12)
            case .zeroHour12: out += pad(c.hour % 12 == 0 ? 12 : c.hour % 12, 2)
            case .minute: out += String(c.minute)
            case .zeroMinute: out += pad(c.minute, 2)
            case .second: out += String(c.second)
            case .zeroSecond: out += pad(c.second, 2)
            case .longYear: out += pad(c.year, 4)
            case .year: out += pad(c.year % 100, 2)
            case .pm: out += c.hour >= 12 ? "PM" : "AM"
            case .lowerPM: out += c.hour >= 12 ? "pm" : "am"
            case .tz: out += t.abbreviation
            case .fraction(let digits, let trim, let sep):
                var f = pad(Int(t.nanoseconds), 9)
                f = String(f.prefix(digits))
                if trim {
                    while f.hasSuffix("0") { f.removeLast() }
                    if !f.isEmpty { out += String(sep) + f }
                } else {
                    out += String(sep) + f
                }
            default:
                out += zoneText(e, t.offset)
            }
        }
        return out
    }

    static func zoneText(_ e: Element, _ offset: Int) -> String {
        let iso: Set<String> = ["iso8601TZ", "iso8601SecondsTZ", "iso8601ShortTZ", "iso8601ColonTZ", "iso8601ColonSecondsTZ"]
        let name = "\(e)"
        if offset == 0 && iso.contains(name) { return "Z" }
        let sign = offset < 0 ? "-" : "+"
        let z = abs(offset)
        let h = pad(z / 3600, 2), m = pad(z / 60 % 60, 2), s = pad(z % 60, 2)
        switch e {
        case .iso8601TZ, .numTZ: return sign + h + m
        case .iso8601ColonTZ, .numColonTZ: return sign + h + ":" + m
        case .iso8601ShortTZ, .numShortTZ: return sign + h
        case .iso8601SecondsTZ, .numSecondsTz: return sign + h + m + s
        case .iso8601ColonSecondsTZ, .numColonSecondsTZ: return sign + h + ":" + m + ":" + s
        default: return ""
        }
    }

    struct ParseError: Error { let message: String }

    /// time.ParseInLocation: Go's element parsing, range checks and day-of-year resolution.
    static func parse(_ value: String, layout: String, in zone: TimeZone) throws -> GoTime {
        var rest = Substring(value)
        // Go's defaults: no year is year 0; month, day and day-of-year unset.
        var year = 0, month = -1, day = -1, yday = -1, hour = 0, minute = 0, second = 0, nanos = 0
        var pmSet: Bool? = nil
        var offset: Int? = nil
        var zoneName: String? = nil
        var utc = false
        func fail(_ elem: String) -> TemplateFunctionError {
            TemplateFunctionError("parsing time \(GoText.quote(value)) as \(GoText.quote(layout)): cannot parse \(GoText.quote(String(rest))) as \(GoText.quote(elem))")
        }
        func outOfRange(_ what: String) -> TemplateFunctionError {
            TemplateFunctionError("parsing time \(GoText.quote(value)): \(what)")
        }
        func isDigit(_ c: Character?) -> Bool { c.map { $0.isASCII && $0.isNumber } ?? false }
        /// getnum: one or two digits (exactly two when `fixed`).
        func getnum(_ fixed: Bool, _ elem: String) throws -> Int {
            guard isDigit(rest.first) else { throw fail(elem) }
            let second = rest.dropFirst().first
            if !isDigit(second) {
                if fixed { throw fail(elem) }
                let v = rest.first!.wholeNumberValue!
                rest = rest.dropFirst()
                return v
            }
            let v = rest.first!.wholeNumberValue! * 10 + second!.wholeNumberValue!
            rest = rest.dropFirst(2)
            return v
        }
        /// getnum3: one to three digits (exactly three when `fixed`).
        func getnum3(_ fixed: Bool, _ elem: String) throws -> Int {
            let digits = rest.prefix(3).prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, !fixed || digits.count == 3 else { throw fail(elem) }
            rest = rest.dropFirst(digits.count)
            return Int(digits)!
        }
        func name(_ list: [String], short: Bool, _ elem: String) throws -> Int {
            for (i, n) in list.enumerated() {
                let candidate = short ? String(n.prefix(3)) : n
                if rest.lowercased().hasPrefix(candidate.lowercased()) { rest = rest.dropFirst(candidate.count); return i }
            }
            throw fail(elem)
        }
        /// parseNanoseconds over `.ddd` of `count` characters.
        func fraction(_ count: Int) {
            let digits = rest.dropFirst().prefix(count - 1)
            nanos = Int((String(digits) + "000000000").prefix(9))!
            rest = rest.dropFirst(count)
        }
        let layoutElements = elements(layout)
        for (index, e) in layoutElements.enumerated() {
            switch e {
            case .literal(let s):
                guard rest.hasPrefix(s) else { throw fail(s) }
                rest = rest.dropFirst(s.count)
            case .longMonth: month = try name(longMonths, short: false, "January") + 1
            case .month: month = try name(longMonths, short: true, "Jan") + 1
            case .numMonth, .zeroMonth:
                month = try getnum(e == .zeroMonth, e == .zeroMonth ? "01" : "1")
                if month <= 0 || month > 12 { throw outOfRange("month out of range") }
            case .longWeekDay: _ = try name(longDays, short: false, "Monday")
            case .weekDay: _ = try name(longDays, short: true, "Mon")
            case .day, .underDay, .zeroDay:
                if e == .underDay, rest.first == " " { rest = rest.dropFirst() }
                day = try getnum(e == .zeroDay, e == .zeroDay ? "02" : e == .underDay ? "_2" : "2")
            case .underYearDay, .zeroYearDay:
                for _ in 0..<2 where e == .underYearDay && rest.first == " " { rest = rest.dropFirst() }
                yday = try getnum3(e == .zeroYearDay, e == .zeroYearDay ? "002" : "__2")
            case .hour:
                hour = try getnum(false, "15")
                if hour >= 24 { throw outOfRange("hour out of range") }
            case .hour12, .zeroHour12:
                hour = try getnum(e == .zeroHour12, e == .zeroHour12 ? "03" : "3")
                if hour > 12 { throw outOfRange("hour out of range") }
            case .minute, .zeroMinute:
                minute = try getnum(e == .zeroMinute, e == .zeroMinute ? "04" : "4")
                if minute >= 60 { throw outOfRange("minute out of range") }
            case .second, .zeroSecond:
                second = try getnum(e == .zeroSecond, e == .zeroSecond ? "05" : "5")
                if second >= 60 { throw outOfRange("second out of range") }
                // Go accepts a fraction after seconds even when the layout has none.
                var layoutHasFraction = false
                if index + 1 < layoutElements.count, case .fraction = layoutElements[index + 1] { layoutHasFraction = true }
                if !layoutHasFraction, rest.first == "." || rest.first == ",", isDigit(rest.dropFirst().first) {
                    fraction(1 + rest.dropFirst().prefix { $0.isASCII && $0.isNumber }.count)
                }
            case .longYear:
                guard rest.count >= 4, isDigit(rest.first), let y = Int(rest.prefix(4)) else { throw fail("2006") }
                year = y
                rest = rest.dropFirst(4)
            case .year:
                guard rest.count >= 2, let y = Int(rest.prefix(2)) else { throw fail("06") }
                year = y >= 69 ? 1900 + y : 2000 + y
                rest = rest.dropFirst(2)
            case .pm, .lowerPM:
                // "PM"/"AM" for the PM element, "pm"/"am" for pm: case matters.
                let p = String(rest.prefix(2))
                let (am, pm) = e == .pm ? ("AM", "PM") : ("am", "pm")
                guard p == am || p == pm else { throw fail(e == .pm ? "PM" : "pm") }
                pmSet = p == pm; rest = rest.dropFirst(2)
            case .tz:
                if rest.hasPrefix("UTC") { utc = true; rest = rest.dropFirst(3); break }
                guard let n = timeZoneNameLength(rest) else { throw fail("MST") }
                zoneName = String(rest.prefix(n)); rest = rest.dropFirst(n)
            case .fraction(let digits, let trim, let separator):
                if trim {
                    // .999: any number of digits, or none at all.
                    guard rest.count >= 2, rest.first == "." || rest.first == ",", isDigit(rest.dropFirst().first) else { break }
                    fraction(1 + rest.dropFirst().prefix { $0.isASCII && $0.isNumber }.count)
                } else {
                    // .000: exactly that many characters.
                    let elem = String(separator) + String(repeating: "0", count: digits)
                    guard rest.count >= 1 + digits, rest.first == "." || rest.first == ",",
                        rest.dropFirst().prefix(digits).allSatisfy({ $0.isASCII && $0.isNumber }) else { throw fail(elem) }
                    fraction(1 + digits)
                }
            default:
                if rest.first == "Z", "\(e)".hasPrefix("iso") { utc = true; rest = rest.dropFirst(); break }
                // Go reports a bad offset with the text from its sign on.
                let start = rest
                func two() throws -> Int {
                    let digits = rest.prefix(2)
                    guard digits.count == 2, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { rest = start; throw fail(layoutText(e)) }
                    rest = rest.dropFirst(2)
                    return Int(digits)!
                }
                guard let sign = rest.first, sign == "+" || sign == "-" else { throw fail(layoutText(e)) }
                rest = rest.dropFirst()
                let h = try two()
                var m = 0, s = 0
                switch e {
                case .iso8601ColonTZ, .numColonTZ, .iso8601ColonSecondsTZ, .numColonSecondsTZ:
                    guard rest.first == ":" else { rest = start; throw fail(layoutText(e)) }
                    rest = rest.dropFirst(); m = try two()
                    if e == .iso8601ColonSecondsTZ || e == .numColonSecondsTZ {
                        guard rest.first == ":" else { rest = start; throw fail(layoutText(e)) }
                        rest = rest.dropFirst(); s = try two()
                    }
                case .iso8601TZ, .numTZ, .iso8601SecondsTZ, .numSecondsTz:
                    m = try two()
                    if e == .iso8601SecondsTZ || e == .numSecondsTz { s = try two() }
                default: break
                }
                if h > 24 { throw outOfRange("time zone offset hour out of range") }
                if m > 60 { throw outOfRange("time zone offset minute out of range") }
                if s > 60 { throw outOfRange("time zone offset second out of range") }
                offset = (sign == "-" ? -1 : 1) * (h * 3600 + m * 60 + s)
            }
        }
        if !rest.isEmpty {
            throw TemplateFunctionError("parsing time \(GoText.quote(value)): extra text: \(GoText.quote(String(rest)))")
        }
        if let pm = pmSet {
            if pm && hour < 12 { hour += 12 } else if !pm && hour == 12 { hour = 0 }
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        if yday >= 0 {
            // Day of year to month and day; a month or day also given must agree.
            var d = 0, m = 0
            if leap {
                if yday == 60 { m = 2; d = 29 } else if yday > 60 { yday -= 1 }
            }
            if yday < 1 || yday > 365 { throw outOfRange("day-of-year out of range") }
            if m == 0 {
                let before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365]
                m = (yday - 1) / 31 + 1
                if before[m] < yday { m += 1 }
                d = yday - before[m - 1]
            }
            if month >= 0 && month != m { throw outOfRange("day-of-year does not match month") }
            month = m
            if day >= 0 && day != d { throw outOfRange("day-of-year does not match day") }
            day = d
        } else {
            if month < 0 { month = 1 }
            if day < 0 { day = 1 }
        }
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...monthDays).contains(day) else { throw outOfRange("day out of range") }
        let days = GoTime.daysFromCivil(year, month, day)
        let wall = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second)
        if utc { return GoTime(seconds: wall, nanoseconds: Int64(nanos), zone: TimeZone(identifier: "UTC")!) }
        if let offset {
            // The local zone when it has this offset (and name) then, else a fixed zone.
            let local = GoTime(seconds: wall - Int64(offset), nanoseconds: Int64(nanos), zone: zone)
            if local.offset == offset && (zoneName == nil || local.abbreviation == zoneName) { return local }
            var fixed = GoTime(seconds: wall - Int64(offset), nanoseconds: Int64(nanos), zone: TimeZone(secondsFromGMT: offset) ?? zone)
            fixed.fixedName = zoneName ?? ""
            return fixed
        }
        if let zoneName {
            // Location.lookupName: a local zone of that name in effect then, else any of that name.
            // Go's UTC location has the one zone "UTC" (Foundation may call it GMT).
            let isUTC = zone.identifier == "UTC" || zone.identifier == "GMT"
            if !isUTC, let tz = TZif.named(zone.identifier) {
                let named = tz.zones.filter { $0.name == zoneName }
                let chosen = named.first { tz.lookup(wall - Int64($0.offset))?.name == zoneName }.map { tz.lookup(wall - Int64($0.offset))!.offset }
                    ?? named.first?.offset
                if let chosen { return GoTime(seconds: wall - Int64(chosen), nanoseconds: Int64(nanos), zone: zone) }
            } else if zoneName == GoTime(seconds: wall, nanoseconds: 0, zone: zone).abbreviation {
                return GoTime(seconds: wall - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall)))), nanoseconds: Int64(nanos), zone: zone)
            }
            var fakeOffset = 0
            if zoneName.count > 3, zoneName.hasPrefix("GMT"), let h = Int(zoneName.dropFirst(3)) { fakeOffset = h * 3600 }
            // Go sets the fake zone on the wall time read as UTC: the offset moves no instant.
            var fixed = GoTime(seconds: wall, nanoseconds: Int64(nanos), zone: TimeZone(secondsFromGMT: fakeOffset) ?? zone)
            fixed.fixedName = zoneName
            return fixed
        }
        // Wall clock in the given zone.
        var guess = wall - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall))))
        guess = wall - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(guess))))
        return GoTime(seconds: guess, nanoseconds: Int64(nanos), zone: zone)
    }

    /// time.parseTimeZone: how many bytes of `value` are a zone name (`MST`, `CEST`, `ChST`,
    /// `GMT+3`, `+07`), nil when none.
    static func timeZoneNameLength(_ value: Substring) -> Int? {
        let b = Array(value.utf8)
        guard b.count >= 3 else { return nil }
        if b.count >= 4, value.hasPrefix("ChST") || value.hasPrefix("MeST") { return 4 }
        func signedOffset(_ from: Int) -> Int {
            guard from < b.count, b[from] == UInt8(ascii: "+") || b[from] == UInt8(ascii: "-") else { return 0 }
            var j = from + 1
            var x = 0
            while j < b.count, b[j] >= 48, b[j] <= 57 { x = x * 10 + Int(b[j] - 48); j += 1; if x > 1_000_000 { break } }
            if j == from + 1 || x > 24 { return 0 }
            return j - from
        }
        if value.hasPrefix("GMT") { return 3 + signedOffset(3) }
        if b[0] == UInt8(ascii: "+") || b[0] == UInt8(ascii: "-") {
            let n = signedOffset(0)
            return n > 0 ? n : nil
        }
        var upper = 0
        while upper < 6, upper < b.count, b[upper] >= 65, b[upper] <= 90 { upper += 1 }
        switch upper {
        case 3: return 3
        case 4: return b[3] == UInt8(ascii: "T") || value.hasPrefix("WITA") ? 4 : nil
        case 5: return b[4] == UInt8(ascii: "T") ? 5 : nil
        default: return nil
        }
    }

    static func layoutText(_ e: Element) -> String {
        switch e {
        case .iso8601TZ: return "Z0700"
        case .iso8601ColonTZ: return "Z07:00"
        case .iso8601ShortTZ: return "Z07"
        case .iso8601SecondsTZ: return "Z070000"
        case .iso8601ColonSecondsTZ: return "Z07:00:00"
        case .numTZ: return "-0700"
        case .numColonTZ: return "-07:00"
        case .numShortTZ: return "-07"
        case .numSecondsTz: return "-070000"
        case .numColonSecondsTZ: return "-07:00:00"
        default: return ""
        }
    }
}

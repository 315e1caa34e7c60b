import Foundation
import GoTemplate
import Structured

/// Go's time.Time as templates see it: an instant plus a zone, printed like `Time.String()`.
struct GoTime: TemplateObject, GoStringer, GoJSONEncoded {
    var seconds: Int64          // Unix seconds
    var nanoseconds: Int64      // 0..<1e9
    var zone: TimeZone
    /// A fixed zone's own name (Go's FixedZone from parsing `PST` or `-0700` that the local
    /// zone does not explain); "" prints the offset.
    var fixedName: String? = nil

    static func now() -> GoTime {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return GoTime(seconds: Int64(ts.tv_sec), nanoseconds: Int64(ts.tv_nsec), zone: .current)
    }

    /// The zone's name and offset at this instant from its TZif file, as Go reads them.
    private var tzif: (name: String, offset: Int)? {
        if fixedName != nil || zone.identifier == "UTC" || zone.identifier == "GMT" { return nil }
        return TZif.named(zone.identifier)?.lookup(seconds)
    }

    var offset: Int { tzif?.offset ?? zone.secondsFromGMT(for: date) }
    var date: Date { Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9) }

    /// Zone abbreviation as Go prints it: UTC for UTC, else the tz abbreviation or ±hh[mm].
    var abbreviation: String {
        let o = offset, sign = o < 0 ? "-" : "+", h = abs(o) / 3600, m = abs(o) / 60 % 60
        let numeric = sign + String(h).leftPadded(2) + String(m).leftPadded(2)
        if let fixedName { return fixedName.isEmpty ? numeric : fixedName }
        if offset == 0 && (zone.identifier == "UTC" || zone.identifier == "GMT" || zone.identifier == "Etc/UTC") { return "UTC" }
        if let name = tzif?.name, !name.isEmpty { return name }
        if let a = zone.abbreviation(for: date), !a.hasPrefix("GMT") { return a }
        return numeric
    }

    /// Broken-down civil time in this zone.
    var civil: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int, yearday: Int) {
        let local = seconds + Int64(offset)
        let days = Int(local >= 0 ? local / 86400 : (local - 86399) / 86400)
        let secs = Int(local - Int64(days) * 86400)
        // Civil-from-days (Howard Hinnant).
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        var y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        if m <= 2 { y += 1 }
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let yearday = cumulative[m - 1] + d + (leap && m > 2 ? 1 : 0)
        return (y, m, d, secs / 3600, secs / 60 % 60, secs % 60, weekday, yearday)
    }

    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    func `in`(_ zone: TimeZone) -> GoTime { GoTime(seconds: seconds, nanoseconds: nanoseconds, zone: zone) }

    func adding(nanoseconds delta: Int64) -> GoTime {
        let total = nanoseconds + delta % 1_000_000_000
        var s = seconds + delta / 1_000_000_000 + total / 1_000_000_000
        var n = total % 1_000_000_000
        if n < 0 { n += 1_000_000_000; s -= 1 }
        return GoTime(seconds: s, nanoseconds: n, zone: zone)
    }

    // MARK: TemplateObject

    var goTypeName: String { "time.Time" }
    var goString: String { GoTimeLayout.format(self, "2006-01-02 15:04:05.999999999 -0700 MST") }
    /// Printed through its String method; JSON and YAML get MarshalJSON's RFC 3339 text.
    var representation: TemplateValue { .string(goString) }
    var jsonValue: Value { .string(GoTimeLayout.format(self, "2006-01-02T15:04:05.999999999Z07:00")) }

    func field(_ name: String) -> TemplateValue? {
        let c = civil
        switch name {
        case "Year": return .int(c.year)
        case "Month": return .int(c.month)
        case "Day": return .int(c.day)
        case "Hour": return .int(c.hour)
        case "Minute": return .int(c.minute)
        case "Second": return .int(c.second)
        case "Nanosecond": return .int(Int(nanoseconds))
        case "YearDay": return .int(c.yearday)
        case "Unix": return .int64(seconds)
        case "UnixNano": return .int64(seconds &* 1_000_000_000 &+ nanoseconds)
        case "UnixMilli": return .int64(seconds &* 1000 &+ nanoseconds / 1_000_000)
        case "String": return .string(goString)
        case "IsZero": return .bool(seconds == -62135596800 && nanoseconds == 0)
        case "UTC": return .object(self.in(TimeZone(identifier: "UTC")!))
        case "Local": return .object(self.in(.current))
        default: return nil
        }
    }

    func call(method name: String, arguments: [TemplateValue]) throws -> TemplateValue? {
        if arguments.isEmpty, let f = field(name) { return f }
        switch name {
        case "Format":
            guard arguments.count == 1, case .string(let layout) = arguments[0] else {
                throw TemplateFunctionError("wrong number of args for Format: want 1 got \(arguments.count)")
            }
            return .string(GoTimeLayout.format(self, layout))
        default: return nil
        }
    }
}

/// Go time.Duration printing and parsing.
enum GoDuration {
    /// time.Duration.String().
    static func string(_ d: Int64) -> String {
        if d == 0 { return "0s" }
        let negative = d < 0
        let u = d.magnitude
        var out: String
        if u < 1_000_000_000 {
            let (unit, scale): (String, UInt64) = u < 1000 ? ("ns", 1) : u < 1_000_000 ? ("µs", 1000) : ("ms", 1_000_000)
            out = fraction(u, scale) + unit
        } else {
            let totalSeconds = u / 1_000_000_000
            let frac = u % 1_000_000_000
            let h = totalSeconds / 3600, m = totalSeconds / 60 % 60, s = totalSeconds % 60
            var secs = String(s)
            if frac != 0 {
                var f = String(frac).leftPadded(9)
                while f.hasSuffix("0") { f.removeLast() }
                secs += "." + f
            }
            out = ""
            if h > 0 { out += "\(h)h" }
            if h > 0 || m > 0 { out += "\(m)m" }
            out += secs + "s"
        }
        return (negative ? "-" : "") + out
    }

    private static func fraction(_ v: UInt64, _ scale: UInt64) -> String {
        let whole = v / scale, frac = v % scale
        guard frac != 0 else { return String(whole) }
        var f = String(frac).leftPadded(String(scale).count - 1)
        while f.hasSuffix("0") { f.removeLast() }
        return "\(whole).\(f)"
    }

    /// time.ParseDuration.
    static func parse(_ s: String) throws -> Int64 {
        let original = s
        func invalid() -> TemplateFunctionError { TemplateFunctionError("time: invalid duration \(GoText.quote(original))") }
        var chars = Array(s.unicodeScalars)[...]
        var negative = false
        if let f = chars.first, f == "-" || f == "+" { negative = f == "-"; chars = chars.dropFirst() }
        if chars.count == 1 && chars.first == "0" { return 0 }
        if chars.isEmpty { throw invalid() }
        var total: Double = 0
        let units: [String: Double] = ["ns": 1, "us": 1e3, "µs": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9]
        while !chars.isEmpty {
            let intDigits = chars.prefix { ("0"..."9").contains($0) }
            chars = chars.dropFirst(intDigits.count)
            var fracDigits: ArraySlice<Unicode.Scalar> = []
            var hadDot = false
            if chars.first == "." {
                hadDot = true
                chars = chars.dropFirst()
                fracDigits = chars.prefix { ("0"..."9").contains($0) }
                chars = chars.dropFirst(fracDigits.count)
            }
            if intDigits.isEmpty && fracDigits.isEmpty { _ = hadDot; throw invalid() }
            let unitScalars = chars.prefix { !("0"..."9").contains($0) && $0 != "." }
            chars = chars.dropFirst(unitScalars.count)
            let unit = String(String.UnicodeScalarView(unitScalars))
            if unit.isEmpty { throw TemplateFunctionError("time: missing unit in duration \(GoText.quote(original))") }
            guard let scale = units[unit] else {
                throw TemplateFunctionError("time: unknown unit \(GoText.quote(unit)) in duration \(GoText.quote(original))")
            }
            let number = Double(String(String.UnicodeScalarView(intDigits)) + "." + String(String.UnicodeScalarView(fracDigits)) + "0") ?? 0
            total += number * scale
            if total > 9.223372036854775807e18 { throw invalid() }
        }
        return Int64((negative ? -total : total).rounded(.towardZero))
    }
}

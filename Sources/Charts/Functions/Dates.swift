import Foundation
import GoTemplate

/// Sprig's date functions over `GoTime` (time.Time) values.
enum DateFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("now", .exactly(0)) { _ in .object(GoTime.now()) }
        r.add("date", .exactly(2)) { a in .string(dateInZone(try a.string(0), a[1], "Local")) }
        for name in ["dateInZone", "date_in_zone"] {
            r.add(name, .exactly(3)) { a in .string(dateInZone(try a.string(0), a[1], try a.string(2))) }
        }
        r.add("htmlDate", .exactly(1)) { a in .string(dateInZone("2006-01-02", a[0], "Local")) }
        r.add("htmlDateInZone", .exactly(2)) { a in .string(dateInZone("2006-01-02", a[0], try a.string(1))) }
        for name in ["dateModify", "date_modify"] {
            r.add(name, .exactly(2)) { a in
                let text = try a.string(0)
                let t = try time(a, 1)
                guard let d = try? GoDuration.parse(text) else { return .object(t) }
                return .object(t.adding(nanoseconds: d))
            }
        }
        for name in ["mustDateModify", "must_date_modify"] {
            r.add(name, .exactly(2)) { a in
                let text = try a.string(0)
                let t = try time(a, 1)
                return .object(t.adding(nanoseconds: try GoDuration.parse(text)))
            }
        }
        r.add("ago", .exactly(1)) { a in
            let t = instant(a[0])
            let now = GoTime.now()
            var d = (now.seconds - t.seconds) * 1_000_000_000 + (now.nanoseconds - t.nanoseconds)
            d = roundDuration(d, 1_000_000_000)
            return .string(GoDuration.string(d))
        }
        r.add("duration", .exactly(1)) { a in
            var n: Int64 = 0
            switch a[0] {
            case .string(let s): n = parseDecimalInt(s) ?? 0
            case .int64(let i): n = i
            default: n = 0
            }
            return .string(GoDuration.string(n &* 1_000_000_000))
        }
        r.add("durationRound", .exactly(1)) { a in
            var d: Int64 = 0
            switch a[0] {
            case .string(let s): d = (try? GoDuration.parse(s)) ?? 0
            case .int64(let i): d = i
            case .object(let o as GoTime):
                let now = GoTime.now()
                d = (now.seconds - o.seconds) * 1_000_000_000 + (now.nanoseconds - o.nanoseconds)
            default: d = 0
            }
            return .string(durationRound(d))
        }
        r.add("toDate", .exactly(2)) { a in
            let layout = try a.string(0), value = try a.string(1)
            return .object((try? GoTimeLayout.parse(value, layout: layout, in: .current)) ?? zeroTime)
        }
        r.add("mustToDate", .exactly(2)) { a in
            .object(try GoTimeLayout.parse(try a.string(1), layout: try a.string(0), in: .current))
        }
        r.add("unixEpoch", .exactly(1)) { a in .string(String(try time(a, 0).seconds)) }
    }

    static let zeroTime = GoTime(seconds: -62135596800, nanoseconds: 0, zone: TimeZone(identifier: "UTC")!)

    static func time(_ a: Arguments, _ i: Int) throws -> GoTime {
        if case .object(let o as GoTime) = a[i] { return o }
        throw Arguments.wrongType("time.Time", a.original(i), index: i)
    }

    /// Sprig's date argument: a time, or Unix seconds as int/int64; anything else means now.
    static func instant(_ v: TemplateValue) -> GoTime {
        switch v {
        case .object(let o as GoTime): return o
        case .int(let i): return GoTime(seconds: Int64(i), nanoseconds: 0, zone: .current)
        case .int64(let i): return GoTime(seconds: i, nanoseconds: 0, zone: .current)
        default: return GoTime.now()
        }
    }

    static func dateInZone(_ layout: String, _ date: TemplateValue, _ zone: String) -> String {
        let tz: TimeZone
        if zone == "Local" { tz = .current }
        else if zone == "UTC" || zone.isEmpty { tz = TimeZone(identifier: "UTC")! }
        else { tz = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")! }
        return GoTimeLayout.format(instant(date).in(tz), layout)
    }

    static func parseDecimalInt(_ s: String) -> Int64? {
        var body = Substring(s)
        var negative = false
        if let f = body.first, f == "+" || f == "-" { negative = f == "-"; body = body.dropFirst() }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int64(body) else { return nil }
        return negative ? -v : v
    }

    /// time.Duration.Round(m): halfway values round away from zero.
    static func roundDuration(_ d: Int64, _ m: Int64) -> Int64 {
        var r = d % m
        if d < 0 {
            r = -r
            if r + r < m { return d + r }
            return d - m + r
        }
        if r + r < m { return d - r }
        return d + m - r
    }

    static func durationRound(_ d: Int64) -> String {
        let u = d.magnitude
        let second: UInt64 = 1_000_000_000, minute = 60 * second, hour = 60 * minute
        let day = 24 * hour, month = 30 * day, year = 365 * day
        switch u {
        case let x where x > year: return "\(x / year)y"
        case let x where x > month: return "\(x / month)mo"
        case let x where x > day: return "\(x / day)d"
        case let x where x > hour: return "\(x / hour)h"
        case let x where x > minute: return "\(x / minute)m"
        case let x where x > second: return "\(x / second)s"
        default: return "0s"
        }
    }
}

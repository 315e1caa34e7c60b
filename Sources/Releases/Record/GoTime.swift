/// A point in time as Go's time.Time carries it in Helm's records: an instant plus the UTC offset it
/// was written with, so that what Helm prints (in the writer's offset) can be reproduced.
public struct GoTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since the Unix epoch.
    public var seconds: Int64
    /// Nanoseconds within the second, 0..<1_000_000_000.
    public var nanoseconds: Int32
    /// Offset from UTC in seconds (0 prints as "Z").
    public var offset: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0, offset: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.offset = offset
    }

    public static func < (a: GoTime, b: GoTime) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    /// Go's zero time, 0001-01-01T00:00:00Z.
    public static let zero = GoTime(seconds: -62_135_596_800)
    public var isZero: Bool { self == .zero }

    public var description: String { rfc3339Nano }

    // MARK: Parsing

    /// Parse RFC 3339 with optional fractional seconds, as Go's time.Time.UnmarshalJSON accepts it.
    public init?(rfc3339 text: String) {
        let b = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for i in from..<from + count {
                guard (0x30...0x39).contains(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard b.count >= 20, let year = num(0, 4), b[4] == 0x2D, let month = num(5, 2), b[7] == 0x2D,
            let day = num(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
            let hour = num(11, 2), b[13] == 0x3A, let minute = num(14, 2), b[16] == 0x3A, let second = num(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var i = 19
        var nanos = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, (0x30...0x39).contains(b[i]) {
                if digits < 9 { nanos = nanos * 10 + Int(b[i] - 0x30) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) { nanos *= 10 }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else {
            guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), let oh = num(i + 1, 2), b.count > i + 3,
                b[i + 3] == 0x3A, let om = num(i + 4, 2)
            else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        }
        guard i == b.count else { return nil }
        let days = GoTime.daysFromCivil(year: year, month: month, day: day)
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.init(seconds: local - Int64(offset), nanoseconds: Int32(nanos), offset: Int32(offset))
    }

    // MARK: Formatting

    private struct Civil { var year, month, day, hour, minute, second, weekday: Int }

    private var civil: Civil {
        let local = seconds + Int64(offset)
        var days = local / 86_400
        var rem = local % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        let (y, m, d) = GoTime.civilFromDays(Int(days))
        // 1970-01-01 was a Thursday (4).
        let weekday = ((Int(days) % 7) + 7 + 4) % 7
        return Civil(year: y, month: m, day: d, hour: Int(rem / 3600), minute: Int(rem % 3600 / 60),
                     second: Int(rem % 60), weekday: weekday)
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    private var fraction: String {
        guard nanoseconds != 0 else { return "" }
        var digits = GoTime.pad(Int(nanoseconds), 9)
        while digits.last == "0" { digits.removeLast() }
        return "." + digits
    }

    private func offsetText(colon: Bool) -> String {
        let sign = offset < 0 ? "-" : "+"
        let a = Int(abs(offset))
        return sign + GoTime.pad(a / 3600, 2) + (colon ? ":" : "") + GoTime.pad(a % 3600 / 60, 2)
    }

    /// Go's time.RFC3339Nano, the form Helm stores.
    public var rfc3339Nano: String {
        let c = civil
        return "\(GoTime.pad(c.year, 4))-\(GoTime.pad(c.month, 2))-\(GoTime.pad(c.day, 2))T"
            + "\(GoTime.pad(c.hour, 2)):\(GoTime.pad(c.minute, 2)):\(GoTime.pad(c.second, 2))\(fraction)"
            + (offset == 0 ? "Z" : offsetText(colon: true))
    }

    /// Go's Time.String() ("2006-01-02 15:04:05.999999999 -0700 MST"), used by `helm list`.
    public var goString: String {
        let c = civil
        let zone = offset == 0 ? "UTC" : offsetText(colon: false)
        return "\(GoTime.pad(c.year, 4))-\(GoTime.pad(c.month, 2))-\(GoTime.pad(c.day, 2)) "
            + "\(GoTime.pad(c.hour, 2)):\(GoTime.pad(c.minute, 2)):\(GoTime.pad(c.second, 2))\(fraction) "
            + "\(offsetText(colon: false)) \(zone)"
    }

    /// Go's time.ANSIC ("Mon Jan _2 15:04:05 2006"), used by `helm history` and `helm status`.
    public var ansic: String {
        let c = civil
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let day = c.day < 10 ? " \(c.day)" : "\(c.day)"
        return "\(days[c.weekday]) \(months[c.month - 1]) \(day) "
            + "\(GoTime.pad(c.hour, 2)):\(GoTime.pad(c.minute, 2)):\(GoTime.pad(c.second, 2)) \(GoTime.pad(c.year, 4))"
    }

    // Howard Hinnant's civil-date algorithms (proleptic Gregorian calendar).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

extension GoTime {
    /// Kubernetes MicroTime ("2006-01-02T15:04:05.000000Z07:00"), used by Lease times.
    public var microTime: String {
        let base = GoTime(seconds: seconds, nanoseconds: 0, offset: offset).rfc3339Nano
        let micros = Int(nanoseconds) / 1000
        let frac = String(repeating: "0", count: 6 - String(micros).count) + String(micros)
        let split = base.index(base.startIndex, offsetBy: 19)
        return base[..<split] + "." + frac + base[split...]
    }

    /// Seconds from `other` to `self` (positive when `self` is later).
    public func seconds(since other: GoTime) -> Double {
        Double(seconds - other.seconds) + Double(nanoseconds - other.nanoseconds) / 1e9
    }

    public func adding(seconds delta: Double) -> GoTime {
        let whole = delta.rounded(.down)
        var s = seconds + Int64(whole)
        var n = Int64(nanoseconds) + Int64(((delta - whole) * 1e9).rounded())
        if n >= 1_000_000_000 { s += 1; n -= 1_000_000_000 }
        return GoTime(seconds: s, nanoseconds: Int32(n), offset: offset)
    }
}

import Foundation

extension GoTime {
    /// The current time in UTC.
    public static func now() -> GoTime {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return GoTime(seconds: Int64(ts.tv_sec), nanoseconds: Int32(ts.tv_nsec))
    }
}

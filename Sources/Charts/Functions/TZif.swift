import Foundation
import Synchronization

/// A time zone as Go's time package loads it: the TZif file under /usr/share/zoneinfo (its
/// transitions, then the footer's POSIX TZ rule past the last one). Go prints abbreviations
/// (`EST`, `CEST`) from these files; Foundation has none on Linux.
struct TZif: Sendable {
    struct Zone: Sendable { let name: String; let offset: Int; let isDST: Bool }

    let zones: [Zone]
    let transitions: [(when: Int64, zone: Int)]
    /// The footer rule (`EST5EDT,M3.2.0,M11.1.0`), empty when none.
    let extend: String

    /// The zone's name and UTC offset at Unix time `seconds` (Go's Location.lookup).
    func lookup(_ seconds: Int64) -> (name: String, offset: Int)? {
        guard !zones.isEmpty else { return nil }
        if transitions.isEmpty || seconds < transitions[0].when {
            let z = zones[firstZone()]
            return (z.name, z.offset)
        }
        var lo = 0, hi = transitions.count
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if seconds < transitions[mid].when { hi = mid } else { lo = mid }
        }
        if lo == transitions.count - 1, !extend.isEmpty, let rule = PosixTZ(extend), let r = rule.lookup(seconds) {
            return r
        }
        let z = zones[transitions[lo].zone]
        return (z.name, z.offset)
    }

    /// lookupFirstZone: the zone before the first transition.
    private func firstZone() -> Int {
        if !transitions.contains(where: { $0.zone == 0 }) { return 0 }
        if let first = transitions.first, zones[first.zone].isDST {
            var zi = first.zone - 1
            while zi >= 0 { if !zones[zi].isDST { return zi }; zi -= 1 }
        }
        return zones.firstIndex { !$0.isDST } ?? 0
    }

    /// Parse TZif data (version 1 tables, or the 64-bit ones of version 2+).
    init?(_ data: [UInt8]) {
        guard data.count >= 44, data[0..<4].elementsEqual("TZif".utf8) else { return nil }
        func u32(_ at: Int) -> Int { Int(UInt32(data[at]) << 24 | UInt32(data[at + 1]) << 16 | UInt32(data[at + 2]) << 8 | UInt32(data[at + 3])) }
        func counts(_ at: Int) -> [Int] { (0..<6).map { u32(at + 20 + 4 * $0) } }
        var header = 0
        var c = counts(0)
        var timeSize = 4
        if data[4] >= UInt8(ascii: "2") {
            // Skip the version 1 block: the 64-bit header follows it.
            header = 44 + c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0]
            guard data.count >= header + 44 else { return nil }
            c = counts(header)
            timeSize = 8
        }
        let (isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt) = (c[0], c[1], c[2], c[3], c[4], c[5])
        var p = header + 44
        let end = p + timecnt * timeSize + timecnt + typecnt * 6 + charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt
        guard data.count >= end, typecnt > 0 else { return nil }
        var times: [Int64] = []
        for i in 0..<timecnt {
            if timeSize == 8 {
                times.append(Int64(bitPattern: UInt64(u32(p + 8 * i)) << 32 | UInt64(u32(p + 8 * i + 4))))
            } else {
                times.append(Int64(Int32(bitPattern: UInt32(u32(p + 4 * i)))))
            }
        }
        p += timecnt * timeSize
        let indices = data[p..<(p + timecnt)].map(Int.init)
        p += timecnt
        let typesAt = p
        p += typecnt * 6
        let chars = Array(data[p..<(p + charcnt)])
        var zones: [Zone] = []
        for i in 0..<typecnt {
            let at = typesAt + 6 * i
            let offset = Int(Int32(bitPattern: UInt32(u32(at))))
            let nameStart = Int(data[at + 5])
            let nameEnd = chars[min(nameStart, chars.count)...].firstIndex(of: 0) ?? chars.count
            zones.append(Zone(name: String(decoding: chars[min(nameStart, chars.count)..<nameEnd], as: UTF8.self), offset: offset, isDST: data[at + 4] != 0))
        }
        guard indices.allSatisfy({ $0 < zones.count }) else { return nil }
        self.zones = zones
        transitions = zip(times, indices).map { ($0, $1) }
        var footer = ""
        if timeSize == 8, end < data.count, data[end] == UInt8(ascii: "\n"),
            let close = data[(end + 1)...].firstIndex(of: UInt8(ascii: "\n")) {
            footer = String(decoding: data[(end + 1)..<close], as: UTF8.self)
        }
        extend = footer
    }

    private static let cache = Mutex<[String: TZif?]>([:])

    /// The zone file for an IANA name (Go's LoadLocation search, system zoneinfo first).
    static func named(_ identifier: String) -> TZif? {
        if let cached = cache.withLock({ $0[identifier] }) { return cached }
        var zone: TZif?
        let valid = !identifier.isEmpty && !identifier.hasPrefix("/") && !identifier.split(separator: "/").contains("..")
        if valid, let data = FileManager.default.contents(atPath: "/usr/share/zoneinfo/" + identifier) {
            zone = TZif(Array(data))
        }
        cache.withLock { $0[identifier] = zone }
        return zone
    }
}

/// A POSIX TZ rule as Go's tzset reads a TZif footer: `std offset [dst [offset] [,start[/time],end[/time]]]`.
struct PosixTZ {
    let std: (name: String, offset: Int)
    let dst: (name: String, offset: Int, start: Rule, end: Rule)?

    struct Rule {
        enum Kind { case julian, dayOfYear, monthWeekDay }
        var kind: Kind, day = 0, week = 0, month = 0, time = 7200
    }

    init?(_ text: String) {
        var s = Substring(text)
        guard let stdName = PosixTZ.name(&s), let stdOffset = PosixTZ.offset(&s) else { return nil }
        std = (stdName, -stdOffset)
        if s.isEmpty { dst = nil; return }
        guard let dstName = PosixTZ.name(&s) else { return nil }
        var dstOffset = -stdOffset + 3600
        if let first = s.first, first != ",", let o = PosixTZ.offset(&s) { dstOffset = -o }
        if s.isEmpty { s = ",M3.2.0,M11.1.0" }
        guard s.first == "," else { return nil }
        s = s.dropFirst()
        guard let start = PosixTZ.rule(&s), s.first == "," else { return nil }
        s = s.dropFirst()
        guard let end = PosixTZ.rule(&s), s.isEmpty else { return nil }
        dst = (dstName, dstOffset, start, end)
    }

    private static func name(_ s: inout Substring) -> String? {
        if s.first == "<" {
            guard let close = s.firstIndex(of: ">") else { return nil }
            let n = String(s[s.index(after: s.startIndex)..<close])
            s = s[s.index(after: close)...]
            return n
        }
        let n = s.prefix { $0.isLetter }
        guard n.count >= 3 else { return nil }
        s = s.dropFirst(n.count)
        return String(n)
    }

    /// `[+-]hh[:mm[:ss]]` in seconds (POSIX sign: west of Greenwich is positive).
    private static func offset(_ s: inout Substring) -> Int? {
        var sign = 1
        if s.first == "+" { s = s.dropFirst() } else if s.first == "-" { sign = -1; s = s.dropFirst() }
        guard let t = clock(&s) else { return nil }
        return sign * t
    }

    private static func clock(_ s: inout Substring) -> Int? {
        var parts: [Int] = []
        repeat {
            if !parts.isEmpty { s = s.dropFirst() }
            let digits = s.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let v = Int(digits) else { return nil }
            parts.append(v)
            s = s.dropFirst(digits.count)
        } while s.first == ":" && parts.count < 3
        return parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0)
    }

    private static func rule(_ s: inout Substring) -> Rule? {
        var r: Rule
        if s.first == "J" {
            s = s.dropFirst()
            let d = s.prefix { $0.isNumber }; s = s.dropFirst(d.count)
            guard let day = Int(d) else { return nil }
            r = Rule(kind: .julian, day: day)
        } else if s.first == "M" {
            s = s.dropFirst()
            var fields: [Int] = []
            for i in 0..<3 {
                if i > 0 { guard s.first == "." else { return nil }; s = s.dropFirst() }
                let d = s.prefix { $0.isNumber }; s = s.dropFirst(d.count)
                guard let v = Int(d) else { return nil }
                fields.append(v)
            }
            r = Rule(kind: .monthWeekDay, day: fields[2], week: fields[1], month: fields[0])
        } else {
            let d = s.prefix { $0.isNumber }; s = s.dropFirst(d.count)
            guard let day = Int(d) else { return nil }
            r = Rule(kind: .dayOfYear, day: day)
        }
        if s.first == "/" {
            s = s.dropFirst()
            guard let t = offset(&s) else { return nil }
            r.time = t
        }
        return r
    }

    /// The name and offset at Unix time `seconds` (Go's tzset for times after the last transition).
    func lookup(_ seconds: Int64) -> (name: String, offset: Int)? {
        guard let dst else { return std }
        // The year of `seconds` in standard time.
        let local = seconds + Int64(std.offset)
        let days = Int(local >= 0 ? local / 86400 : (local - 86399) / 86400)
        let year = GoTime(seconds: Int64(days) * 86400, nanoseconds: 0, zone: TimeZone(identifier: "UTC")!).civil.year
        let yearStart = Int64(GoTime.daysFromCivil(year, 1, 1)) * 86400
        let ysec = seconds - yearStart
        let start = Int64(Self.ruleTime(year, dst.start)) - Int64(std.offset)
        let end = Int64(Self.ruleTime(year, dst.end)) - Int64(dst.offset)
        let inDST = start < end ? (ysec >= start && ysec < end) : !(ysec >= end && ysec < start)
        return inDST ? (dst.name, dst.offset) : std
    }

    /// Seconds from the start of `year` (local wall clock) to the rule's moment (Go's tzruleTime).
    private static func ruleTime(_ year: Int, _ r: Rule) -> Int {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        var s: Int
        switch r.kind {
        case .julian:
            s = (r.day - 1) * 86400
            if leap && r.day >= 60 { s += 86400 }
        case .dayOfYear:
            s = r.day * 86400
        case .monthWeekDay:
            let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
            let monthStartDays = cumulative[r.month - 1] + (leap && r.month > 2 ? 1 : 0)
            let firstDay = GoTime.daysFromCivil(year, r.month, 1)
            let weekdayOfFirst = ((firstDay % 7) + 11) % 7
            var d = r.day - weekdayOfFirst
            if d < 0 { d += 7 }
            let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][r.month - 1]
            for _ in 1..<r.week {
                if d + 7 >= monthDays { break }
                d += 7
            }
            s = (monthStartDays + d) * 86400
        }
        return s + r.time
    }
}

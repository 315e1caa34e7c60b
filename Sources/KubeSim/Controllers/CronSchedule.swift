import Foundation

/// A standard five-field cron schedule (minute hour day-of-month month day-of-week) with ranges,
/// steps, lists, names, `?`, and the @hourly/@daily/... macros; times in UTC (or `CRON_TZ=`/`TZ=`
/// prefixes, which are accepted and ignored).
struct CronSchedule: Sendable {
    let minutes: Set<Int>, hours: Set<Int>, days: Set<Int>, months: Set<Int>, weekdays: Set<Int>
    let anyDay: Bool, anyWeekday: Bool

    init?(_ text: String) {
        var spec = text.trimmingCharacters(in: .whitespaces)
        if spec.hasPrefix("CRON_TZ=") || spec.hasPrefix("TZ=") { spec = spec.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? "" }
        let macros = ["@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
                      "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"]
        if let expanded = macros[spec] { spec = expanded }
        let fields = spec.split(separator: " ").map(String.init)
        guard fields.count == 5,
              let mi = Self.field(fields[0], 0, 59, []), let h = Self.field(fields[1], 0, 23, []),
              let d = Self.field(fields[2], 1, 31, []),
              let mo = Self.field(fields[3], 1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
              var w = Self.field(fields[4], 0, 7, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"])
        else { return nil }
        if w.remove(7) != nil { w.insert(0) }  // 7 is Sunday too
        minutes = mi; hours = h; days = d; months = mo; weekdays = w
        anyDay = fields[2] == "*" || fields[2] == "?"
        anyWeekday = fields[4] == "*" || fields[4] == "?"
    }

    private static func field(_ text: String, _ low: Int, _ high: Int, _ names: [String]) -> Set<Int>? {
        var result: Set<Int> = []
        for part in text.lowercased().split(separator: ",") {
            let pieces = part.split(separator: "/", maxSplits: 1)
            let step = pieces.count > 1 ? Int(pieces[1]) : 1
            guard let step, step > 0 else { return nil }
            func value(_ s: Substring) -> Int? {
                if let i = names.firstIndex(of: String(s)) { return i + (low == 1 ? 1 : 0) }
                return Int(s)
            }
            var from = low, to = high
            let range = pieces[0]
            if range != "*" && range != "?" {
                let bounds = range.split(separator: "-", maxSplits: 1)
                guard let a = value(bounds[0]) else { return nil }
                from = a
                to = bounds.count > 1 ? (value(bounds[1]) ?? -1) : (pieces.count > 1 ? high : a)
            }
            guard from >= low, to <= high, from <= to else { return nil }
            result.formUnion(stride(from: from, through: to, by: step))
        }
        return result
    }

    /// The first scheduled minute strictly after `date`.
    func next(after date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var t = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
        for _ in 0..<(366 * 24 * 60) {
            let c = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: t)
            guard months.contains(c.month!) else { t = t.addingTimeInterval(60); continue }
            let dayOK = days.contains(c.day!), weekdayOK = weekdays.contains(c.weekday! - 1)
            let dateOK = anyDay ? (anyWeekday || weekdayOK) : (anyWeekday ? dayOK : (dayOK || weekdayOK))
            guard dateOK else { t = t.addingTimeInterval(3600 - Double(c.minute!) * 60); continue }
            guard hours.contains(c.hour!) else { t = t.addingTimeInterval(Double(60 - c.minute!) * 60); continue }
            if minutes.contains(c.minute!) { return t }
            t = t.addingTimeInterval(60)
        }
        return nil
    }
}

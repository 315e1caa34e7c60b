import Foundation
import Synchronization

/// Timestamps as the API server writes them (RFC 3339, seconds, UTC).
public enum Timestamp {
    /// The text of the current second: every write stamps an object (creationTimestamp, managedFields
    /// time), so the text is built once per second, not once per write.
    private static let current = Mutex<(second: Int, text: String)>((.min, ""))

    public static func now() -> String {
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        let second = Int(clock.tv_sec)
        return current.withLock { cached in
            if cached.second == second { return cached.text }
            let text = format(epochSecond: second)
            cached = (second, text)
            return text
        }
    }

    public static func format(_ date: Date) -> String {
        format(epochSecond: Int(date.timeIntervalSince1970.rounded(.down)))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` written digit by digit (String(format:) costs microseconds);
    /// years outside 0...9999 keep printf's `%04d` rendering.
    static func format(epochSecond: Int) -> String {
        var copy = time_t(epochSecond)
        var parts = tm()
        gmtime_r(&copy, &parts)
        let year = Int(parts.tm_year) + 1900
        guard (0...9999).contains(year) else {
            return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, Int(parts.tm_mon) + 1,
                          Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        }
        return String(unsafeUninitializedCapacity: 20) { buffer in
            func put(_ value: Int, _ at: Int, digits: Int) {
                var rest = value
                for i in stride(from: at + digits - 1, through: at, by: -1) {
                    buffer[i] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(year, 0, digits: 4)
            buffer[4] = UInt8(ascii: "-")
            put(Int(parts.tm_mon) + 1, 5, digits: 2)
            buffer[7] = UInt8(ascii: "-")
            put(Int(parts.tm_mday), 8, digits: 2)
            buffer[10] = UInt8(ascii: "T")
            put(Int(parts.tm_hour), 11, digits: 2)
            buffer[13] = UInt8(ascii: ":")
            put(Int(parts.tm_min), 14, digits: 2)
            buffer[16] = UInt8(ascii: ":")
            put(Int(parts.tm_sec), 17, digits: 2)
            buffer[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    public static func parse(_ text: String) -> Date? {
        let digits = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard digits.count >= 6 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(digits[0] - 1900)
        parts.tm_mon = Int32(digits[1] - 1)
        parts.tm_mday = Int32(digits[2])
        parts.tm_hour = Int32(digits[3])
        parts.tm_min = Int32(digits[4])
        parts.tm_sec = Int32(digits[5])
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Object uids: random version-4 UUIDs in lower-case 8-4-4-4-12 form, as the API server writes them.
/// Every create takes one, so the text is written byte by byte (no Foundation UUID, no format
/// string) from random words read in blocks (one read per 32 uids, not two getrandom calls each).
enum UUIDSource {
    private static let pool = Mutex(RandomWords())

    static func next() -> String {
        let (a, b) = pool.withLock { words in (words.next(), words.next()) }
        // Version 4 in the high nibble of the 7th byte, variant 10 in the top bits of the 9th.
        return format(high: a & 0xffff_ffff_ffff_0fff | 0x4000, low: b & 0x3fff_ffff_ffff_ffff | 0x8000_0000_0000_0000)
    }

    /// The 36-character text of 128 bits: `high` gives the first 16 hex digits, `low` the last 16.
    static func format(high: UInt64, low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            var out = 0
            for digit in 0..<32 {
                if digit == 8 || digit == 12 || digit == 16 || digit == 20 {
                    buffer[out] = UInt8(ascii: "-")
                    out += 1
                }
                let word = digit < 16 ? high : low
                let nibble = UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * (digit % 16))) & 0xf
                buffer[out] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                out += 1
            }
            return out
        }
    }
}

/// Random 64-bit words from the kernel's generator, read 64 at a time from /dev/urandom; where that
/// cannot be read, one `SystemRandomNumberGenerator` call per word.
struct RandomWords: ~Copyable {
    private var words = [UInt64](repeating: 0, count: 64)
    private var used = 64
    private let device: Int32

    init() { device = open("/dev/urandom", O_RDONLY | O_CLOEXEC) }

    deinit { if device >= 0 { close(device) } }

    mutating func next() -> UInt64 {
        if used == words.count {
            guard refill() else {
                var system = SystemRandomNumberGenerator()
                return system.next()
            }
            used = 0
        }
        defer { used += 1 }
        return words[used]
    }

    private mutating func refill() -> Bool {
        guard device >= 0 else { return false }
        let fd = device
        return words.withUnsafeMutableBytes { buffer in
            var filled = 0
            while filled < buffer.count {
                let n = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if n > 0 { filled += n } else if n < 0 && errno == EINTR { continue } else { return false }
            }
            return true
        }
    }
}

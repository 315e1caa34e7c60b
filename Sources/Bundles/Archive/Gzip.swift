import CompressNIO
import NIOCore

/// gzip framing written by hand around raw deflate, so the header can carry what Helm's
/// `chartutil.Save` puts there: an Extra field and the comment `Helm`, mtime 0, OS 255 (Go's defaults).
enum Gzip {
    static let helmExtra = Array("+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=".utf8)

    static func compress(_ bytes: [UInt8], extra: [UInt8] = helmExtra, comment: String = "Helm") throws(BundlesError) -> [UInt8] {
        var out: [UInt8] = [0x1f, 0x8b, 0x08]
        var flags: UInt8 = 0
        if !extra.isEmpty { flags |= 0x04 }
        if !comment.isEmpty { flags |= 0x10 }
        out += [flags, 0, 0, 0, 0, 0, 0xff]
        if !extra.isEmpty {
            out += [UInt8(extra.count & 0xff), UInt8(extra.count >> 8)]
            out += extra
        }
        if !comment.isEmpty { out += Array(comment.utf8) + [0] }
        var buffer = ByteBuffer(bytes: bytes)
        do {
            let deflated = try buffer.compress(with: .deflate())
            out += Array(deflated.readableBytesView)
        } catch {
            throw BundlesError("gzip: compressing failed: \(error)")
        }
        let crc = CRC32.checksum(bytes)
        let size = UInt32(truncatingIfNeeded: bytes.count)
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((crc >> UInt32(shift)) & 0xff)) }
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((size >> UInt32(shift)) & 0xff)) }
        return out
    }
}

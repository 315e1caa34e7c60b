import CompressNIO
import Foundation
import NIOCore
import Structured

/// What goes into `data.release` of the storage object: base64(gzip(JSON)), as Helm writes it.
/// (For a Secret, Kubernetes base64s these bytes once more on the wire.)
public enum ReleaseCodec {
    /// Why a stored payload could not be read; the driver adds which object held it.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case base64
        case gzip(String)
        case json(String)
        case record(String)

        public var description: String {
            switch self {
            case .base64: return "data.release is not valid base64"
            case .gzip(let m): return "data.release is not valid gzip: \(m)"
            case .json(let m): return "release JSON is invalid: \(m)"
            case .record(let m): return "release record is invalid: \(m)"
            }
        }
    }

    /// Go's gzip magic plus the deflate method byte; anything else is read as plain JSON.
    static let gzipMagic: [UInt8] = [0x1F, 0x8B, 0x08]

    public static func encode(_ release: Release) -> String {
        Data(gzip(ReleaseJSON.encodeBytes(release))).base64EncodedString()
    }

    /// The record's JSON alone (what `helm status -o json` prints and Helm's memory driver preloads).
    public static func json(_ release: Release) -> String { ReleaseJSON.encode(release) }

    /// Read a record from its JSON alone.
    public static func decodeJSON(_ text: String) throws(Failure) -> Release { try decodeBytes(Array(text.utf8)) }

    public static func decode(_ payload: String) throws(Failure) -> Release {
        // Go's base64 decoder skips line breaks; nothing else is tolerated.
        let cleaned = payload.filter { $0 != "\n" && $0 != "\r" }
        guard let data = Data(base64Encoded: cleaned) else { throw .base64 }
        return try decodeBytes([UInt8](data))
    }

    /// The bytes after base64: gzip or plain JSON.
    static func decodeBytes(_ bytes: [UInt8]) throws(Failure) -> Release {
        var json = bytes
        if bytes.count > 3, Array(bytes[0..<3]) == gzipMagic {
            json = try gunzip(bytes)
        }
        let value: Value
        do { value = try JSON.decode(json) } catch { throw .json(error.description) }
        do { return try ReleaseJSON.decode(value) } catch { throw .record(error.message) }
    }

    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var input = ByteBuffer(bytes: bytes)
        // Compressing into an allocated buffer of the maximal size cannot overflow.
        let out = try! input.compress(with: .gzip(configuration: .init(compressionLevel: .bestCompression)))
        return Array(out.readableBytesView)
    }

    /// Inflate one gzip member and check its trailer (CRC-32 and length), as Go's reader does:
    /// zlib alone stops quietly at the end of a truncated stream.
    static func gunzip(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        guard bytes.count >= 18 else { throw .gzip("unexpected EOF") }
        var input = ByteBuffer(bytes: bytes)
        let out: [UInt8]
        do {
            out = Array(try input.decompress(with: .gzip(), maxSize: 1 << 30).readableBytesView)
        } catch {
            throw .gzip("\(error)")
        }
        let t = bytes.count - 8
        func le32(_ i: Int) -> UInt32 {
            UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
        }
        guard le32(t + 4) == UInt32(truncatingIfNeeded: out.count) else { throw .gzip("unexpected EOF") }
        guard le32(t) == crc32(out) else { throw .gzip("invalid checksum") }
        return out
    }

    private static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

/// A tar writer producing what Go's `archive/tar` writes for regular files: USTAR headers (long
/// names split into prefix/name when possible, otherwise a PAX `path` record), octal fields, two
/// zero blocks at the end.
struct TarWriter {
    private(set) var bytes: [UInt8] = []

    mutating func addFile(name: String, data: [UInt8], mode: Int = 0o644, modificationTime: Int64) {
        let nameBytes = Array(name.utf8)
        if nameBytes.count <= 100 {
            writeHeader(name: nameBytes, prefix: [], size: data.count, mode: mode, mtime: modificationTime, type: UInt8(ascii: "0"))
        } else if let (prefix, rest) = Self.splitUSTAR(nameBytes) {
            writeHeader(name: rest, prefix: prefix, size: data.count, mode: mode, mtime: modificationTime, type: UInt8(ascii: "0"))
        } else {
            // PAX extended header carrying the full path, then the entry with a truncated name.
            let record = Self.paxRecord(key: "path", value: name)
            let base = name.split(separator: "/").last.map(String.init) ?? name
            let dir = name.split(separator: "/").dropLast().joined(separator: "/")
            let paxName = Array(((dir.isEmpty ? "" : dir + "/") + "PaxHeaders.0/" + base).utf8.prefix(100))
            writeHeader(name: paxName, prefix: [], size: record.count, mode: mode, mtime: modificationTime, type: UInt8(ascii: "x"))
            append(record)
            writeHeader(name: Array(nameBytes.prefix(100)), prefix: [], size: data.count, mode: mode, mtime: modificationTime, type: UInt8(ascii: "0"))
        }
        append(data)
    }

    /// The archive with its end-of-archive marker.
    func finished() -> [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }

    private mutating func append(_ data: [UInt8]) {
        bytes += data
        let pad = (512 - data.count % 512) % 512
        bytes += [UInt8](repeating: 0, count: pad)
    }

    private static func splitUSTAR(_ name: [UInt8]) -> ([UInt8], [UInt8])? {
        guard name.count <= 256 else { return nil }
        // The prefix ends at a slash; it holds at most 155 bytes and the rest at most 100.
        for i in stride(from: min(name.count - 1, 155), through: 1, by: -1) where name[i] == UInt8(ascii: "/") {
            let rest = Array(name[(i + 1)...])
            if rest.isEmpty || rest.count > 100 { return nil }
            return (Array(name[..<i]), rest)
        }
        return nil
    }

    private static func paxRecord(key: String, value: String) -> [UInt8] {
        let body = " \(key)=\(value)\n"
        var length = body.utf8.count + 1
        while String(length).count + body.utf8.count != length { length = String(length).count + body.utf8.count }
        return Array((String(length) + body).utf8)
    }

    private mutating func writeHeader(name: [UInt8], prefix: [UInt8], size: Int, mode: Int, mtime: Int64, type: UInt8) {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ field: [UInt8], at offset: Int) { for (i, b) in field.enumerated() { h[offset + i] = b } }
        func octal(_ value: Int64, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(name, at: 0)
        put(octal(Int64(mode), width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        put(octal(Int64(size), width: 12), at: 124)
        put(octal(mtime, width: 12), at: 136)
        h[156] = type
        put(Array("ustar\0".utf8), at: 257)
        put(Array("00".utf8), at: 263)
        put(octal(0, width: 8), at: 329)
        put(octal(0, width: 8), at: 337)
        put(prefix, at: 345)
        // Checksum: sum of all bytes with the checksum field read as spaces; 6 digits, NUL, space.
        for i in 148..<156 { h[i] = 0x20 }
        let sum = h.reduce(0) { $0 + Int64($1) }
        let digits = String(sum, radix: 8)
        put(Array((String(repeating: "0", count: max(0, 6 - digits.count)) + digits).utf8) + [0, 0x20], at: 148)
        bytes += h
    }
}

/// One regular file (or other entry) read from a tar stream.
struct TarEntry: Sendable {
    enum Kind: Sendable { case file, directory, other }
    var name: String
    var kind: Kind
    var size: Int
    var data: [UInt8]
}

/// Reads POSIX ustar, GNU (long names `L`, long links `K`, base-256 sizes) and pax (`x`, `g`)
/// archives: the formats `helm package` and common tar tools write.
struct TarReader {
    private let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func entries() throws(ChartsError) -> [TarEntry] {
        var result: [TarEntry] = []
        var offset = 0
        var longName: String?
        var paxPath: String?
        var globalPaxPath: String?
        while offset + 512 <= bytes.count {
            let start = offset
            let header = bytes[start..<start + 512]
            if header.allSatisfy({ $0 == 0 }) { break }  // end-of-archive marker
            guard checksumMatches(offset) else { throw ChartsError("archive/tar: invalid tar header") }
            let size = try number(at: offset + 124, length: 12)
            let type = bytes[offset + 156]
            let dataStart = offset + 512
            guard size >= 0, dataStart + size <= bytes.count else { throw ChartsError("unexpected EOF") }
            let data = Array(bytes[dataStart..<dataStart + size])
            offset = dataStart + (size + 511) / 512 * 512
            switch type {
            case UInt8(ascii: "L"):
                longName = cString(data[...])
                continue
            case UInt8(ascii: "K"):
                continue
            case UInt8(ascii: "x"):
                paxPath = paxRecords(data)["path"]
                continue
            case UInt8(ascii: "g"):
                if let p = paxRecords(data)["path"] { globalPaxPath = p }
                continue
            default:
                break
            }
            var name = cString(bytes[start..<start + 100])
            let magic = Array(bytes[start + 257..<start + 263])
            if magic.starts(with: Array("ustar".utf8)) {
                let prefix = cString(bytes[start + 345..<start + 500])
                if !prefix.isEmpty && magic[5] == 0 { name = prefix + "/" + name }
            }
            if let n = paxPath ?? longName ?? globalPaxPath { name = n }
            paxPath = nil
            longName = nil
            let kind: TarEntry.Kind
            switch type {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): kind = name.hasSuffix("/") ? .directory : .file
            case UInt8(ascii: "5"): kind = .directory
            default: kind = .other
            }
            result.append(TarEntry(name: name, kind: kind, size: size, data: kind == .file ? data : []))
        }
        return result
    }

    private func checksumMatches(_ offset: Int) -> Bool {
        guard let stored = try? number(at: offset + 148, length: 8) else { return false }
        var unsigned = 0, signed = 0
        for i in 0..<512 {
            let b = (148..<156).contains(i) ? UInt8(ascii: " ") : bytes[offset + i]
            unsigned += Int(b)
            signed += Int(Int8(bitPattern: b))
        }
        return stored == unsigned || stored == signed
    }

    /// Octal (NUL/space padded) or GNU base-256 (high bit set) numeric field.
    private func number(at offset: Int, length: Int) throws(ChartsError) -> Int {
        let field = bytes[offset..<offset + length]
        if let first = field.first, first & 0x80 != 0 {
            var value = Int(first & 0x7f)
            for b in field.dropFirst() { value = value << 8 | Int(b) }
            return value
        }
        var value = 0
        var seenDigit = false
        for b in field {
            if b == 0 || b == UInt8(ascii: " ") {
                if seenDigit { break } else { continue }
            }
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "7") else { throw ChartsError("archive/tar: invalid tar header") }
            value = value * 8 + Int(b - UInt8(ascii: "0"))
            seenDigit = true
        }
        return value
    }

    private func cString(_ slice: ArraySlice<UInt8>) -> String {
        let end = slice.firstIndex(of: 0) ?? slice.endIndex
        return String(decoding: slice[slice.startIndex..<end], as: UTF8.self)
    }

    /// pax records: `LEN key=value\n`, LEN counting the whole record.
    private func paxRecords(_ data: [UInt8]) -> [String: String] {
        var records: [String: String] = [:]
        var i = 0
        while i < data.count {
            guard let space = data[i...].firstIndex(of: UInt8(ascii: " ")),
                let length = Int(String(decoding: data[i..<space], as: UTF8.self)), length > 0,
                i + length <= data.count
            else { break }
            let record = data[(space + 1)..<(i + length - 1)]
            if let eq = record.firstIndex(of: UInt8(ascii: "=")) {
                records[String(decoding: record[record.startIndex..<eq], as: UTF8.self)] =
                    String(decoding: record[(eq + 1)...], as: UTF8.self)
            }
            i += length
        }
        return records
    }
}

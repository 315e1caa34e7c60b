import Structured
import CompressNIO
import NIOCore

/// Reading a packaged chart (`.tgz`) into a flat list of chart files, with Helm's checks:
/// the first path segment is stripped, absolute and parent paths are refused, sizes are limited.
public enum ChartArchive {
    static let maxChartSize = 100 * 1024 * 1024
    static let maxFileSize = 5 * 1024 * 1024

    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0x1f && bytes[1] == 0x8b && bytes[2] == 0x08
    }

    public static func gunzip(_ bytes: [UInt8]) throws(ChartsError) -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        do {
            let out = try buffer.decompress(with: .gzip(), maxSize: maxChartSize + 10 * 1024 * 1024)
            return Array(out.readableBytesView)
        } catch {
            throw ChartsError("gzip: invalid header")
        }
    }

    /// Files of the archive, named relative to the chart root.
    public static func files(fromGzip bytes: [UInt8]) throws(ChartsError) -> [ChartFile] {
        let tar = try gunzip(bytes)
        var files: [ChartFile] = []
        var remaining = maxChartSize
        for entry in try TarReader(tar).entries() {
            guard entry.kind == .file else { continue }
            let delimiter: Character = entry.name.contains("\\") ? "\\" : "/"
            let parts = entry.name.split(separator: delimiter, omittingEmptySubsequences: false)
            var name = parts.dropFirst().joined(separator: "/")
            if name.hasPrefix("/") { throw ChartsError("chart illegally contains absolute paths") }
            name = cleanPath(name)
            if name == "." { throw ChartsError("chart illegally contains content outside the base directory: \(goQuote(entry.name))") }
            if name.hasPrefix("..") { throw ChartsError("chart illegally references parent directory") }
            if name.count >= 3, name.dropFirst().hasPrefix(":/"), name.first!.isLetter { throw ChartsError("chart contains illegally named files") }
            if parts.first == "Chart.yaml" { throw ChartsError("chart yaml not in base directory") }
            if entry.size > remaining { throw ChartsError("decompressed chart is larger than the maximum size \(maxChartSize)") }
            if entry.size > maxFileSize { throw ChartsError("decompressed chart file \(goQuote(entry.name)) is larger than the maximum file size \(maxFileSize)") }
            remaining -= entry.size
            if remaining <= 0 { throw ChartsError("decompressed chart is larger than the maximum size \(maxChartSize)") }
            files.append(ChartFile(name: name, data: stripBOM(entry.data)))
        }
        if files.isEmpty { throw ChartsError("no files in chart archive") }
        return files
    }
}

func stripBOM(_ data: [UInt8]) -> [UInt8] {
    if data.count >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF { return Array(data[3...]) }
    return data
}

/// Go's `path.Clean`.
func cleanPath(_ path: String) -> String {
    if path.isEmpty { return "." }
    let rooted = path.hasPrefix("/")
    var out: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
        if part == "." { continue }
        if part == ".." {
            if let last = out.last, last != ".." { out.removeLast() } else if !rooted { out.append(part) }
            continue
        }
        out.append(part)
    }
    let joined = out.joined(separator: "/")
    if rooted { return "/" + joined }
    return joined.isEmpty ? "." : joined
}

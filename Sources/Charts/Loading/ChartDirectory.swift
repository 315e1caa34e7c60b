#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Structured

/// Reading a chart directory with POSIX calls: one readdir per directory, one stat per entry (two
/// for symlinks), open/read/close per file. FileManager's contentsOfDirectory, fileExists,
/// attributesOfItem and contents(atPath:) cost several times that per file (7 stats and an
/// xattr listing each), which dominated loading charts of hundreds of templates.
enum ChartDirectory {
    /// The files under `root` that `rules` keep, in Go's walk order (entries sorted by bytes),
    /// following symlinks as Helm's sympath.Walk does.
    /// The directories are walked first, then the files read on several cores; errors keep
    /// the walk's order (a file that cannot be read before a later irregular one).
    static func files(root: String, rules: HelmIgnore, concurrently: Bool = true) throws(ChartsError) -> [ChartFile] {
        var found: [(name: String, path: String, base: String)] = []
        var walkError: ChartsError?
        do { try walk(root: root, relative: "", rules: rules, into: &found) } catch { walkError = error }
        let contents = ConcurrentWork.map(found.count, concurrently: concurrently && found.count > 16) { i in
            Self.contents(found[i].path)
        }
        var files: [ChartFile] = []
        files.reserveCapacity(found.count)
        for (file, data) in zip(found, contents) {
            guard let data else { throw ChartsError("error reading \(file.name): permission denied") }
            if data.count > ChartArchive.maxFileSize {
                throw ChartsError("chart file \(goQuote(file.base)) is larger than the maximum file size \(ChartArchive.maxFileSize)")
            }
            files.append(ChartFile(name: file.name, data: stripBOM(data)))
        }
        if let walkError { throw walkError }
        return files
    }

    /// Whether `path` exists (following symlinks).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The whole file, or nil when it cannot be opened or read.
    static func contents(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        let expected = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
        var data = [UInt8](repeating: 0, count: max(expected, 4096))
        var count = 0
        while true {
            if count == data.count { data.append(contentsOf: [UInt8](repeating: 0, count: data.count)) }
            let n = data.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress! + count, buffer.count - count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            count += n
        }
        data.removeLast(data.count - count)
        return data
    }

    private static func walk(
        root: String, relative: String, rules: HelmIgnore, into files: inout [(name: String, path: String, base: String)]
    ) throws(ChartsError) {
        let dir = relative.isEmpty ? root : root + "/" + relative
        for entry in try entries(dir, relative: relative) {
            let rel = relative.isEmpty ? entry.name : relative + "/" + entry.name
            let full = root + "/" + rel
            var type = entry.type
            var info = stat()
            if type == UInt8(DT_UNKNOWN) {  // file systems without d_type
                guard lstat(full, &info) == 0 else { continue }
                type = directoryEntryType(info.st_mode)
            }
            if type == UInt8(DT_LNK) {
                guard stat(full, &info) == 0 else {
                    throw ChartsError("error evaluating symlink \(full): lstat \(missingComponent(ofLink: full, in: dir)): no such file or directory")
                }
                type = directoryEntryType(info.st_mode)
            }
            if type == UInt8(DT_DIR) {
                if rules.ignores(rel, isDirectory: true) { continue }
                try walk(root: root, relative: rel, rules: rules, into: &files)
                continue
            }
            if rules.ignores(rel, isDirectory: false) { continue }
            if type != UInt8(DT_REG) {
                throw ChartsError("cannot load irregular file \(full) as it has file mode type bits set")
            }
            files.append((rel, full, entry.name))
        }
    }

    private static func directoryEntryType(_ mode: mode_t) -> UInt8 {
        switch mode & S_IFMT {
        case S_IFDIR: UInt8(DT_DIR)
        case S_IFREG: UInt8(DT_REG)
        case S_IFLNK: UInt8(DT_LNK)
        default: UInt8(DT_FIFO)
        }
    }

    /// A directory's entries without `.`/`..`, sorted by bytes like Go's os.ReadDir.
    private static func entries(_ dir: String, relative: String) throws(ChartsError) -> [(name: String, type: UInt8)] {
        guard let handle = opendir(dir) else {
            throw ChartsError("error reading \(relative.isEmpty ? "." : relative): \(String(cString: strerror(errno)))")
        }
        defer { closedir(handle) }
        var result: [(name: String, type: UInt8)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            result.append((name, entry.pointee.d_type))
        }
        result.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        return result
    }

    /// The first path that does not exist on the way to a dangling link's target, as Go's
    /// filepath.EvalSymlinks reports it.
    private static func missingComponent(ofLink link: String, in dir: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(link, &buffer, buffer.count - 1)
        guard n > 0 else { return link }
        let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var parts: [Substring] = []
        for part in (target.hasPrefix("/") ? target : dir + "/" + target).split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
            let prefix = "/" + parts.joined(separator: "/")
            var info = stat()
            if lstat(prefix, &info) != 0 { return prefix }
        }
        return "/" + parts.joined(separator: "/")
    }
}

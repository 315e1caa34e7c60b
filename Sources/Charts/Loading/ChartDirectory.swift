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
        var found: [Found] = []
        var directories = Directories()
        defer { directories.closeAll() }
        var walkError: ChartsError?
        do { try walk(root: root, relative: "", rules: rules, directories: &directories, into: &found) } catch { walkError = error }
        let descriptors = directories.descriptors
        let contents = ConcurrentWork.map(found.count, concurrently: concurrently && found.count > 16) { i in
            Self.contents(found[i], in: descriptors)
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

    /// A file the walk keeps: its chart-relative name, full path, base name, and the directory
    /// it is read through (an index into `Directories`, -1 for none).
    private struct Found {
        var name: String
        var path: String
        var base: String
        var directory: Int32
    }

    /// Descriptors of the walked directories that hold kept files: opening a file relative to
    /// its directory spares the kernel the lookup of every component of a deep path.
    private struct Directories {
        var descriptors: [Int32] = []

        mutating func add(_ path: String) -> Int32 {
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { return -1 }
            descriptors.append(fd)
            return Int32(descriptors.count - 1)
        }

        func closeAll() {
            for fd in descriptors { close(fd) }
        }
    }

    /// The file's bytes, opened relative to its directory when that one is open.
    private static func contents(_ file: Found, in directories: [Int32]) -> [UInt8]? {
        let fd = file.directory >= 0
            ? openat(directories[Int(file.directory)], file.base, O_RDONLY | O_CLOEXEC)
            : open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readAll(fd)
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
        return readAll(fd)
    }

    /// Everything left to read from the regular file `fd`, into a buffer of the size fstat
    /// reports (plus one byte, so the first read already comes back short at the end) that is
    /// never zero-filled: charts are hundreds of small files, and page-sized zeroed buffers cost
    /// a page fault each.
    private static func readAll(_ fd: Int32) -> [UInt8]? {
        var info = stat()
        var capacity = (fstat(fd, &info) == 0 ? max(Int(info.st_size), 0) : 0) + 1
        var data: [UInt8] = []
        while true {
            var failed = false
            let chunk = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                count = 0
                while count < buffer.count {
                    let n = read(fd, buffer.baseAddress! + count, buffer.count - count)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failed = true
                        break
                    }
                    if n == 0 { break }
                    count += n
                    // A regular file reads short only at its end: no extra read to see 0.
                    if n < buffer.count - (count - n) { break }
                }
            }
            if failed { return nil }
            if data.isEmpty { data = chunk } else { data.append(contentsOf: chunk) }
            if chunk.count < capacity { return data }
            capacity = max(capacity, 4096) * 2
        }
    }

    private static func walk(
        root: String, relative: String, rules: HelmIgnore, directories: inout Directories, into files: inout [Found]
    ) throws(ChartsError) {
        let dir = relative.isEmpty ? root : root + "/" + relative
        var descriptor: Int32?
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
                try walk(root: root, relative: rel, rules: rules, directories: &directories, into: &files)
                continue
            }
            if rules.ignores(rel, isDirectory: false) { continue }
            if type != UInt8(DT_REG) {
                throw ChartsError("cannot load irregular file \(full) as it has file mode type bits set")
            }
            if descriptor == nil { descriptor = directories.add(dir) }
            files.append(Found(name: rel, path: full, base: entry.name, directory: descriptor!))
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
        var result: [(name: String, bytes: [UInt8], type: UInt8)] = []
        while let entry = readdir(handle) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            result.append((String(decoding: bytes, as: UTF8.self), bytes, entry.pointee.d_type))
        }
        result.sort { ByteOrder.precedes($0.bytes, $1.bytes) }
        return result.map { ($0.name, $0.type) }
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

/// Byte-wise ordering of names, as Go's sort.Strings compares them.
enum ByteOrder {
    static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let common = min(a.count, b.count)
        let order = a.withUnsafeBytes { x in b.withUnsafeBytes { y in common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common) } }
        return order != 0 ? order < 0 : a.count < b.count
    }
}

import Foundation

/// `--from-git REV`: the chart directory and the `-f` values files exactly as committed at REV,
/// written to a scratch directory (werf's giterminism: what deploys is what is in git).
///
/// Refuses when any of those paths has uncommitted changes in the working tree (modified, staged,
/// deleted or untracked files), naming them, so that a deploy from CI never silently differs from
/// what a developer sees in their checkout.
public struct GitSource: Sendable {
    /// The materialised inputs.
    public struct Checkout: Sendable, Hashable {
        /// The full commit id REV resolved to.
        public var commit: String
        /// The chart's path inside `directory`.
        public var chartPath: String
        /// The values files' paths inside `directory`, in the order given.
        public var valueFiles: [String]
    }

    public var revision: String

    public init(revision: String) {
        self.revision = revision
    }

    /// Writes the chart at `chartPath` and the `valueFiles` as of `revision` under `directory`.
    /// Paths may be relative to the current directory; all must lie in the chart's repository.
    public func materialize(chartPath: String, valueFiles: [String], into directory: String) throws(DeployError) -> Checkout {
        let chart = Self.absolute(chartPath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: chart, isDirectory: &isDirectory) else {
            throw fail("chart \(chartPath) does not exist in the working tree")
        }
        let probe = GitCommand(directory: isDirectory.boolValue ? chart : (chart as NSString).deletingLastPathComponent)
        let root = Self.resolved(try probe.text(["rev-parse", "--show-toplevel"],
                                                failure: "--from-git: \(chartPath) is not inside a git repository")
            .trimmingCharacters(in: .whitespacesAndNewlines))
        let git = GitCommand(directory: root)
        let commit = try git.text(["rev-parse", "--verify", "--quiet", "\(revision)^{commit}"],
                                  failure: "--from-git: unknown revision \(revision)")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !commit.isEmpty else { throw fail("unknown revision \(revision)") }

        let chartRelative = try relative(Self.resolved(chart), to: root, shown: chartPath)
        var valueRelatives: [String] = []
        for file in valueFiles {
            valueRelatives.append(try relative(Self.resolved(Self.absolute(file)), to: root, shown: file))
        }
        let pathspecs = [chartRelative.isEmpty ? "." : chartRelative] + valueRelatives

        // Uncommitted changes: modified, staged, deleted, untracked (ignored files do not count).
        let status = try git.run(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--"] + pathspecs)
        guard status.status == 0 else { throw fail("git status failed: \(status.stderr)") }
        let dirty = Self.statusPaths(status.stdout)
        if !dirty.isEmpty {
            throw fail("uncommitted changes in the files it would deploy (commit them, or drop --from-git):\n"
                + dirty.map { "  - \($0)" }.joined(separator: "\n"))
        }

        // Files at the revision.
        let listing = try git.run(["ls-tree", "-r", "-z", "--full-tree", commit, "--"] + pathspecs)
        guard listing.status == 0 else { throw fail("git ls-tree failed: \(listing.stderr)") }
        let entries = Self.treeEntries(listing.stdout)
        let chartPrefix = chartRelative.isEmpty ? "" : chartRelative + "/"
        guard entries.contains(where: { $0.path == chartRelative || $0.path.hasPrefix(chartPrefix) }) else {
            throw fail("chart \(chartPath) (\(chartRelative.isEmpty ? "." : chartRelative)) does not exist at \(revision)")
        }
        for (file, relativePath) in zip(valueFiles, valueRelatives) where !entries.contains(where: { $0.path == relativePath }) {
            throw fail("values file \(file) (\(relativePath)) does not exist at \(revision)")
        }
        try write(entries, git: git, into: directory)

        return Checkout(commit: commit,
                        chartPath: directory + (chartRelative.isEmpty ? "" : "/" + chartRelative),
                        valueFiles: valueRelatives.map { directory + "/" + $0 })
    }

    private func fail(_ message: String) -> DeployError {
        message.hasPrefix("--from-git") ? .plan(.gitSource(message)) : .plan(.gitSource("--from-git \(revision): \(message)"))
    }

    private func relative(_ path: String, to root: String, shown: String) throws(DeployError) -> String {
        if path == root { return "" }
        guard path.hasPrefix(root + "/") else {
            throw fail("\(shown) is outside the git repository \(root)")
        }
        return String(path.dropFirst(root.count + 1))
    }

    struct TreeEntry {
        var mode: String
        var type: String
        var object: String
        var path: String
    }

    /// `ls-tree -z` lines: `<mode> <type> <object>\t<path>\0`.
    static func treeEntries(_ data: Data) -> [TreeEntry] {
        data.split(separator: 0).compactMap { record in
            let line = String(decoding: record, as: UTF8.self)
            guard let tab = line.firstIndex(of: "\t") else { return nil }
            let fields = line[..<tab].split(separator: " ")
            guard fields.count == 3 else { return nil }
            return TreeEntry(mode: String(fields[0]), type: String(fields[1]), object: String(fields[2]),
                             path: String(line[line.index(after: tab)...]))
        }
    }

    /// `status --porcelain=v1 -z` records: `XY <path>\0`, renames followed by `<old path>\0`.
    static func statusPaths(_ data: Data) -> [String] {
        var paths: [String] = []
        var records = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }[...]
        while let record = records.popFirst() {
            guard record.count > 3 else { continue }
            let code = record.prefix(2)
            paths.append(String(record.dropFirst(3)))
            if code.contains("R") || code.contains("C") { _ = records.popFirst() }
        }
        return paths.sorted()
    }

    /// Blobs through one `cat-file --batch`; symlinks re-created; submodules skipped.
    private func write(_ entries: [TreeEntry], git: GitCommand, into directory: String) throws(DeployError) {
        let blobs = entries.filter { $0.type == "blob" }
        let input = Data(blobs.map { $0.object + "\n" }.joined().utf8)
        let batch = try git.run(["cat-file", "--batch"], input: input)
        guard batch.status == 0 else { throw fail("git cat-file failed: \(batch.stderr)") }
        var cursor = batch.stdout.startIndex
        let fileManager = FileManager.default
        for entry in blobs {
            // Header `<object> blob <size>\n`, then the content and a newline.
            guard let newline = batch.stdout[cursor...].firstIndex(of: 10) else { throw fail("git cat-file: short output") }
            let header = String(decoding: batch.stdout[cursor..<newline], as: UTF8.self).split(separator: " ")
            guard header.count == 3, let size = Int(header[2]) else { throw fail("git cat-file: unexpected header for \(entry.path)") }
            let start = newline + 1
            let content = batch.stdout[start..<(start + size)]
            cursor = start + size + 1
            let target = directory + "/" + entry.path
            do {
                try fileManager.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
                if entry.mode == "120000" {
                    try fileManager.createSymbolicLink(atPath: target, withDestinationPath: String(decoding: content, as: UTF8.self))
                } else {
                    try Data(content).write(to: URL(fileURLWithPath: target))
                    if entry.mode == "100755" { try fileManager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target) }
                }
            } catch {
                throw fail("cannot write \(target): \(error.localizedDescription)")
            }
        }
    }

    static func absolute(_ path: String) -> String {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return url.standardizedFileURL.path
    }

    static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }
}

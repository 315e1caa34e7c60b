import Foundation
import Testing
import TestSupport

@testable import Charts

/// Loading chart directories through POSIX calls: symlinks, irregular files and walk order as
/// helm's loader (sympath.Walk) has them, compared with helm 4 live.
@Suite struct ChartDirectoryTests {
    /// A minimal chart printing a file and a file inside a directory through `.Files.Get`.
    private func makeChart() throws -> (root: String, chart: String) {
        let root = try makeTemporaryDirectory("chart-directory")
        let chart = root + "/chart"
        try FileManager.default.createDirectory(atPath: chart + "/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: chart\nversion: 0.1.0\n".write(toFile: chart + "/Chart.yaml", atomically: false, encoding: .utf8)
        let template = """
            a: {{ .Files.Get "linked.txt" | quote }}
            b: {{ .Files.Get "linkdir/inner.txt" | quote }}
            files: {{ keys .Files | sortAlpha | toJson }}

            """
        try template.write(toFile: chart + "/templates/cm.yaml", atomically: false, encoding: .utf8)
        return (root, chart)
    }

    private func compare(_ chart: String) throws {
        let helm = try RenderHarness.helm([chart])
        let ours = RenderHarness.ours([chart])
        #expect(ours == helm, "\n--- helm\n\(helm)\n--- ours\n\(ours)")
    }

    @Test func symlinkedFilesAndDirectoriesAreFollowed() throws {
        let (root, chart) = try makeChart()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "outside\n".write(toFile: root + "/target.txt", atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: root + "/dir", withIntermediateDirectories: true)
        try "inner\n".write(toFile: root + "/dir/inner.txt", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: chart + "/linked.txt", withDestinationPath: root + "/target.txt")
        try FileManager.default.createSymbolicLink(atPath: chart + "/linkdir", withDestinationPath: "../dir")
        let files = try ChartLoader.directoryFiles(chart).map(\.name)
        #expect(files == ["Chart.yaml", "linkdir/inner.txt", "linked.txt", "templates/cm.yaml"])
        try compare(chart)
    }

    @Test(arguments: ["/nonexistent-bosun-target", "missing/deeper", "../gone"])
    func danglingSymlinksFail(target: String) throws {
        let (root, chart) = try makeChart()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createSymbolicLink(atPath: chart + "/dangling", withDestinationPath: target)
        try compare(chart)
    }

    @Test func irregularFilesFail() throws {
        let (root, chart) = try makeChart()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(mkfifo(chart + "/pipe", 0o644) == 0)
        try compare(chart)
    }

    @Test func ignoredIrregularFilesAreSkipped() throws {
        let (root, chart) = try makeChart()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(mkfifo(chart + "/pipe", 0o644) == 0)
        try "pipe\n".write(toFile: chart + "/.helmignore", atomically: false, encoding: .utf8)
        try compare(chart)
    }

    @Test func entriesAreWalkedInByteOrder() throws {
        let (root, chart) = try makeChart()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for name in ["b.txt", "B.txt", "é.txt", "e\u{301}.txt", "z.txt", "_a.txt", "a-b", "a"] {
            try name.write(toFile: chart + "/" + name, atomically: false, encoding: .utf8)
        }
        let files = try ChartLoader.directoryFiles(chart).map(\.name).filter { $0.hasSuffix(".txt") || $0.hasPrefix("a") }
        #expect(files == ["B.txt", "_a.txt", "a", "a-b", "b.txt", "e\u{301}.txt", "z.txt", "é.txt"])
        try compare(chart)
    }

    /// Files are read through their directory's descriptor into buffers sized by fstat: empty
    /// files, files of exactly a page, and files of several pages come back byte for byte.
    @Test func filesOfEverySizeReadWhole() throws {
        let (root, chart) = try makeChart()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: chart + "/data/deep/er", withIntermediateDirectories: true)
        let sizes = [0, 1, 4095, 4096, 4097, 70_000]
        var expected: [String: [UInt8]] = [:]
        for size in sizes {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let name = "data/deep/er/f\(size).bin"
            try Data(bytes).write(to: URL(fileURLWithPath: chart + "/" + name))
            expected[name] = bytes
        }
        let files = try ChartLoader.directoryFiles(chart)
        for (name, bytes) in expected {
            #expect(files.first { $0.name == name }?.data == bytes, "\(name)")
        }
        #expect(ChartDirectory.contents(chart + "/data/deep/er/f70000.bin") == expected["data/deep/er/f70000.bin"])
        #expect(ChartDirectory.contents(chart + "/missing") == nil)
    }

    /// The chart root as Go's filepath.Abs makes it: joined to the working directory, then
    /// cleaned lexically.
    @Test func chartRootIsCleanedLikeGo() {
        #expect(ChartLoader.cleanPath("/a/b/../c/./d//") == "/a/c/d")
        #expect(ChartLoader.cleanPath("/../..//x") == "/x")
        #expect(ChartLoader.cleanPath("/") == "/")
        #expect(ChartLoader.cleanPath("//a/.") == "/a")
        let cwd = FileManager.default.currentDirectoryPath
        #expect(ChartLoader.absolutePath("x/../y/") == ChartLoader.cleanPath(cwd + "/y"))
        #expect(ChartLoader.absolutePath("/abs/./p") == "/abs/p")
    }
}

import Foundation
import Testing
import TestSupport

@testable import Charts

/// Our tar reader on archives written by GNU tar in its three formats.
@Suite struct TarReaderTests {
    static let longName = "chart/templates/" + String(repeating: "very-long-directory-name/", count: 5) + "file-with-a-long-name.yaml"

    func archive(format: String) throws -> [TarEntry] {
        let dir = try makeTemporaryDirectory("bosun-tar")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let long = dir + "/" + Self.longName
        try FileManager.default.createDirectory(atPath: (long as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "long: true\n".write(toFile: long, atomically: true, encoding: .utf8)
        try "apiVersion: v2\n".write(toFile: dir + "/chart/Chart.yaml", atomically: true, encoding: .utf8)
        try Data(repeating: 0x41, count: 1500).write(to: URL(fileURLWithPath: dir + "/chart/big.txt"))
        let result = try runProcess("/usr/bin/env", ["tar", "--format=\(format)", "-cf", dir + "/out.tar", "-C", dir, "chart"])
        #expect(result.succeeded, "\(result.stderr)")
        return try TarReader([UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/out.tar")))).entries()
    }

    @Test(arguments: ["gnu", "pax", "ustar"])
    func readsFormat(format: String) throws {
        let entries = try archive(format: format)
        let files = Dictionary(entries.filter { $0.kind == .file }.map { ($0.name, $0.data) }, uniquingKeysWith: { a, _ in a })
        #expect(files["chart/Chart.yaml"] == Array("apiVersion: v2\n".utf8))
        #expect(files["chart/big.txt"]?.count == 1500)
        // gnu: an `L` long-name entry; pax: a `path` record; ustar: prefix + name joined.
        #expect(files[Self.longName] == Array("long: true\n".utf8))
        #expect(entries.contains { $0.kind == .directory && $0.name.hasPrefix("chart/templates") })
    }

    @Test func rejectsCorruptHeader() {
        var block = [UInt8](repeating: 0, count: 1024)
        block[0] = UInt8(ascii: "x")
        block[148] = UInt8(ascii: "1")
        #expect(throws: ChartsError("archive/tar: invalid tar header")) { try TarReader(block).entries() }
    }
}

@testable import Bundles
import Foundation
import Testing
import TestSupport

/// Long names (USTAR prefix split, PAX records) read back by Python's tarfile, as Go writes them.
@Suite struct TarWriterTests {
    @Test func longNamesRoundTrip() throws {
        let dir = try makeTemporaryDirectory("bosun-tar")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let medium = "chart/templates/" + String(repeating: "d", count: 90) + "/" + String(repeating: "f", count: 60) + ".yaml"
        let long = "chart/" + String(repeating: "x", count: 120) + "/" + String(repeating: "y", count: 130) + ".yaml"
        var tar = TarWriter()
        tar.addFile(name: "chart/Chart.yaml", data: Array("name: chart\n".utf8), modificationTime: 0)
        tar.addFile(name: medium, data: Array("a: 1\n".utf8), modificationTime: 1_700_000_000)
        tar.addFile(name: long, data: [UInt8](repeating: 65, count: 1000), modificationTime: 1_700_000_000)
        let gz = try Gzip.compress(tar.finished())
        try Data(gz).write(to: URL(fileURLWithPath: dir + "/t.tgz"))
        let entries = try archiveEntries(dir + "/t.tgz")
        #expect(entries.map(\.name) == ["chart/Chart.yaml", medium, long])
        #expect(entries.map(\.mode) == ["644/0", "644/0", "644/0"])
        #expect(entries[2].data.count == 1000)
    }
}

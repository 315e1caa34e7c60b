import Bundles
import Charts
import Foundation
import Testing
import TestSupport

/// `bosun chart pack` against `helm package`: same entries, order, modes and bytes.
@Suite struct ChartPackagerTests {
    static let fixture = Repository.root + "/Tests/Fixtures/Bundles/parent"

    func compareWithHelm(_ chartDirectory: String, options: ChartPackager.Options = .init(), helmArguments: [String] = []) throws {
        let helm = try HelmSandbox()
        let out = try makeTemporaryDirectory("bosun-pack")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try helm.run(["package", chartDirectory, "-d", out + "/helm"] + helmArguments)
        let packaged = try ChartPackager.package(directory: chartDirectory, options: options)
        try FileManager.default.createDirectory(atPath: out + "/bosun", withIntermediateDirectories: true)
        try Data(packaged.archive).write(to: URL(fileURLWithPath: out + "/bosun/" + packaged.fileName))
        let helmEntries = Self.subchartsInNameOrder(try archiveEntries(out + "/helm/" + packaged.fileName))
        let ours = Self.subchartsInNameOrder(try archiveEntries(out + "/bosun/" + packaged.fileName))
        #expect(ours.map(\.description) == helmEntries.map(\.description))
        for (a, b) in zip(ours, helmEntries) where a.data != b.data {
            Issue.record("\(a.name) differs:\n\(String(decoding: a.data, as: UTF8.self))\n--- helm:\n\(String(decoding: b.data, as: UTF8.self))")
        }
    }

    /// helm's loader collects subcharts in a Go map, so their order in its archive is random;
    /// compare subchart blocks by name (entries within a block keep their order).
    static func subchartsInNameOrder(_ entries: [ArchiveEntry]) -> [ArchiveEntry] {
        func subchart(_ e: ArchiveEntry) -> String? {
            let parts = e.name.split(separator: "/")
            guard parts.count > 2, parts[1] == "charts" else { return nil }
            return String(parts[2])
        }
        let root = entries.filter { subchart($0) == nil }
        let nested = entries.enumerated().filter { subchart($0.element) != nil }
            .sorted { (subchart($0.element)!, $0.offset) < (subchart($1.element)!, $1.offset) }.map(\.element)
        return root + nested
    }

    @Test func fixtureWithSubchartsLockSchemaAndIgnores() throws {
        try compareWithHelm(Self.fixture)
    }

    @Test func helmCreateScaffold() throws {
        let dir = try makeTemporaryDirectory("bosun-pack-create")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try HelmSandbox().run(["create", dir + "/web"])
        try compareWithHelm(dir + "/web")
    }

    @Test func versionAndAppVersionOverrides() throws {
        var options = ChartPackager.Options()
        options.version = "9.9.9-rc.1+meta"
        options.appVersion = "v42"
        try compareWithHelm(Self.fixture, options: options, helmArguments: ["--version", "9.9.9-rc.1+meta", "--app-version", "v42"])
    }

    @Test func gzipHeaderCarriesHelmsExtraAndComment() throws {
        let packaged = try ChartPackager.package(directory: Self.fixture)
        #expect(Array(packaged.archive.prefix(4)) == [0x1f, 0x8b, 0x08, 0x14])
        let text = String(decoding: packaged.archive.prefix(64), as: UTF8.self)
        #expect(text.contains("+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=Helm"))
        // The archive loads back into the same chart.
        let chart = try ChartLoader.loadArchive(packaged.archive)
        #expect(chart.name == "parent")
        #expect(chart.dependencies.map(\.name).sorted() == ["local", "packed"])
    }

    @Test func missingDependencyIsRefusedLikeHelm() throws {
        let dir = try makeTemporaryDirectory("bosun-pack-missing")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/c", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: c\nversion: 1.0.0\ndependencies:\n- name: absent\n  version: 1.x\n  repository: https://x\n"
            .write(toFile: dir + "/c/Chart.yaml", atomically: true, encoding: .utf8)
        let helm = try runProcess(try Oracle.helm4.path(), ["package", dir + "/c", "-d", dir], environment: try HelmSandbox().environment)
        #expect(!helm.succeeded)
        #expect(throws: BundlesError("found in Chart.yaml, but missing in charts/ directory: absent")) {
            try ChartPackager.package(directory: dir + "/c")
        }
        #expect(helm.stderr.contains("found in Chart.yaml, but missing in charts/ directory: absent"))
    }
}

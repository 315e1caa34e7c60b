import Bundles
import Charts
import Foundation
import Testing
import TestSupport

/// `chart dependency update|build` against `helm dependency update|build` on the same inputs:
/// a chart repository and an OCI registry on loopback, a `file://` chart.
@Suite struct DependencyManagerTests {
    /// Two copies of a chart with the given dependencies, a local chart beside them, and both tools' homes.
    struct Setup {
        let work: String
        let helm: HelmSandbox
        let bosunPaths: HelmPaths
        var helmChart: String { work + "/helm/app" }
        var bosunChart: String { work + "/bosun/app" }

        init(dependencies: String, helm: HelmSandbox) throws {
            self.helm = helm
            work = try makeTemporaryDirectory("bosun-deps")
            bosunPaths = HelmPaths(environment: ["HOME": work, "HELM_CONFIG_HOME": work + "/home/config",
                                                 "HELM_CACHE_HOME": work + "/home/cache", "HELM_DATA_HOME": work + "/home/data"])
            for side in ["helm", "bosun"] {
                let dir = work + "/\(side)/app"
                try FileManager.default.createDirectory(atPath: dir + "/templates", withIntermediateDirectories: true)
                try "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n\(dependencies)"
                    .write(toFile: dir + "/Chart.yaml", atomically: true, encoding: .utf8)
                let local = work + "/\(side)/local"
                try FileManager.default.createDirectory(atPath: local + "/templates", withIntermediateDirectories: true)
                try "apiVersion: v2\nname: local\nversion: 0.4.0\n".write(toFile: local + "/Chart.yaml", atomically: true, encoding: .utf8)
                try "x: 1\n".write(toFile: local + "/values.yaml", atomically: true, encoding: .utf8)
            }
        }

        func manager() -> DependencyManager {
            var options = RegistryOptions()
            options.plainHTTP = true
            options.credentials = RegistryCredentials(files: [])
            var manager = DependencyManager(paths: bosunPaths, registryOptions: options)
            manager.now = { Date(timeIntervalSince1970: 1_700_000_000.25) }
            return manager
        }

        /// Chart.lock without its `generated` line, and charts/ by name -> entries.
        func results(_ chart: String) throws -> (lock: String, charts: [String: [ArchiveEntry]]) {
            let lock = try String(contentsOfFile: chart + "/Chart.lock", encoding: .utf8)
                .split(separator: "\n").filter { !$0.hasPrefix("generated:") }.joined(separator: "\n")
            var charts: [String: [ArchiveEntry]] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: chart + "/charts") {
                charts[name] = try archiveEntries(chart + "/charts/" + name)
            }
            return (lock, charts)
        }

        func bytes(_ path: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) }
    }

    @Test func updateAndBuildMatchHelm() async throws {
        let helm = try HelmSandbox()
        let server = try ChartRepositoryServer(charts: [("packed", ["1.0.0", "1.2.0", "1.2.5", "2.0.0-beta.1", "2.0.0"])], helm: helm)
        let registry = try LocalRegistry()
        // An OCI dependency pushed by helm.
        let ociSource = try makeTemporaryDirectory("bosun-deps-oci")
        defer { try? FileManager.default.removeItem(atPath: ociSource) }
        for version in ["0.1.0", "0.1.3", "0.2.0"] {
            try helm.run(["create", ociSource + "/web"])
            try helm.run(["package", ociSource + "/web", "-d", ociSource, "--version", version])
            try helm.run(["push", ociSource + "/web-\(version).tgz", "oci://\(registry.host)/charts", "--plain-http"])
            try FileManager.default.removeItem(atPath: ociSource + "/web")
        }
        let setup = try Setup(dependencies: """
        - name: packed
          version: ^1.2.0
          repository: \(server.url)
        - name: packed
          alias: beta
          version: ">=2.0.0-0"
          repository: "@myrepo"
          condition: beta.enabled
        - name: local
          version: "*"
          repository: file://../local
        - name: web
          version: ~0.1.0
          repository: oci://\(registry.host)/charts

        """, helm: helm)
        defer { try? FileManager.default.removeItem(atPath: setup.work) }
        try helm.run(["repo", "add", "myrepo", server.url])
        _ = try await RepositoryActions(paths: setup.bosunPaths).add(RepositoryEntry(name: "myrepo", url: server.url))

        try helm.run(["dependency", "update", setup.helmChart, "--plain-http"])
        let report = try await setup.manager().update(chartDirectory: setup.bosunChart)
        #expect(report.lines.contains("Saving 4 charts"))
        let theirs = try setup.results(setup.helmChart)
        let ours = try setup.results(setup.bosunChart)
        #expect(ours.lock == theirs.lock)
        #expect(ours.lock.contains("version: 1.2.5") && ours.lock.contains("version: 2.0.0\n") && ours.lock.contains("version: 0.1.3"))
        #expect(ours.charts.keys.sorted() == theirs.charts.keys.sorted())
        #expect(ours.charts == theirs.charts)
        // Downloaded archives are byte for byte the served ones.
        #expect(try setup.bytes(setup.bosunChart + "/charts/packed-1.2.5.tgz") == setup.bytes(server.directory + "/charts/packed-1.2.5.tgz"))
        #expect(try setup.bytes(setup.bosunChart + "/charts/web-0.1.3.tgz") == setup.bytes(setup.helmChart + "/charts/web-0.1.3.tgz"))
        let generated = try String(contentsOfFile: setup.bosunChart + "/Chart.lock", encoding: .utf8)
        #expect(generated.hasSuffix("generated: \"2023-11-14T22:13:20.25Z\"\n"))

        // build: from the lock, after charts/ is gone; stale archives are removed.
        try FileManager.default.removeItem(atPath: setup.bosunChart + "/charts")
        try FileManager.default.createDirectory(atPath: setup.bosunChart + "/charts", withIntermediateDirectories: true)
        try Data(setup.bytes(server.directory + "/charts/packed-1.0.0.tgz")).write(to: URL(fileURLWithPath: setup.bosunChart + "/charts/packed-1.0.0.tgz"))
        _ = try await setup.manager().build(chartDirectory: setup.bosunChart)
        #expect(try setup.results(setup.bosunChart).charts == theirs.charts)
        // The rebuilt chart loads with all four subcharts.
        #expect(try ChartLoader.loadDirectory(setup.bosunChart).dependencies.count == 4)

        // A Chart.yaml changed after the lock: both refuse with the same words.
        for chart in [setup.helmChart, setup.bosunChart] {
            let path = chart + "/Chart.yaml"
            try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "^1.2.0", with: "^1.0.0")
                .write(toFile: path, atomically: true, encoding: .utf8)
        }
        let helmBuild = try runProcess(try Oracle.helm4.path(), ["dependency", "build", setup.helmChart, "--plain-http"], environment: helm.environment)
        #expect(!helmBuild.succeeded)
        let error = await #expect(throws: BundlesError.self) { try await setup.manager().build(chartDirectory: setup.bosunChart) }
        let message = try #require(error?.message)
        #expect(helmBuild.stderr.contains("Error: " + message))
    }

    /// Masterminds constraints as helm applies them to a repository index: one alias per constraint.
    @Test func constraintsPickTheSameVersionsAsHelm() async throws {
        let helm = try HelmSandbox()
        let versions = ["0.9.0", "1.0.0", "1.0.5", "1.1.0", "1.2.3", "1.3.0-rc.1", "1.3.0", "1.10.0", "2.0.0-alpha.1", "2.0.0", "2.1.0", "3.0.0-beta"]
        let server = try ChartRepositoryServer(charts: [("lib", versions)], helm: helm)
        let constraints = ["~1.0", "^1.2", "1.x", ">=1.1 <1.3", "1.0.0 - 1.2.3", "<1.0.0 || >=2.1", "^0.9", ">=1.3.0-0 <1.4",
                           "~1.3.0-0", "2.0.0-alpha.1", "*", "!=2.1.0", ">3.0.0-alpha", "<=1.10", "=1.0.5", "1.1 - 2", "^2.0.0-0", "~>1.1"]
        let deps = constraints.enumerated().map { i, c in
            "- name: lib\n  alias: c\(i)\n  version: \"\(c)\"\n  repository: \(server.url)\n"
        }.joined()
        let setup = try Setup(dependencies: deps, helm: helm)
        defer { try? FileManager.default.removeItem(atPath: setup.work) }
        try helm.run(["repo", "add", "libs", server.url])
        try helm.run(["dependency", "update", setup.helmChart])
        _ = try await setup.manager().update(chartDirectory: setup.bosunChart)
        let theirs = try setup.results(setup.helmChart)
        let ours = try setup.results(setup.bosunChart)
        #expect(ours.lock == theirs.lock)
        #expect(ours.charts == theirs.charts)
    }

    @Test func unknownRepositoryNameIsRefusedLikeHelm() async throws {
        let helm = try HelmSandbox()
        let setup = try Setup(dependencies: "- name: x\n  version: 1.0.0\n  repository: \"@nowhere\"\n", helm: helm)
        defer { try? FileManager.default.removeItem(atPath: setup.work) }
        let helmRun = try runProcess(try Oracle.helm4.path(), ["dependency", "update", setup.helmChart], environment: helm.environment)
        let error = await #expect(throws: BundlesError.self) { try await setup.manager().update(chartDirectory: setup.bosunChart) }
        #expect(helmRun.stderr.contains("Error: " + (error?.message ?? "?")))
    }
}

extension DependencyManagerTests {
    /// A repository URL that no `repo add` named: helm 4 fetches its index into the cache as
    /// `helm-manager-<sha256(url)>`; so do we, with the same lock and archive.
    @Test func unnamedRepositoryURL() async throws {
        let helm = try HelmSandbox()
        let server = try ChartRepositoryServer(charts: [("solo", ["0.1.0", "0.2.0"])], helm: helm)
        let setup = try Setup(dependencies: "- name: solo\n  version: \"<0.2\"\n  repository: \(server.url)/\n", helm: helm)
        defer { try? FileManager.default.removeItem(atPath: setup.work) }
        try helm.run(["dependency", "update", setup.helmChart])
        _ = try await setup.manager().update(chartDirectory: setup.bosunChart)
        let theirs = try setup.results(setup.helmChart)
        let ours = try setup.results(setup.bosunChart)
        #expect(ours.lock == theirs.lock)
        #expect(ours.charts == theirs.charts)
        let cached = try FileManager.default.contentsOfDirectory(atPath: setup.bosunPaths.repositoryCache).sorted()
        let helmCached = try FileManager.default.contentsOfDirectory(atPath: helm.home + "/cache/repository").sorted()
        #expect(cached == helmCached)
    }
}

import Bundles
import Foundation
import Testing
import TestSupport

/// `repo add|update|remove|list` write the same files as helm's.
@Suite struct RepositoryActionsTests {
    func bosunPaths(_ home: String) -> HelmPaths {
        HelmPaths(environment: ["HOME": home, "HELM_CONFIG_HOME": home + "/config", "HELM_CACHE_HOME": home + "/cache",
                                "HELM_DATA_HOME": home + "/data"])
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func addUpdateRemoveListLikeHelm() async throws {
        let helm = try HelmSandbox()
        let server = try ChartRepositoryServer(charts: [("alpha", ["1.0.0", "1.1.0"]), ("beta", ["0.1.0"])], helm: helm)
        let home = try makeTemporaryDirectory("bosun-repo-home")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let actions = RepositoryActions(paths: bosunPaths(home))

        try helm.run(["repo", "add", "stable", server.url])
        var entry = RepositoryEntry(name: "stable", url: server.url)
        #expect(try await actions.add(entry) == ["\"stable\" has been added to your repositories"])
        #expect(try read(home + "/config/repositories.yaml") == read(helm.home + "/config/repositories.yaml"))
        #expect(try read(home + "/cache/repository/stable-index.yaml") == read(helm.home + "/cache/repository/stable-index.yaml"))
        // helm writes the names in Go map order (random); we sort them.
        let names = { (text: String) in text.split(separator: "\n").sorted() }
        #expect(try names(read(home + "/cache/repository/stable-charts.txt")) == names(read(helm.home + "/cache/repository/stable-charts.txt")))
        #expect(try read(home + "/cache/repository/stable-charts.txt") == "alpha\nbeta\n")

        // Same entry again is skipped; a different URL under the same name is refused.
        #expect(try await actions.add(entry) == ["\"stable\" already exists with the same configuration, skipping"])
        entry.url = server.url + "/other"
        await #expect(throws: BundlesError("repository name (stable) already exists, please specify a different name")) {
            try await actions.add(entry)
        }
        let helmRefused = try runProcess(try Oracle.helm4.path(), ["repo", "add", "stable", server.url + "/other"], environment: helm.environment)
        #expect(helmRefused.stderr.contains("repository name (stable) already exists, please specify a different name"))

        // An unreachable index is refused with helm's wording.
        let bad = RepositoryEntry(name: "bad", url: server.url + "/missing")
        let error = await #expect(throws: BundlesError.self) { try await actions.add(bad) }
        #expect(error?.message.hasPrefix("looks like \"\(server.url)/missing\" is not a valid chart repository or cannot be reached: failed to fetch \(server.url)/missing/index.yaml : 404") == true)

        #expect(try await actions.update().last == "Update Complete. ⎈Happy Helming!⎈")
        await #expect(throws: BundlesError("no repositories found matching 'nope'.  Nothing will be updated")) {
            try await actions.update(names: ["nope"])
        }
        #expect(try actions.list().map(\.name) == ["stable"])

        try helm.run(["repo", "remove", "stable"])
        #expect(try actions.remove(names: ["stable"]) == ["\"stable\" has been removed from your repositories"])
        #expect(try read(home + "/config/repositories.yaml") == read(helm.home + "/config/repositories.yaml"))
        #expect(!FileManager.default.fileExists(atPath: home + "/cache/repository/stable-index.yaml"))
        #expect(throws: BundlesError("no repo named \"stable\" found")) { try actions.remove(names: ["stable"]) }
        #expect(throws: BundlesError("no repositories to show")) { try actions.list() }
    }

    @Test func environmentOverrides() {
        let paths = HelmPaths(environment: ["HOME": "/h", "HELM_REPOSITORY_CONFIG": "/x/repos.yaml", "BOSUN_CACHE_HOME": "/c",
                                            "HELM_CACHE_HOME": "/ignored", "XDG_CONFIG_HOME": "/xdg"])
        #expect(paths.repositoryConfig == "/x/repos.yaml")
        #expect(paths.repositoryCache == "/c/repository")
        #expect(paths.registryConfig == "/xdg/helm/registry/config.json")
        #expect(HelmPaths(environment: ["HOME": "/h"]).repositoryConfig == "/h/.config/helm/repositories.yaml")
    }
}

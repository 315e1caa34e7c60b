import Foundation
import Testing
import TestSupport
@testable import Deploy

/// `--from-git REV` against real git repositories in temporary directories.
@Suite struct WerfGitSourceTests {
    /// A repository with two commits: `v1` (replicas 1) and HEAD (replicas 2), a chart under
    /// `deploy/chart`, a values file `deploy/prod.yaml`, an ignored file and an unrelated file.
    struct Repo {
        let root: String
        let v1: String

        init() throws {
            root = try makeTemporaryDirectory("git-source")
            try Self.git(root, ["init", "-q", "-b", "main"])
            try Self.git(root, ["config", "user.email", "t@example.com"])
            try Self.git(root, ["config", "user.name", "t"])
            try Self.write(root, "deploy/chart/Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\n")
            try Self.write(root, "deploy/chart/values.yaml", "replicas: 1\n")
            try Self.write(root, "deploy/chart/templates/cm.yaml", "kind: ConfigMap\ndata:\n  replicas: {{ .Values.replicas | quote }}\n")
            try Self.write(root, "deploy/prod.yaml", "env: prod-v1\n")
            try Self.write(root, "README", "hello\n")
            try Self.write(root, ".gitignore", "*.local\n")
            try Self.git(root, ["add", "-A"])
            try Self.git(root, ["commit", "-q", "-m", "v1"])
            try Self.git(root, ["tag", "v1"])
            v1 = try Self.git(root, ["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
            try Self.write(root, "deploy/chart/values.yaml", "replicas: 2\n")
            try Self.write(root, "deploy/prod.yaml", "env: prod-v2\n")
            try Self.git(root, ["commit", "-q", "-am", "v2"])
        }

        @discardableResult
        static func git(_ dir: String, _ arguments: [String]) throws -> String {
            let result = try runProcess("/usr/bin/env", ["git", "-C", dir] + arguments)
            try #require(result.succeeded, "git \(arguments): \(result.stderr)")
            return result.stdout
        }

        static func write(_ root: String, _ path: String, _ text: String) throws {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }

        func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test func materializesTheChartAndValuesAsCommitted() throws {
        let repo = try Repo()
        defer { repo.remove() }
        let out = try makeTemporaryDirectory("git-source-out")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let checkout = try GitSource(revision: "v1").materialize(
            chartPath: repo.root + "/deploy/chart", valueFiles: [repo.root + "/deploy/prod.yaml"], into: out)
        #expect(checkout.commit == repo.v1)
        #expect(checkout.chartPath == out + "/deploy/chart")
        #expect(try repo.read(checkout.chartPath + "/values.yaml") == "replicas: 1\n")
        #expect(try repo.read(checkout.chartPath + "/templates/cm.yaml").contains(".Values.replicas"))
        #expect(checkout.valueFiles == [out + "/deploy/prod.yaml"])
        #expect(try repo.read(checkout.valueFiles[0]) == "env: prod-v1\n")
        // Only the chart and the values files are written.
        #expect(!FileManager.default.fileExists(atPath: out + "/README"))

        let head = try GitSource(revision: "HEAD").materialize(chartPath: repo.root + "/deploy/chart", valueFiles: [], into: out + "/head")
        #expect(try repo.read(head.chartPath + "/values.yaml") == "replicas: 2\n")
    }

    @Test func refusesUncommittedChangesNamingTheFiles() throws {
        let repo = try Repo()
        defer { repo.remove() }
        try Repo.write(repo.root, "deploy/chart/values.yaml", "replicas: 9\n")             // modified
        try Repo.write(repo.root, "deploy/chart/templates/new.yaml", "kind: Secret\n")     // untracked
        try Repo.write(repo.root, "deploy/prod.yaml", "env: edited\n")                      // modified values file
        try Repo.write(repo.root, "deploy/chart/notes.local", "ignored\n")                  // ignored: fine
        try Repo.write(repo.root, "README", "changed elsewhere\n")                          // outside: fine
        let out = try makeTemporaryDirectory("git-source-out")
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(throws: DeployError.plan(.gitSource("""
            --from-git HEAD: uncommitted changes in the files it would deploy (commit them, or drop --from-git):
              - deploy/chart/templates/new.yaml
              - deploy/chart/values.yaml
              - deploy/prod.yaml
            """))) {
            try GitSource(revision: "HEAD").materialize(chartPath: repo.root + "/deploy/chart",
                                                        valueFiles: [repo.root + "/deploy/prod.yaml"], into: out)
        }
    }

    @Test func stagedAndDeletedFilesAlsoCount() throws {
        let repo = try Repo()
        defer { repo.remove() }
        try FileManager.default.removeItem(atPath: repo.root + "/deploy/chart/templates/cm.yaml")
        try Repo.write(repo.root, "deploy/chart/values.yaml", "replicas: 3\n")
        try Repo.git(repo.root, ["add", "deploy/chart/values.yaml"])
        let out = try makeTemporaryDirectory("git-source-out")
        defer { try? FileManager.default.removeItem(atPath: out) }
        do {
            _ = try GitSource(revision: "HEAD").materialize(chartPath: repo.root + "/deploy/chart", valueFiles: [], into: out)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.description.contains("- deploy/chart/templates/cm.yaml\n  - deploy/chart/values.yaml"), "\(error)")
        }
    }

    @Test func explainsBadInputs() throws {
        let repo = try Repo()
        defer { repo.remove() }
        let out = try makeTemporaryDirectory("git-source-out")
        let outside = try makeTemporaryDirectory("git-source-outside")
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: outside) }
        try "a: 1\n".write(toFile: outside + "/v.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: outside + "/chart", withIntermediateDirectories: true)

        func message(_ body: () throws -> GitSource.Checkout) -> String {
            do { _ = try body(); return "no error" } catch { return "\(error)" }
        }
        #expect(message { try GitSource(revision: "nope").materialize(chartPath: repo.root + "/deploy/chart", valueFiles: [], into: out) }
            .hasPrefix("--from-git: unknown revision nope"))
        #expect(message { try GitSource(revision: "HEAD").materialize(chartPath: repo.root + "/deploy/chart", valueFiles: [outside + "/v.yaml"], into: out) }
            .contains("v.yaml is outside the git repository"))
        #expect(message { try GitSource(revision: "HEAD").materialize(chartPath: outside + "/chart", valueFiles: [], into: out) }
            .hasPrefix("--from-git: \(outside)/chart is not inside a git repository"))
        // A chart added after v1 does not exist at v1.
        try Repo.write(repo.root, "deploy/other/Chart.yaml", "apiVersion: v2\nname: other\nversion: 0.1.0\n")
        try Repo.git(repo.root, ["add", "-A"])
        try Repo.git(repo.root, ["commit", "-q", "-m", "other"])
        #expect(message { try GitSource(revision: "v1").materialize(chartPath: repo.root + "/deploy/other", valueFiles: [], into: out) }
            == "--from-git v1: chart \(repo.root)/deploy/other (deploy/other) does not exist at v1")
    }
}

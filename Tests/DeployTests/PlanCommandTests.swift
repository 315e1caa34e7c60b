import Foundation
import Kube
import SimClusterSupport
import Testing
import TestSupport
@testable import Deploy

/// `bosun plan` end to end: the built `bosun` binary against an in-process kubesim (its output,
/// exit codes, `--save-plan`, colours, werf flags). Goldens in `Tests/Fixtures/Plan/e2e/`.
@Suite struct PlanCommandTests {
    static let binary = Repository.root + "/.build/debug/bosun"
    static let chart = DiffPlannedChangeTests.chart

    static func bosun(_ sim: SimCluster, _ arguments: [String], directory: String? = nil) async throws -> ProcessResult {
        let binary = Self.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build bosun first (swift build --build-tests)")
        let env = ["HOME": sim.directory, "NO_COLOR": "", "KUBECONFIG": sim.kubeconfig]
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runProcess(binary, arguments, environment: env, directory: directory) })
            }
        }
    }

    static func plan(_ sim: SimCluster, _ extra: [String] = [], chart: String = chart) async throws -> ProcessResult {
        try await bosun(sim, ["plan", chart, "-r", "shop", "-n", "default", "--kubeconfig", sim.kubeconfig] + extra)
    }

    @Test func emptyClusterExitCodeTwoAndGoldenOutput() async throws {
        try await SimCluster.with { sim in
            let result = try await Self.plan(sim, ["--exit-code"])
            #expect(result.status == 2, "\(result.stderr)")
            try DiffPlannedChangeTests.expectGolden("cli-install", result.stdout)
            // Without --exit-code, changes are not an error.
            #expect(try await Self.plan(sim).status == 0)
            #expect(try sim.writes().isEmpty)
        }
    }

    @Test func noChangesAfterHelmInstallExitZero() async throws {
        try await SimCluster.with { sim in
            try await sim.helmOK(["install", "shop", Self.chart])
            let result = try await Self.plan(sim, ["--exit-code"])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout == """
                Hooks to run: pre-upgrade ConfigMap/default/shop-announce
                Plan: 0 to create, 0 to update, 0 to recreate, 0 to delete, 4 unchanged.

                """)
            let listed = try await Self.plan(sim, ["--show-unchanged"])
            #expect(listed.stdout.hasPrefix("unchanged Secret/default/shop-creds\n\nunchanged ConfigMap/default/shop-config\n"), "\(listed.stdout)")
        }
    }

    @Test func savePlanWritesALoadablePlan() async throws {
        try await SimCluster.with { sim in
            try await sim.helmOK(["install", "shop", Self.chart])
            let file = sim.directory + "/shop.plan"
            let result = try await Self.plan(sim, ["--set", "replicas=2", "--save-plan", file, "--diff-context-lines", "1"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasSuffix("Plan: 0 to create, 1 to update, 0 to recreate, 0 to delete, 3 unchanged.\nPlan saved to \(file).\n"))
            #expect(result.stdout.contains("@@ -13,3 +13,3 @@\n   progressDeadlineSeconds: 600\n-  replicas: 1\n+  replicas: 2\n"), "\(result.stdout)")
            let saved = try SavedPlan.load(from: file)
            #expect(saved.basedOnRevision == 1)
            #expect(saved.resources.filter { $0.action == .update }.map(\.name) == ["shop-web"])
        }
    }

    /// The two-stage workflow through the binary: `plan --save-plan`, then `converge --use-plan`
    /// applies it; a second plan goes stale after a hand edit and converge refuses it.
    @Test func convergeUsesASavedPlanAndRefusesDrift() async throws {
        try await SimCluster.with { sim in
            let file = sim.directory + "/install.plan"
            #expect(try await Self.plan(sim, ["--save-plan", file]).status == 0)
            let converge = ["converge", Self.chart, "-r", "shop", "-n", "default", "--kubeconfig", sim.kubeconfig]
            let applied = try await Self.bosun(sim, converge + ["--use-plan", file, "--timeout", "60s"])
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(try await sim.store().last("shop").version == 1)

            let upgrade = sim.directory + "/upgrade.plan"
            #expect(try await Self.plan(sim, ["--set", "replicas=2", "--save-plan", upgrade]).status == 0)
            _ = try await sim.client.patch(PlanFileSavedPlanPreparedTests.config, .merge(["data": ["greeting": "hand edit"]]),
                                           options: WriteOptions(fieldManager: "kubectl-edit"))
            let refused = try await Self.bosun(sim, converge + ["--set", "replicas=2", "--use-plan", upgrade])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("refusing to apply plan \(upgrade)"), "\(refused.stderr)")
            #expect(refused.stderr.contains("  - ConfigMap/default/shop-config: changed in the cluster since the plan"))
            #expect(try await sim.store().last("shop").version == 1)
        }
    }

    @Test func colourOnlyWhenAsked() async throws {
        try await SimCluster.with { sim in
            let plain = try await Self.plan(sim)
            #expect(!plain.stdout.contains("\u{1B}["))
            let colored = try await Self.plan(sim, ["--color", "always"])
            #expect(colored.stdout.contains("\u{1B}[32m+apiVersion: v1\u{1B}[0m"), "\(colored.stdout.prefix(300))")
            #expect(colored.stdout.contains("\u{1B}[36m@@ -0,0 +1,14 @@\u{1B}[0m"))
        }
    }

    @Test func errorsExitOneWithAMessage() async throws {
        try await SimCluster.with { sim in
            let missing = try await Self.plan(sim, chart: sim.directory + "/nope")
            #expect(missing.status == 1)
            #expect(missing.stderr.hasPrefix("Error: "), "\(missing.stderr)")
            let badImage = try await Self.plan(sim, ["--image", "backend"])
            #expect(badImage.status == 1)
            #expect(badImage.stderr == "Error: --image backend: expected NAME=REF, e.g. backend=registry.example.com/app:v1\n")
        }
    }

    /// `--image` reaches the templates; `--from-git` renders the committed chart and refuses edits.
    @Test func werfFlags() async throws {
        try await SimCluster.with { sim in
            let repo = sim.directory + "/repo"
            try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Self.chart, toPath: repo + "/shop")
            // The werf way: the image comes from .Values.werf.image.
            let web = try String(contentsOfFile: repo + "/shop/templates/web.yaml", encoding: .utf8)
            try web.replacingOccurrences(of: "image: {{ .Values.image }}", with: "image: {{ .Values.werf.image.web }}")
                .write(toFile: repo + "/shop/templates/web.yaml", atomically: true, encoding: .utf8)
            try "replicas: 1\nwerf:\n  image:\n    web: nginx:1.25\n".write(toFile: repo + "/shop/values.yaml", atomically: true, encoding: .utf8)
            for arguments in [["init", "-q", "-b", "main"], ["config", "user.email", "t@example.com"], ["config", "user.name", "t"],
                              ["add", "-A"], ["commit", "-q", "-m", "chart"]] {
                let git = try runProcess("/usr/bin/env", ["git", "-C", repo] + arguments)
                try #require(git.succeeded, "\(git.stderr)")
            }
            let fromGit = try await Self.plan(sim, ["--from-git", "HEAD", "--image", "web=registry.example.com/shop:v2"], chart: repo + "/shop")
            #expect(fromGit.status == 0, "\(fromGit.stderr)")
            #expect(fromGit.stdout.contains("+        image: registry.example.com/shop:v2\n"), "\(fromGit.stdout)")
            #expect(!fromGit.stdout.contains("nginx:1.25"))

            try "replicas: 7\n".write(toFile: repo + "/shop/values.yaml", atomically: true, encoding: .utf8)
            let dirty = try await Self.plan(sim, ["--from-git", "HEAD"], chart: repo + "/shop")
            #expect(dirty.status == 1)
            #expect(dirty.stderr.contains("--from-git HEAD: uncommitted changes in the files it would deploy (commit them, or drop --from-git):\n  - shop/values.yaml"), "\(dirty.stderr)")
        }
    }
}

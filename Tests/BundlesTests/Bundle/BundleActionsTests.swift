import Bundles
import Charts
import Foundation
import Structured
import Testing
import TestSupport

/// Bundles published, pulled, copied and applied through a real registry on loopback.
@Suite struct BundleActionsTests {
    static let fixture = Repository.root + "/Tests/Fixtures/Bundles/parent"

    func client() throws -> RegistryClient {
        var options = RegistryOptions()
        options.plainHTTP = true
        options.credentials = RegistryCredentials(files: [])
        return try RegistryClient(options: options)
    }

    @Test func publishBakesValuesAndHelmPullsTheBundle() async throws {
        let registry = try LocalRegistry()
        let helm = try HelmSandbox()
        let work = try makeTemporaryDirectory("bosun-bundle")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let client = try client()
        defer { Task { await client.shutdown() } }
        let repository = try OCIReference(parsing: "oci://\(registry.host)/bundles/shop")
        let values: Value = .object(["replicas": .int(5), "image": .object(["tag": .string("2.0")])])
        let published = try await BundleActions.publish(chartDirectory: Self.fixture, repository: repository, tag: "3.1.0",
                                                        values: values, client: client)
        #expect(published.reference.description == "\(registry.host)/bundles/shop:3.1.0")
        #expect(published.chart.version == "3.1.0")

        try FileManager.default.createDirectory(atPath: work + "/pulled", withIntermediateDirectories: true)
        try helm.run(["pull", "oci://\(registry.host)/bundles/shop", "--version", "3.1.0", "--plain-http", "-d", work + "/pulled"])
        // helm names the file after the repository's last segment.
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/pulled") == ["shop-3.1.0.tgz"])
        let pulled = try [UInt8](Data(contentsOf: URL(fileURLWithPath: work + "/pulled/shop-3.1.0.tgz")))
        #expect(pulled == published.chart.archive)
        let shown = try helm.run(["show", "values", work + "/pulled/shop-3.1.0.tgz"]).stdout
        let baked = try YAML.decode(shown)
        #expect(baked["replicas"] == .double(5))
        #expect(baked["image"]?["tag"] == .string("2.0"))
        #expect(baked["image"]?["repository"] == .string("nginx"))  // chart default kept
        #expect(baked["local"]?["enabled"] == .bool(true))
    }

    @Test func copyBetweenRegistriesAndArchives() async throws {
        let registry = try LocalRegistry()
        let work = try makeTemporaryDirectory("bosun-bundle-copy")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let client = try client()
        defer { Task { await client.shutdown() } }
        let published = try await BundleActions.publish(
            chartDirectory: Self.fixture, repository: try OCIReference(parsing: "oci://\(registry.host)/a/app"), tag: "build-7", client: client)
        #expect(published.chart.version == "1.2.3")  // a non-SemVer tag leaves the version alone

        let source = try BundleActions.Location(parsing: "oci://\(registry.host)/a/app:build-7")
        _ = try await BundleActions.copy(from: source, to: .archive(work + "/app.tgz"), client: client)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: work + "/app.tgz"))) == published.chart.archive)

        let mirror = try BundleActions.Location(parsing: "oci://\(registry.host)/mirror/app:build-7")
        let line = try await BundleActions.copy(from: source, to: mirror, client: client)
        #expect(line.hasSuffix("Digest: \(published.digest)"))

        let fromArchive = try BundleActions.Location(parsing: "oci://\(registry.host)/b/app:v1")
        _ = try await BundleActions.copy(from: .archive(work + "/app.tgz"), to: fromArchive, client: client)
        let back = try await HelmChartArtifact.pull(try OCIReference(parsing: "\(registry.host)/b/app:v1"), client: client)
        #expect(back.archive == published.chart.archive)

        await #expect(throws: BundlesError("oci://\(registry.host)/a/app: a tag is required (--tag or :TAG)")) {
            _ = try BundleActions.Location(parsing: "oci://\(registry.host)/a/app")
        }
    }

    /// `bosun bundle apply` of a chart that `helm push` wrote, into the embedded simulated cluster.
    @Test func applyConvergesAHelmPushedChart() throws {
        let bosun = Repository.root + "/.build/debug/bosun"
        #expect(FileManager.default.isExecutableFile(atPath: bosun), "build bosun first (scripts/test.sh does)")
        let registry = try LocalRegistry()
        let helm = try HelmSandbox()
        let work = try makeTemporaryDirectory("bosun-bundle-apply")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try helm.run(["create", work + "/web"])
        try helm.run(["package", work + "/web", "-d", work])
        try helm.run(["push", work + "/web-0.1.0.tgz", "oci://\(registry.host)/charts", "--plain-http"])
        let result = try runProcess(bosun, [
            "bundle", "apply", "--repo", "oci://\(registry.host)/charts/web", "--tag", "0.1.0", "--plain-http",
            "-r", "web", "-n", "apps", "--sim", "--set", "replicaCount=2", "--no-color",
        ], environment: helm.environment)
        #expect(result.succeeded, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("release revision 1: deployed"))
        #expect(result.stdout.contains("Deployment/apps/web"))

        let missing = try runProcess(bosun, ["bundle", "apply", "--repo", "oci://\(registry.host)/charts/web", "--tag", "9.9.9",
                                            "--plain-http", "-r", "web", "--sim"], environment: helm.environment)
        #expect(!missing.succeeded)
        #expect(missing.stderr.contains("Error: \(registry.host)/charts/web:9.9.9: not found"))
    }
}

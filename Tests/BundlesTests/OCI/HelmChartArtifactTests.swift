import Bundles
import Charts
import Foundation
import Structured
import Testing
import TestSupport

/// Charts pushed and pulled through a real distribution registry on loopback, against `helm push`/`helm pull`.
@Suite struct HelmChartArtifactTests {
    static let fixture = Repository.root + "/Tests/Fixtures/Bundles/parent"

    func plainOptions() -> RegistryOptions {
        var options = RegistryOptions()
        options.plainHTTP = true
        options.credentials = RegistryCredentials(files: [])
        return options
    }

    @Test func bosunPushIsWhatHelmPushWritesAndHelmPullsIt() async throws {
        let registry = try LocalRegistry()
        let helm = try HelmSandbox()
        let work = try makeTemporaryDirectory("bosun-oci")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let client = try RegistryClient(options: plainOptions())
        defer { Task { await client.shutdown() } }

        let packaged = try ChartPackager.package(directory: Self.fixture)
        try Data(packaged.archive).write(to: URL(fileURLWithPath: work + "/" + packaged.fileName))
        let base = try OCIReference(parsing: "oci://\(registry.host)/bosun")
        let (ref, digest) = try await HelmChartArtifact.push(packaged, to: base, client: client)
        #expect(ref.description == "\(registry.host)/bosun/parent:1.2.3")

        // helm pushes the same archive to another path: manifests equal but for the creation time.
        try helm.run(["push", work + "/" + packaged.fileName, "oci://\(registry.host)/helm", "--plain-http"])
        let ours = try await client.manifest(ref).manifest
        let theirs = try await client.manifest(try OCIReference(parsing: "\(registry.host)/helm/parent:1.2.3")).manifest
        #expect(ours.config == theirs.config)
        #expect(ours.layers == theirs.layers)
        #expect(ours.annotations.filter { $0.key != "org.opencontainers.image.created" }
                == theirs.annotations.filter { $0.key != "org.opencontainers.image.created" })
        #expect(ours.mediaType == theirs.mediaType)

        // helm pull gets our bytes back unchanged, and reports our manifest digest.
        try FileManager.default.createDirectory(atPath: work + "/pulled", withIntermediateDirectories: true)
        let pulled = try helm.run(["pull", "oci://\(registry.host)/bosun/parent", "--version", "1.2.3", "--plain-http", "-d", work + "/pulled"])
        #expect(pulled.stderr.contains(digest) || pulled.stdout.contains(digest))
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: work + "/pulled/parent-1.2.3.tgz")))
        #expect(bytes == packaged.archive)
    }

    @Test func helmPushedChartIsPulledByBosun() async throws {
        let registry = try LocalRegistry()
        let helm = try HelmSandbox()
        let work = try makeTemporaryDirectory("bosun-oci")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try helm.run(["create", work + "/web"])
        // `+` in the version becomes `_` in the tag, both ways.
        try helm.run(["package", work + "/web", "-d", work, "--version", "0.3.0+build.7"])
        try helm.run(["push", work + "/web-0.3.0+build.7.tgz", "oci://\(registry.host)/charts", "--plain-http"])
        let client = try RegistryClient(options: plainOptions())
        defer { Task { await client.shutdown() } }
        let ref = try OCIReference(parsing: "oci://\(registry.host)/charts/web:" + HelmChartArtifact.tag(forVersion: "0.3.0+build.7"))
        let pulled = try await HelmChartArtifact.pull(ref, client: client)
        #expect(pulled.metadata.name == "web")
        #expect(pulled.metadata.version == "0.3.0+build.7")
        let helmBytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: work + "/web-0.3.0+build.7.tgz")))
        #expect(pulled.archive == helmBytes)
        let tags = try await client.tags(registry: registry.host, repository: "charts/web")
        #expect(tags == ["0.3.0_build.7"])
    }

    @Test func tamperedBlobIsRefused() async throws {
        let registry = try LocalRegistry()
        let client = try RegistryClient(options: plainOptions())
        defer { Task { await client.shutdown() } }
        let packaged = try ChartPackager.package(directory: Self.fixture)
        let (ref, _) = try await HelmChartArtifact.push(packaged, to: try OCIReference(parsing: "oci://\(registry.host)/t"), client: client)
        let manifest = try await client.manifest(ref).manifest
        let layer = manifest.layers[0]
        // Same size, one byte flipped in the middle of the stored layer.
        var stored = try [UInt8](Data(contentsOf: URL(fileURLWithPath: registry.blobPath(layer.digest))))
        stored[stored.count / 2] ^= 0xff
        try Data(stored).write(to: URL(fileURLWithPath: registry.blobPath(layer.digest)))
        let error = await #expect(throws: BundlesError.self) { try await HelmChartArtifact.pull(ref, client: client) }
        #expect(error?.message.contains("digest mismatch: expected \(layer.digest)") == true)
        #expect(error?.message.contains("blob \(layer.digest) of \(registry.host)/t/parent") == true)
    }

    @Test func chunkedUploadAndCrossRepositoryCopy() async throws {
        let registry = try LocalRegistry()
        var options = plainOptions()
        options.chunkSize = 300
        let client = try RegistryClient(options: options)
        defer { Task { await client.shutdown() } }
        let packaged = try ChartPackager.package(directory: Self.fixture)
        #expect(packaged.archive.count > 900)  // several chunks
        let (ref, digest) = try await HelmChartArtifact.push(packaged, to: try OCIReference(parsing: "oci://\(registry.host)/a"), client: client)
        let target = try OCIReference(parsing: "oci://\(registry.host)/b/copied:v1")
        let copied = try await HelmChartArtifact.copy(from: ref, to: target, client: client)
        #expect(copied == digest)
        let pulled = try await HelmChartArtifact.pull(target, client: client)
        #expect(pulled.archive == packaged.archive)
        // Pull by digest too.
        let byDigest = try await HelmChartArtifact.pull(OCIReference(registry: registry.host, repository: "b/copied", digest: digest), client: client)
        #expect(byDigest.manifestDigest == digest)
    }

    @Test func basicAuthWithConfigJSONCredentials() async throws {
        let registry = try LocalRegistry(basicAuth: true)
        let work = try makeTemporaryDirectory("bosun-auth")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let packaged = try ChartPackager.package(directory: Self.fixture)
        let base = try OCIReference(parsing: "oci://\(registry.host)/private")

        // No credentials: refused with a hint.
        let anonymous = try RegistryClient(options: plainOptions())
        defer { Task { await anonymous.shutdown() } }
        let refused = await #expect(throws: BundlesError.self) { try await HelmChartArtifact.push(packaged, to: base, client: anonymous) }
        #expect(refused?.message.contains("authentication required") == true)

        // `registry login` writes helm's config.json; helm reads it back, and so do we.
        let config = work + "/registry/config.json"
        try RegistryCredentials.store(host: registry.host, username: LocalRegistry.username, password: LocalRegistry.password, in: config)
        var options = plainOptions()
        options.credentials = RegistryCredentials(files: [config])
        let client = try RegistryClient(options: options)
        defer { Task { await client.shutdown() } }
        try await client.ping(registry.host)
        let (ref, _) = try await HelmChartArtifact.push(packaged, to: base, client: client)
        let helm = try HelmSandbox()
        try FileManager.default.createDirectory(atPath: work + "/pulled", withIntermediateDirectories: true)
        try helm.run(["pull", "oci://\(ref.registry)/\(ref.repository)", "--version", "1.2.3", "--plain-http",
                      "--registry-config", config, "-d", work + "/pulled"])
        #expect(FileManager.default.fileExists(atPath: work + "/pulled/parent-1.2.3.tgz"))

        // Docker's config.json with `username`/`password` entries works as well; wrong ones fail.
        try #"{"auths": {"\#(registry.host)": {"auth": "\#(Data("alice:wrong".utf8).base64EncodedString())"}}}"#
            .write(toFile: work + "/bad.json", atomically: true, encoding: .utf8)
        options.credentials = RegistryCredentials(files: [work + "/bad.json"])
        let bad = try RegistryClient(options: options)
        defer { Task { await bad.shutdown() } }
        await #expect(throws: BundlesError.self) { try await HelmChartArtifact.pull(ref, client: bad) }

        try RegistryCredentials.remove(host: registry.host, from: config)
        #expect(RegistryCredentials(files: [config]).credentials(for: registry.host) == nil)
        #expect(throws: BundlesError("not logged in to \(registry.host)")) {
            try RegistryCredentials.remove(host: registry.host, from: config)
        }
    }

    @Test func loginFileMatchesHelmRegistryLogin() async throws {
        let registry = try LocalRegistry(basicAuth: true)
        let work = try makeTemporaryDirectory("bosun-login")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let helm = try HelmSandbox()
        try helm.run(["registry", "login", registry.host, "-u", LocalRegistry.username, "--password-stdin", "--plain-http",
                      "--registry-config", work + "/helm.json"], input: LocalRegistry.password)
        try RegistryCredentials.store(host: registry.host, username: LocalRegistry.username, password: LocalRegistry.password,
                                      in: work + "/bosun.json")
        let a = try String(contentsOfFile: work + "/helm.json", encoding: .utf8)
        let b = try String(contentsOfFile: work + "/bosun.json", encoding: .utf8)
        #expect(a == b)
    }
}

extension HelmChartArtifactTests {
    /// Registries that answer with `WWW-Authenticate: Bearer realm=...`: an anonymous token is
    /// fetched from the realm and sent back, for push and pull alike; helm pulls the same way.
    @Test func anonymousBearerTokens() async throws {
        let registry = try LocalRegistry()
        let proxy = try TokenProxy(upstream: registry.host)
        let client = try RegistryClient(options: plainOptions())
        defer { Task { await client.shutdown() } }
        let packaged = try ChartPackager.package(directory: Self.fixture)
        let (ref, digest) = try await HelmChartArtifact.push(packaged, to: try OCIReference(parsing: "oci://\(proxy.host)/tok"), client: client)
        let pulled = try await HelmChartArtifact.pull(ref, client: client)
        #expect(pulled.manifestDigest == digest)
        let helm = try HelmSandbox()
        let work = try makeTemporaryDirectory("bosun-token")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try helm.run(["pull", "oci://\(proxy.host)/tok/parent", "--version", "1.2.3", "--plain-http", "-d", work])
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: work + "/parent-1.2.3.tgz"))) == packaged.archive)
    }
}

extension HelmChartArtifactTests {
    /// HTTPS with a private CA: trusted with --ca-file, refused without it, accepted with
    /// --insecure-skip-tls-verify.
    @Test func httpsWithCustomCA() async throws {
        let work = try makeTemporaryDirectory("bosun-tls")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let certificates = try TestCertificates(in: work)
        let registry = try LocalRegistry(tls: (certificates.serverCertificate, certificates.serverKey))
        let packaged = try ChartPackager.package(directory: Self.fixture)
        let base = try OCIReference(parsing: "oci://\(registry.host)/secure")

        var trusting = RegistryOptions()
        trusting.credentials = RegistryCredentials(files: [])
        trusting.caFile = certificates.caCertificate
        let client = try RegistryClient(options: trusting)
        defer { Task { await client.shutdown() } }
        let (ref, digest) = try await HelmChartArtifact.push(packaged, to: base, client: client)
        #expect(try await HelmChartArtifact.pull(ref, client: client).manifestDigest == digest)

        var untrusting = trusting
        untrusting.caFile = nil
        let refused = try RegistryClient(options: untrusting)
        defer { Task { await refused.shutdown() } }
        let error = await #expect(throws: BundlesError.self) { try await HelmChartArtifact.pull(ref, client: refused) }
        #expect(error?.message.contains("TLS") == true || error?.message.contains("certificate") == true)

        var skipping = untrusting
        skipping.insecureSkipTLSVerify = true
        let skipper = try RegistryClient(options: skipping)
        defer { Task { await skipper.shutdown() } }
        #expect(try await HelmChartArtifact.pull(ref, client: skipper).archive == packaged.archive)

        // helm trusts the same CA the same way.
        let helm = try HelmSandbox()
        try helm.run(["pull", "oci://\(registry.host)/secure/parent", "--version", "1.2.3", "--ca-file", certificates.caCertificate, "-d", work])
        #expect(FileManager.default.fileExists(atPath: work + "/parent-1.2.3.tgz"))
    }
}

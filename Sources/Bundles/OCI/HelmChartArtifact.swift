import Charts
import Foundation
import OrderedCollections
import Structured

/// Charts stored as OCI artifacts exactly as `helm push` writes them: a config blob holding
/// Chart.yaml's metadata as JSON, one layer holding the packaged chart, manifest annotations
/// from Chart.yaml; tags are versions with `+` written `_`.
public enum HelmChartArtifact {
    public static let configMediaType = "application/vnd.cncf.helm.config.v1+json"
    public static let chartMediaType = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
    public static let legacyChartMediaType = "application/tar+gzip"
    public static let provenanceMediaType = "application/vnd.cncf.helm.chart.provenance.v1.prov"

    /// A pulled chart: the archive and where it came from.
    public struct Pulled: Sendable {
        public var archive: [UInt8]
        public var metadata: ChartMetadata
        public var manifestDigest: String
        public var reference: OCIReference
    }

    /// helm's tag for a version: OCI tags cannot hold `+`.
    public static func tag(forVersion version: String) -> String { version.replacingOccurrences(of: "+", with: "_") }

    /// Manifest annotations as helm writes them: description, title (the name), version, created,
    /// url (home), source (first source), authors; then Chart.yaml's own annotations, which may
    /// override any but title and version.
    public static func annotations(for metadata: ChartMetadata, created: Date) -> OrderedDictionary<String, String> {
        var a = OrderedDictionary<String, String>()
        if !metadata.description.isEmpty { a["org.opencontainers.image.description"] = metadata.description }
        a["org.opencontainers.image.title"] = metadata.name
        a["org.opencontainers.image.version"] = metadata.version
        a["org.opencontainers.image.created"] = rfc3339(created)
        if !metadata.home.isEmpty { a["org.opencontainers.image.url"] = metadata.home }
        if let source = metadata.sources.first, !source.isEmpty { a["org.opencontainers.image.source"] = source }
        let authors = metadata.maintainers.map { m in m.email.isEmpty ? m.name : "\(m.name) (\(m.email))" }
        if !authors.isEmpty { a["org.opencontainers.image.authors"] = authors.joined(separator: ", ") }
        for (key, value) in metadata.annotations ?? [:]
        where key != "org.opencontainers.image.title" && key != "org.opencontainers.image.version" {
            a[key] = value
        }
        return a
    }

    static func rfc3339(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        return formatter.string(from: date)
    }

    /// Push a packaged chart to `base/<chart name>:<tag>` as `helm push` does (tag defaults to the
    /// version), or to `base:<tag>` itself when `appendName` is false (bundles); returns the full
    /// reference and the manifest digest.
    @discardableResult
    public static func push(
        _ chart: PackagedChart, to base: OCIReference, tag: String? = nil, appendName: Bool = true, client: RegistryClient,
        created: Date = Date()
    ) async throws(BundlesError) -> (reference: OCIReference, digest: String) {
        let ref = (appendName ? base.appending(chart.name) : base).with(tag: tag ?? Self.tag(forVersion: chart.version))
        let configBytes = Array(JSON.encode(chart.metadata.jsonValue, sortKeys: false, escapeHTML: true).utf8)
        let config = try await client.pushBlob(configBytes, mediaType: configMediaType, registry: ref.registry, repository: ref.repository)
        let layer = try await client.pushBlob(chart.archive, mediaType: chartMediaType, registry: ref.registry, repository: ref.repository)
        let manifest = ImageManifest(config: config, layers: [layer], annotations: annotations(for: chart.metadata, created: created))
        let digest = try await client.pushManifest(manifest.bytes, mediaType: ImageManifest.mediaType, to: ref)
        return (ref, digest)
    }

    /// Pull the chart at `ref` (a tag or digest), verifying the manifest, config and layer digests.
    public static func pull(_ ref: OCIReference, client: RegistryClient) async throws(BundlesError) -> Pulled {
        let (manifest, digest) = try await client.manifest(ref)
        guard manifest.config.mediaType == configMediaType else {
            throw BundlesError("\(ref): not a Helm chart (config media type \(manifest.config.mediaType), expected \(configMediaType))")
        }
        let chartLayers = manifest.layers.filter { $0.mediaType == chartMediaType || $0.mediaType == legacyChartMediaType }
        guard chartLayers.count == 1, let layer = chartLayers.first else {
            throw BundlesError("\(ref): manifest does not contain exactly 1 chart layer (found \(chartLayers.count))")
        }
        let configBytes = try await client.fetchBlob(manifest.config, registry: ref.registry, repository: ref.repository)
        let archive = try await client.fetchBlob(layer, registry: ref.registry, repository: ref.repository)
        let chart: Chart
        do { chart = try ChartLoader.loadArchive(archive) } catch {
            throw BundlesError("\(ref): chart layer does not load: \(error.message)")
        }
        _ = configBytes
        return Pulled(archive: archive, metadata: chart.metadata, manifestDigest: digest, reference: ref)
    }

    /// Copy every blob and the manifest byte for byte (same digest) from one reference to another.
    @discardableResult
    public static func copy(from source: OCIReference, to target: OCIReference, client: RegistryClient) async throws(BundlesError) -> String {
        let (bytes, mediaType) = try await client.fetchManifest(source)
        let manifest = try ImageManifest(bytes: bytes, what: "\(source)")
        for descriptor in [manifest.config] + manifest.layers {
            let sameRegistry = source.registry == target.registry
            if sameRegistry {
                _ = try await client.pushBlobByMount(descriptor, registry: target.registry, from: source.repository, to: target.repository)
                if try await client.blobExists(descriptor.digest, registry: target.registry, repository: target.repository) { continue }
            }
            let blob = try await client.fetchBlob(descriptor, registry: source.registry, repository: source.repository)
            try await client.pushBlob(blob, mediaType: descriptor.mediaType, registry: target.registry, repository: target.repository)
        }
        return try await client.pushManifest(bytes, mediaType: mediaType, to: target)
    }
}

extension RegistryClient {
    /// Ask the registry to mount a blob from another repository; true when it did.
    func pushBlobByMount(_ descriptor: Descriptor, registry: String, from: String, to: String) async throws(BundlesError) -> Bool {
        if try await blobExists(descriptor.digest, registry: registry, repository: to) { return true }
        let path = "/v2/\(to)/blobs/uploads/?mount=\(descriptor.digest)&from=\(Self.escape(from))"
        let response = try await send(.POST, registry: registry, path: path, scope: Self.pushScope(to) + " " + Self.pullScope(from),
                                      headers: ["Content-Length": "0"], body: [])
        return response.status == 201
    }
}

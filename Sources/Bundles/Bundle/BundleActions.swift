import Charts
import Foundation
import Structured

/// werf-style bundles: a chart (with its values and dependencies) published as a Helm OCI
/// artifact under an exact repository and tag, pulled back to converge, or copied between
/// registries and `.tgz` archives.
public enum BundleActions {
    /// A bundle location: `oci://HOST/PATH[:TAG]` (tag or digest required) or a `.tgz` path.
    public enum Location: Sendable, CustomStringConvertible {
        case registry(OCIReference)
        case archive(String)

        public init(parsing text: String, tag: String? = nil) throws(BundlesError) {
            if text.hasPrefix("oci://") {
                var ref = try OCIReference(parsing: text)
                if let tag { ref.tag = tag }
                guard ref.reference != nil else { throw BundlesError("\(text): a tag is required (--tag or :TAG)") }
                self = .registry(ref)
            } else {
                self = .archive(text)
            }
        }

        public var description: String {
            switch self {
            case .registry(let ref): return "oci://" + ref.description
            case .archive(let path): return path
            }
        }
    }

    /// Package `chartDirectory` (values from `values` merged over values.yaml and baked in when
    /// given) and push it to `repository:tag`. A SemVer tag becomes the chart's version, so that
    /// `helm pull --version TAG` finds a matching chart.
    @discardableResult
    public static func publish(
        chartDirectory: String, repository: OCIReference, tag: String, values: Value? = nil, client: RegistryClient
    ) async throws(BundlesError) -> (reference: OCIReference, digest: String, chart: PackagedChart) {
        var options = ChartPackager.Options()
        if let values, values.objectValue?.isEmpty == false {
            let chart: Chart
            do { chart = try ChartLoader.loadDirectory(chartDirectory) } catch { throw BundlesError(error.message) }
            options.values = ValuesFile.mergeMaps(chart.values, values)
        }
        let version = tag.replacingOccurrences(of: "_", with: "+")
        if SemanticVersion(parsing: version) != nil, !version.hasPrefix("v") { options.version = version }
        let packaged = try ChartPackager.package(directory: chartDirectory, options: options)
        let ref = repository.with(tag: tag)
        let (_, digest) = try await HelmChartArtifact.push(packaged, to: ref, tag: tag, appendName: false, client: client)
        return (ref, digest, packaged)
    }

    /// Pull a bundle into `directory` as `<name>-<version>.tgz`; returns the archive's path.
    public static func pull(_ ref: OCIReference, into directory: String, client: RegistryClient) async throws(BundlesError) -> String {
        let pulled = try await HelmChartArtifact.pull(ref, client: client)
        let path = directory + "/\(pulled.metadata.name)-\(pulled.metadata.version).tgz"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(pulled.archive).write(to: URL(fileURLWithPath: path))
        } catch {
            throw BundlesError("writing \(path): \(error.localizedDescription)")
        }
        return path
    }

    /// Copy registry -> registry (blobs and manifest unchanged, same digest), registry -> .tgz,
    /// or .tgz -> registry (pushed as `helm push` would). Returns a line describing the result.
    public static func copy(from source: Location, to target: Location, client: RegistryClient) async throws(BundlesError) -> String {
        switch (source, target) {
        case (.registry(let from), .registry(let to)):
            let digest = try await HelmChartArtifact.copy(from: from, to: to, client: client)
            return "Copied \(source) to \(target)\nDigest: \(digest)"
        case (.registry(let from), .archive(let path)):
            let pulled = try await HelmChartArtifact.pull(from, client: client)
            do { try Data(pulled.archive).write(to: URL(fileURLWithPath: path)) } catch {
                throw BundlesError("writing \(path): \(error.localizedDescription)")
            }
            return "Saved \(source) to \(path)\nDigest: \(pulled.manifestDigest)"
        case (.archive(let path), .registry(let to)):
            guard let data = FileManager.default.contents(atPath: path) else { throw BundlesError("reading \(path): no such file") }
            let archive = [UInt8](data)
            let chart: Chart
            do { chart = try ChartLoader.loadArchive(archive) } catch { throw BundlesError("\(path): \(error.message)") }
            let packaged = PackagedChart(metadata: chart.metadata, archive: archive)
            let (_, digest) = try await HelmChartArtifact.push(packaged, to: to, tag: to.tag, appendName: false, client: client)
            return "Pushed \(path) to \(target)\nDigest: \(digest)"
        case (.archive, .archive):
            throw BundlesError("copy needs a registry on at least one side (oci://HOST/PATH:TAG)")
        }
    }
}

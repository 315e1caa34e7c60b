import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOSSL

/// HTTP(S) access to classic chart repositories: index.yaml and chart archives, with the entry's
/// credentials and TLS files. Call `shutdown()` when done.
public final class ChartRepositoryClient: Sendable {
    private let http: HTTPClient

    public init(entry: RepositoryEntry? = nil) throws(BundlesError) {
        var configuration = HTTPClient.Configuration()
        // Fail at once on refused connections and TLS handshake errors instead of retrying until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .follow(max: 10, allowCycles: false)
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let caFile = entry?.caFile, !caFile.isEmpty {
                tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile))]
            }
            if let certFile = entry?.certFile, let keyFile = entry?.keyFile, !certFile.isEmpty, !keyFile.isEmpty {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certFile).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            }
        } catch {
            throw BundlesError("loading TLS files of repository \(entry?.name ?? ""): \(error)")
        }
        if entry?.insecureSkipTLSVerify == true { tls.certificateVerification = .none }
        configuration.tlsConfiguration = tls
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.entry = entry
    }

    private let entry: RepositoryEntry?

    public func shutdown() async { try? await http.shutdown() }

    /// GET a URL; credentials go only to the repository's own host unless pass_credentials_all.
    public func get(_ url: String) async throws(BundlesError) -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: "Helm/4.1.4")
        if let entry, !entry.username.isEmpty || !entry.password.isEmpty,
           entry.passCredentialsAll || URL(string: url)?.host == URL(string: entry.url)?.host {
            request.headers.add(name: "Authorization", value: "Basic " + Data((entry.username + ":" + entry.password).utf8).base64EncodedString())
        }
        do {
            let response = try await http.execute(request, timeout: .seconds(300))
            var body = try await response.body.collect(upTo: 512 << 20)
            let bytes = body.readBytes(length: body.readableBytes) ?? []
            guard response.status == .ok else {
                throw BundlesError("failed to fetch \(url) : \(response.status.code) \(response.status.reasonPhrase)")
            }
            return bytes
        } catch let error as BundlesError {
            throw error
        } catch {
            throw BundlesError("failed to fetch \(url) : \(error)")
        }
    }

    /// `<url>/index.yaml` (the URL's query kept after the path, as helm does).
    public static func indexURL(_ repositoryURL: String) -> String {
        var base = repositoryURL
        var query = ""
        if let q = base.firstIndex(of: "?") {
            query = String(base[q...])
            base = String(base[..<q])
        }
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/index.yaml" + query
    }

    /// A chart URL from the index, resolved against the repository URL when relative.
    public static func resolve(_ chartURL: String, against repositoryURL: String) -> String {
        if chartURL.contains("://") { return chartURL }
        var base = repositoryURL
        if let q = base.firstIndex(of: "?") { base = String(base[..<q]) }
        if !base.hasSuffix("/") { base += "/" }
        return URL(string: chartURL, relativeTo: URL(string: base))?.absoluteString ?? base + chartURL
    }

    /// Download and parse the index; returns raw bytes (cached verbatim) and the parsed index.
    public func fetchIndex(_ repositoryURL: String) async throws(BundlesError) -> (bytes: [UInt8], index: RepositoryIndex) {
        let url = Self.indexURL(repositoryURL)
        let bytes: [UInt8]
        do { bytes = try await get(url) } catch {
            throw BundlesError("looks like \"\(repositoryURL)\" is not a valid chart repository or cannot be reached: \(error.message)")
        }
        do {
            return (bytes, try RepositoryIndex(parsing: String(decoding: bytes, as: UTF8.self), source: url))
        } catch {
            throw BundlesError("looks like \"\(repositoryURL)\" is not a valid chart repository or cannot be reached: \(error.message)")
        }
    }
}

/// The repository cache (`$HELM_REPOSITORY_CACHE`): `<name>-index.yaml` and `<name>-charts.txt`.
public enum RepositoryCache {
    public static func indexPath(_ cache: String, name: String) -> String { cache + "/" + name + "-index.yaml" }
    public static func chartsPath(_ cache: String, name: String) -> String { cache + "/" + name + "-charts.txt" }

    /// Name helm uses for an unnamed repository URL met in Chart.yaml dependencies.
    public static func managerName(forURL url: String) -> String {
        "helm-manager-" + SHA256.hash(data: Array(url.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public static func store(_ bytes: [UInt8], index: RepositoryIndex, cache: String, name: String) throws(BundlesError) {
        do {
            try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: indexPath(cache, name: name)))
            try Data(index.chartNamesText.utf8).write(to: URL(fileURLWithPath: chartsPath(cache, name: name)))
        } catch {
            throw BundlesError("writing the repository cache in \(cache): \(error.localizedDescription)")
        }
    }

    public static func load(cache: String, name: String) throws(BundlesError) -> RepositoryIndex? {
        let path = indexPath(cache, name: name)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try RepositoryIndex(parsing: String(decoding: data, as: UTF8.self), source: path)
    }

    public static func remove(cache: String, name: String) {
        try? FileManager.default.removeItem(atPath: indexPath(cache, name: name))
        try? FileManager.default.removeItem(atPath: chartsPath(cache, name: name))
    }
}

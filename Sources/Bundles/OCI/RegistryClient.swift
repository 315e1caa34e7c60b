import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// An OCI distribution (registry v2) client: manifests, blobs (monolithic, chunked and mounted
/// uploads), tags; anonymous bearer tokens and basic credentials answered from `WWW-Authenticate`
/// challenges. Every blob and manifest fetched by digest is verified. Call `shutdown()` when done.
public final class RegistryClient: Sendable {
    let options: RegistryOptions
    private let http: HTTPClient
    private let auth = RegistryAuthState()

    public init(options: RegistryOptions = RegistryOptions()) throws(BundlesError) {
        self.options = options
        var configuration = HTTPClient.Configuration()
        // Fail at once on refused connections and TLS handshake errors instead of retrying until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .follow(max: 5, allowCycles: false)
        configuration.timeout = .init(connect: .seconds(30))
        if !options.plainHTTP {
            var tls = TLSConfiguration.makeClientConfiguration()
            do {
                if let caFile = options.caFile {
                    tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile))]
                }
                if let certFile = options.certFile, let keyFile = options.keyFile {
                    tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certFile).map { .certificate($0) }
                    tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
                }
            } catch {
                throw BundlesError("loading TLS files: \(error)")
            }
            if options.insecureSkipTLSVerify { tls.certificateVerification = .none }
            configuration.tlsConfiguration = tls
        }
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    func baseURL(_ registry: String) -> String { (options.plainHTTP ? "http://" : "https://") + registry }

    // MARK: Requests

    struct Response {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    /// One request, answering an authentication challenge once (and retrying with the answer).
    func send(
        _ method: HTTPMethod, registry: String, path: String, scope: String, headers: HTTPHeaders = [:],
        body: [UInt8]? = nil, limit: Int = 1 << 30
    ) async throws(BundlesError) -> Response {
        let url = path.hasPrefix("http://") || path.hasPrefix("https://") ? path : baseURL(registry) + path
        var authorization = await auth.header(registry: registry, scope: scope)
        for attempt in 0..<2 {
            var request = HTTPClientRequest(url: url)
            request.method = method
            request.headers = headers
            request.headers.replaceOrAdd(name: "User-Agent", value: "bosun/0.1")
            if let authorization { request.headers.replaceOrAdd(name: "Authorization", value: authorization) }
            if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
            let response: HTTPClientResponse
            let bytes: [UInt8]
            do {
                response = try await http.execute(request, timeout: .seconds(options.requestTimeoutSeconds))
                var buffer = try await response.body.collect(upTo: limit)
                bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            } catch {
                throw BundlesError("\(method.rawValue) \(url): \(Self.describe(error))")
            }
            if response.status == .unauthorized && attempt == 0,
               let challenge = response.headers.first(name: "WWW-Authenticate") {
                authorization = try await answer(challenge, registry: registry, scope: scope)
                if authorization != nil { continue }
            }
            return Response(status: Int(response.status.code), headers: response.headers, body: bytes)
        }
        throw BundlesError("\(method.rawValue) \(url): authentication failed")
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded { return "timed out" }
        let text = "\(error)"
        if text.contains("connectTimeout") || text.contains("connectionRefused") || text.contains("Connection refused") {
            return "connection refused (is the registry running, and does it speak HTTP or HTTPS as asked?)"
        }
        if text.contains("handshake") || text.contains("NIOSSL") || text.contains("SSL") {
            return "TLS error: \(text) (use --ca-file for a private CA or --plain-http for a plain HTTP registry)"
        }
        return text
    }

    /// Credentials for a host: explicit options, then the config files.
    func credentials(for registry: String) -> RegistryCredentials.Entry? {
        if let username = options.username, let password = options.password {
            return .init(username: username, password: password)
        }
        return options.credentials.credentials(for: registry)
    }

    private func answer(_ challenge: String, registry: String, scope: String) async throws(BundlesError) -> String? {
        let parsed = AuthChallenge(parsing: challenge)
        let creds = credentials(for: registry)
        switch parsed.scheme.lowercased() {
        case "basic":
            guard let creds else {
                throw BundlesError("\(registry): authentication required (log in with `bosun registry login \(registry)`)")
            }
            let header = "Basic " + Data((creds.username + ":" + creds.password).utf8).base64EncodedString()
            await auth.store(registry: registry, scope: "*", header: header)
            return header
        case "bearer":
            guard let realm = parsed.parameters["realm"] else { throw BundlesError("\(registry): bearer challenge without realm") }
            var query: [String] = []
            if let service = parsed.parameters["service"] { query.append("service=" + Self.escape(service)) }
            let wanted = parsed.parameters["scope"] ?? scope
            if !wanted.isEmpty { query.append("scope=" + Self.escape(wanted)) }
            var request = HTTPClientRequest(url: realm + (query.isEmpty ? "" : (realm.contains("?") ? "&" : "?") + query.joined(separator: "&")))
            if let creds {
                request.headers.add(name: "Authorization", value: "Basic " + Data((creds.username + ":" + creds.password).utf8).base64EncodedString())
            }
            let body: [UInt8]
            do {
                let response = try await http.execute(request, timeout: .seconds(60))
                var buffer = try await response.body.collect(upTo: 1 << 20)
                body = buffer.readBytes(length: buffer.readableBytes) ?? []
                guard response.status == .ok else {
                    throw BundlesError("\(registry): token request to \(realm) failed: \(response.status.code) \(String(decoding: body, as: UTF8.self))")
                }
            } catch let error as BundlesError { throw error } catch {
                throw BundlesError("\(registry): token request to \(realm) failed: \(Self.describe(error))")
            }
            let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
            guard let token = (json?["token"] as? String) ?? (json?["access_token"] as? String), !token.isEmpty else {
                throw BundlesError("\(registry): token response from \(realm) has no token")
            }
            let header = "Bearer " + token
            await auth.store(registry: registry, scope: scope, header: header)
            return header
        default:
            return nil
        }
    }

    static func escape(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    func failure(_ response: Response, _ what: String) -> BundlesError {
        var detail = String(decoding: response.body.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if let json = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
           let errors = json["errors"] as? [[String: Any]], !errors.isEmpty {
            detail = errors.map { "\($0["code"] as? String ?? "?"): \($0["message"] as? String ?? "")" }.joined(separator: "; ")
        }
        switch response.status {
        case 401: return BundlesError("\(what): unauthorized: \(detail) (check `bosun registry login` credentials)")
        case 403: return BundlesError("\(what): forbidden: \(detail)")
        case 404: return BundlesError("\(what): not found: \(detail)")
        default: return BundlesError("\(what): unexpected status \(response.status): \(detail)")
        }
    }
}

/// Authorization headers obtained so far, per registry and scope (basic auth covers every scope).
actor RegistryAuthState {
    private var headers: [String: String] = [:]

    func header(registry: String, scope: String) -> String? {
        headers[registry + "|" + scope] ?? headers[registry + "|*"]
    }

    func store(registry: String, scope: String, header: String) {
        headers[registry + "|" + scope] = header
    }
}

/// `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`.
struct AuthChallenge {
    var scheme = ""
    var parameters: [String: String] = [:]

    init(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(of: " ") else { scheme = trimmed; return }
        scheme = String(trimmed[..<space])
        var rest = Substring(trimmed[trimmed.index(after: space)...])
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let eq = rest.firstIndex(of: "=") else { break }
            let key = rest[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: eq)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                while let c = rest.first, c != "\"" {
                    if c == "\\" { rest = rest.dropFirst() }
                    if let next = rest.first { value.append(next); rest = rest.dropFirst() }
                }
                rest = rest.dropFirst()
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            parameters[key] = value
        }
    }
}

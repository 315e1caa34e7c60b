import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Structured

/// A response read to its end.
struct APIResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
}

/// Sends `APIRequest`s: authentication, client-side rate limit, retries with backoff,
/// timeouts, and errors that name the server and the kubeconfig context.
final class HTTPTransport: Sendable {
    let connection: ClusterConnection
    let options: TransportOptions
    private let client: HTTPClient
    /// Scheme, host (the TLS server name when one is set) and port, plus the server's path prefix.
    private let baseURL: String
    private let limiter: RateLimiter
    private let baseTLS: TLSConfiguration?
    private let tokenFile: TokenFileSource?
    let execProvider: ExecCredentialProvider?

    init(connection: ClusterConnection, options: TransportOptions) throws(KubeError) {
        self.connection = connection
        self.options = options
        guard let url = URLParts(connection.server) else {
            throw KubeError(.config, "invalid server URL \"\(connection.server)\" (\(connection.contextDescription))")
        }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .nanoseconds(Int64(options.connectTimeout.seconds * 1e9)))
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: options.maxConnectionsPerHost)
        // We retry connection failures ourselves, with backoff and a bounded number of tries.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = options.allowHTTP2 ? .automatic : .http1Only
        var host = url.urlHost
        if url.scheme == "https" {
            var tls = TLSConfiguration.makeClientConfiguration()
            // When we close a connection (a cancelled watch or log stream, shutdown) there is nothing
            // left to read: do not wait NIOSSL's default 5 s for the server's close_notify, which a
            // server busy writing a stream may never read ours to send.
            tls.shutdownTimeout = .milliseconds(100)
            if let roots = connection.tls.certificateAuthorities { tls.trustRoots = .certificates(roots) }
            if connection.tls.insecureSkipVerify { tls.certificateVerification = .none }
            if let chain = connection.tls.clientCertificateChain, let key = connection.tls.clientKey {
                tls.certificateChain = chain.map { .certificate($0) }
                tls.privateKey = .privateKey(key)
            }
            configuration.tlsConfiguration = tls
            baseTLS = tls
            if let serverName = connection.tls.serverName, !serverName.isEmpty, serverName != url.host {
                // Verify and send SNI for `tls-server-name` while connecting to the real address.
                configuration.dnsOverride = [serverName: url.host]
                host = serverName
            }
        } else {
            baseTLS = nil
        }
        if let proxy = connection.proxyURL {
            configuration.proxy = try Self.proxy(proxy, connection: connection)
        }
        baseURL = "\(url.scheme)://\(host):\(url.port)\(url.path)"
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        limiter = RateLimiter(qps: options.qps, burst: options.burst)
        switch connection.authentication {
        case .tokenFile(let path):
            tokenFile = TokenFileSource(path: path, owner: "user \"\(connection.userName)\"")
            execProvider = nil
        case .exec(let exec):
            tokenFile = nil
            execProvider = ExecCredentialProvider(config: exec, clusterInfo: connection.execClusterInfo)
        default:
            tokenFile = nil
            execProvider = nil
        }
    }

    private static func proxy(_ text: String, connection: ClusterConnection) throws(KubeError) -> HTTPClient.Configuration.Proxy {
        let socks = text.hasPrefix("socks5://")
        guard let parts = URLParts(socks ? "http://" + text.dropFirst("socks5://".count) : text) else {
            throw KubeError(.config, "invalid proxy-url \"\(text)\" (\(connection.contextDescription))")
        }
        if socks { return .socksServer(host: parts.host, port: parts.port == 80 ? 1080 : parts.port) }
        var authorization: HTTPClient.Authorization?
        if let schemeEnd = text.range(of: "://"), let at = text[schemeEnd.upperBound...].firstIndex(of: "@") {
            let userInfo = text[schemeEnd.upperBound..<at]
            let pair = userInfo.split(separator: ":", maxSplits: 1).map { $0.removingPercentEncoding ?? String($0) }
            authorization = .basic(username: pair.first ?? "", password: pair.count > 1 ? pair[1] : "")
        }
        return .server(host: parts.host, port: parts.port, authorization: authorization)
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// Where errors say we were talking to: `https://127.0.0.1:6443 (context "dev")`.
    var serverDescription: String { "\(connection.server) (\(connection.contextDescription))" }

    // MARK: Sending

    /// Send and read the whole response; non-2xx answers become `KubeError(.api)`.
    func send(_ request: APIRequest) async throws(KubeError) -> APIResponse {
        try await perform(request) { response throws(KubeError) in
            let body = try await self.collect(response, limit: 512 << 20)
            return APIResponse(status: Int(response.status.code), headers: response.headers, body: body)
        }
    }

    /// Open a streaming response (watch, logs). The status is checked; the body is the caller's.
    func openStream(_ request: APIRequest) async throws(KubeError) -> HTTPClientResponse {
        var request = request
        // A stream holds its HTTP/1.1 connection for its whole life; do not hand it back to the pool
        // afterwards (kubesim, at least, does not serve a second request on a connection whose
        // watch it ended).
        request.closeConnection = true
        return try await perform(request) { response throws(KubeError) in response }
    }

    private struct Attempt: Sendable {
        var credential: ExecCredential?
        var usedTokenFile = false
    }

    /// The retry loop around one request. `handle` runs on a 2xx response.
    private func perform<T: Sendable>(
        _ request: APIRequest, handle: @escaping @Sendable (HTTPClientResponse) async throws(KubeError) -> T
    ) async throws(KubeError) -> T {
        var attempt = 0
        var reauthenticated = false
        while true {
            attempt += 1
            do { try await limiter.acquire() } catch { throw KubeError(.transport, "cancelled") }
            var state = Attempt()
            let prepared = try await prepare(request, state: &state)
            let outcome: Outcome<T>
            do {
                outcome = try await withTimeout(request.timeout) { () async throws(KubeError) -> Outcome<T> in
                    let response: HTTPClientResponse
                    do {
                        response = try await self.client.execute(prepared, deadline: .distantFuture)
                    } catch {
                        return .transportFailure(error)
                    }
                    let code = Int(response.status.code)
                    if (200..<300).contains(code) { return .success(try await handle(response)) }
                    let body = (try? await self.collect(response, limit: 1 << 20)) ?? []
                    return .failure(code: code, headers: response.headers, body: body)
                }
            } catch {
                if Task.isCancelled { throw KubeError(.transport, "request cancelled: \(request.method) \(request.path)") }
                throw error
            }
            switch outcome {
            case .success(let value):
                return value
            case .failure(let code, let headers, let body):
                if code == 401, !reauthenticated, await refreshCredentials(state) {
                    reauthenticated = true
                    attempt -= 1
                    continue
                }
                let retryAfter = headers.first(name: "Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                if attempt < options.retry.maxAttempts,
                    options.retry.isRetryable(.status(code), idempotent: request.idempotent)
                {
                    try await sleep(options.retry.delay(
                        afterAttempt: attempt, retryAfter: retryAfter.map { .seconds($0) }, random: Double.random(in: 0..<1)))
                    continue
                }
                throw apiError(code: code, headers: headers, body: body, request: request)
            case .transportFailure(let error):
                if Task.isCancelled { throw KubeError(.transport, "request cancelled: \(request.method) \(request.path)") }
                let (failure, detail) = Self.classify(error)
                if let failure, attempt < options.retry.maxAttempts,
                    options.retry.isRetryable(failure, idempotent: request.idempotent)
                {
                    try await sleep(options.retry.delay(afterAttempt: attempt, random: Double.random(in: 0..<1)))
                    continue
                }
                let tries = attempt > 1 ? " after \(attempt) attempts" : ""
                throw KubeError(
                    .transport, "unable to connect to the server \(serverDescription): \(detail)\(tries)")
            }
        }
    }

    private enum Outcome<T: Sendable>: Sendable {
        case success(T)
        case failure(code: Int, headers: HTTPHeaders, body: [UInt8])
        case transportFailure(any Error)
    }

    private func sleep(_ duration: Duration) async throws(KubeError) {
        do { try await Task.sleep(for: duration) } catch { throw KubeError(.transport, "cancelled while waiting to retry") }
    }

    private func withTimeout<T: Sendable>(
        _ timeout: Duration?, _ operation: @escaping @Sendable () async throws(KubeError) -> T
    ) async throws(KubeError) -> T {
        guard let timeout else { return try await operation() }
        do {
            return try await withThrowingTaskGroup(of: T.self) { group in
                group.addTask { try await operation() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw KubeError(.timeout, "")
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch let error as KubeError {
            if error.kind == .timeout {
                let amount = timeout < .seconds(1)
                    ? "\(Int(timeout.seconds * 1000))ms" : "\(Int(timeout.seconds.rounded()))s"
                throw KubeError(.timeout, "request to \(serverDescription) timed out after \(amount)")
            }
            throw error
        } catch {
            throw KubeError(.transport, "\(error)")
        }
    }

    private func collect(_ response: HTTPClientResponse, limit: Int) async throws(KubeError) -> [UInt8] {
        do {
            var buffer = try await response.body.collect(upTo: limit)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch {
            throw KubeError(.transport, "reading the response from \(serverDescription) failed: \(Self.classify(error).detail)")
        }
    }

    // MARK: Authentication

    private func prepare(_ request: APIRequest, state: inout Attempt) async throws(KubeError) -> HTTPClientRequest {
        var prepared = HTTPClientRequest(url: baseURL + request.pathAndQuery)
        prepared.method = HTTPMethod(rawValue: request.method)
        prepared.headers.add(name: "Accept", value: request.accept)
        prepared.headers.add(name: "User-Agent", value: options.userAgent)
        if request.closeConnection { prepared.headers.add(name: "Connection", value: "close") }
        if let body = request.body {
            prepared.headers.add(name: "Content-Type", value: request.contentType ?? "application/json")
            prepared.body = .bytes(ByteBuffer(bytes: body))
        }
        switch connection.authentication {
        case .none:
            break
        case .bearerToken(let token):
            prepared.headers.add(name: "Authorization", value: "Bearer " + token)
        case .tokenFile:
            let token = try await tokenFile!.token()
            state.usedTokenFile = true
            prepared.headers.add(name: "Authorization", value: "Bearer " + token)
        case .basic(let username, let password):
            let encoded = Data("\(username):\(password)".utf8).base64EncodedString()
            prepared.headers.add(name: "Authorization", value: "Basic " + encoded)
        case .exec:
            let credential = try await execProvider!.credential()
            state.credential = credential
            if let token = credential.token {
                prepared.headers.add(name: "Authorization", value: "Bearer " + token)
            }
            if let chain = credential.clientCertificate, let key = credential.clientKey {
                var tls = baseTLS ?? TLSConfiguration.makeClientConfiguration()
                tls.certificateChain = chain.map { .certificate($0) }
                tls.privateKey = .privateKey(key)
                prepared.tlsConfiguration = tls
            }
        }
        if let impersonation = connection.impersonation {
            prepared.headers.add(name: "Impersonate-User", value: impersonation.user)
            if let uid = impersonation.uid { prepared.headers.add(name: "Impersonate-Uid", value: uid) }
            for group in impersonation.groups { prepared.headers.add(name: "Impersonate-Group", value: group) }
        }
        return prepared
    }

    /// After a 401: re-read the token file or re-run the exec plugin. True when worth retrying.
    private func refreshCredentials(_ state: Attempt) async -> Bool {
        if let credential = state.credential, let execProvider {
            await execProvider.invalidate(credential)
            return true
        }
        if state.usedTokenFile, let tokenFile {
            return await tokenFile.invalidate()
        }
        return false
    }

    // MARK: Errors

    /// A failed response as kubectl would report it: the Status message when the server sent
    /// one, else client-go's generic message for the code.
    func apiError(code: Int, headers: HTTPHeaders, body: [UInt8], request: APIRequest) -> KubeError {
        let contentType = headers.first(name: "Content-Type") ?? ""
        if let value = try? WireJSON.decode(body), var status = APIStatus(value) {
            if status.code == 0 { status.code = code }
            if status.retryAfterSeconds == nil, let header = headers.first(name: "Retry-After") { status.retryAfterSeconds = Int(header) }
            var message = status.message
            if message.isEmpty {
                message = APIStatus.generic(
                    code: code, method: request.method, resource: request.resource, group: request.group, name: request.name,
                    serverMessage: "unknown"
                ).message
            }
            if code == 401 && message == "Unauthorized" {
                message = "Unauthorized: the server rejected the credentials of user \"\(connection.userName)\" (\(connection.contextDescription))"
                return KubeError(.api, message, status: status)
            }
            return KubeError(.api, message, status: status)
        }
        var serverMessage = "unknown"
        if contentType.hasPrefix("text/") || contentType.isEmpty {
            serverMessage = String(decoding: body.prefix(2048), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var status = APIStatus.generic(
            code: code, method: request.method, resource: request.resource, group: request.group, name: request.name,
            serverMessage: serverMessage)
        status.retryAfterSeconds = headers.first(name: "Retry-After").flatMap { Int($0) }
        return KubeError(.api, status.message, status: status)
    }

    /// Whether an error left the request unsent or interrupted, and a short description.
    static func classify(_ error: any Error) -> (failure: RetryPolicy.Failure?, detail: String) {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return (.notSent, "connect timeout")
            case .tlsHandshakeTimeout: return (nil, "TLS handshake timeout")
            case .remoteConnectionClosed: return (.interrupted, "the server closed the connection")
            case .readTimeout: return (.interrupted, "read timeout")
            case .deadlineExceeded: return (nil, "deadline exceeded")
            case .cancelled: return (nil, "cancelled")
            default: return (nil, "\(error)")
            }
        }
        if let error = error as? NIOConnectionError {
            let detail = error.connectionErrors.first.map { describeIOError($0.error) } ?? "\(error)"
            return (.notSent, detail)
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL: return (.notSent, describeIOError(error))
            default: return (.interrupted, describeIOError(error))
            }
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return (.notSent, "connect timeout")
            case .ioOnClosedChannel, .eof, .alreadyClosed, .outputClosed: return (.interrupted, "the connection was closed")
            default: return (nil, "\(error)")
            }
        }
        if let error = error as? NIOSSLError {
            switch error {
            case .uncleanShutdown: return (.interrupted, "the server closed the TLS connection")
            case .handshakeFailed(let inner): return (nil, "TLS handshake failed: \(describeSSL(inner))")
            default: return (nil, "TLS error: \(error)")
            }
        }
        if let error = error as? BoringSSLError { return (nil, "TLS handshake failed: \(describeSSL(error))") }
        if let error = error as? NIOSSLExtraError { return (nil, "TLS error: \(error)") }
        return (nil, "\(error)")
    }
}

private func describeIOError(_ error: any Error) -> String {
    if let io = error as? IOError {
        switch io.errnoCode {
        case ECONNREFUSED: return "connection refused"
        case ECONNRESET: return "connection reset by peer"
        case EHOSTUNREACH: return "no route to host"
        case ENETUNREACH: return "network is unreachable"
        case EPIPE: return "broken pipe"
        default: return String(cString: strerror(io.errnoCode))
        }
    }
    if let error = error as? SocketAddressError { return "unable to resolve host: \(error)" }
    return "\(error)"
}

private func describeSSL(_ error: BoringSSLError) -> String {
    let text = "\(error)"
    if text.contains("CERTIFICATE_VERIFY_FAILED") { return "certificate verify failed (\(text))" }
    return text
}

/// A bearer token read from a file, re-read every minute and after a 401 (client-go's rule),
/// so rotated service-account tokens are picked up.
actor TokenFileSource {
    let path: String
    let owner: String
    private var cached: (token: String, read: ContinuousClock.Instant)?

    init(path: String, owner: String) {
        self.path = path
        self.owner = owner
    }

    func token() throws(KubeError) -> String {
        if let cached, ContinuousClock.now - cached.read < .seconds(60) { return cached.token }
        let bytes = try readCredentialFile(path, what: "tokenFile", owner: owner)
        let token = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        cached = (token, ContinuousClock.now)
        return token
    }

    /// Forget the token; true when the file now holds a different one.
    func invalidate() -> Bool {
        let old = cached?.token
        cached = nil
        return (try? token()) != old
    }
}

import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Structured

/// The simulated API server: a loopback HTTP/1.1 (optionally HTTPS) listener over an `ObjectStore`.
///
/// ```swift
/// let server = try await KubeSimServer.start(.init(tls: true, kubeconfigPath: path))
/// // ... kubectl --kubeconfig path ...
/// await server.shutdown()
/// ```
public final class KubeSimServer: Sendable {
    public struct Options: Sendable {
        public var host: String
        /// 0 picks a free port.
        public var port: Int
        public var tls: Bool
        /// Accepted bearer token; when TLS is on and no token is given, one is generated.
        public var token: String?
        /// Write a kubeconfig here (context, cluster and user `kubesim`).
        public var kubeconfigPath: String?
        /// The kubeconfig authenticates with the client certificate (TLS) instead of the token.
        public var kubeconfigUsesClientCertificate: Bool
        public var auditLogPath: String?
        public var faults: FaultPlan
        public var controllers: [any Controller]
        public var historyLimit: Int
        /// The simulated cluster (nodes, workload controllers, kubelet, pod logs); nil serves a bare API.
        public var simulation: SimulationOptions?
        /// Users accepted with `Authorization: Basic` (name -> password), besides the token and
        /// client certificates; set after `init`. Empty: basic auth is refused.
        public var basicAuth: [String: String] = [:]
        /// Events a client watch may fall behind by before the server closes it, as the real API
        /// server closes unresponsive watchers (the client re-watches from its last resourceVersion).
        public var watchCapacity = Options.defaultWatchCapacity
        public static let defaultWatchCapacity = 1024
        /// The least time between two chunks of one busy watch (see `WatchFlusher`).
        public var watchBatchInterval: Duration = .milliseconds(5)

        public init(host: String = "127.0.0.1", port: Int = 0, tls: Bool = false, token: String? = nil,
                    kubeconfigPath: String? = nil, kubeconfigUsesClientCertificate: Bool = true,
                    auditLogPath: String? = nil, faults: FaultPlan = FaultPlan(), controllers: [any Controller] = [],
                    historyLimit: Int = 10_000, simulation: SimulationOptions? = SimulationOptions()) {
            self.host = host
            self.port = port
            self.tls = tls
            self.token = token
            self.kubeconfigPath = kubeconfigPath
            self.kubeconfigUsesClientCertificate = kubeconfigUsesClientCertificate
            self.auditLogPath = auditLogPath
            self.faults = faults
            self.controllers = controllers
            self.historyLimit = historyLimit
            self.simulation = simulation
        }
    }

    /// Base URL, e.g. `https://127.0.0.1:41234`.
    public let url: String
    public let port: Int
    public let kubeconfigPath: String?
    public let store: ObjectStore
    public let certificateAuthority: CertificateAuthority?
    public let token: String?
    let api: APIServer
    private let group: MultiThreadedEventLoopGroup
    private let serving: Task<Void, Never>
    private let serverChannel: Channel

    private init(url: String, port: Int, kubeconfigPath: String?, store: ObjectStore, ca: CertificateAuthority?, token: String?,
                 api: APIServer, group: MultiThreadedEventLoopGroup, serving: Task<Void, Never>, serverChannel: Channel) {
        self.url = url
        self.port = port
        self.kubeconfigPath = kubeconfigPath
        self.store = store
        self.certificateAuthority = ca
        self.token = token
        self.api = api
        self.group = group
        self.serving = serving
        self.serverChannel = serverChannel
    }

    public static func start(_ options: Options = Options()) async throws -> KubeSimServer {
        let store = await ObjectStore(historyLimit: options.historyLimit, watchBatchInterval: options.watchBatchInterval)
        let ca = options.tls ? try CertificateAuthority.generate() : nil
        if let ca { await store.setRootCA(ca.caCertificatePEM) }
        let token = options.token ?? (options.tls ? UUIDSource.next().replacingOccurrences(of: "-", with: "") : nil)
        var sslContext: NIOSSLContext?
        if let ca {
            var config = TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(ca.serverCertificatePEM.utf8), format: .pem))],
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(ca.serverKeyPEM.utf8), format: .pem)))
            config.certificateVerification = .optionalVerification
            config.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(ca.caCertificatePEM.utf8), format: .pem)])
            config.applicationProtocols = ["http/1.1"]
            sslContext = try NIOSSLContext(configuration: config)
        }
        let audit = try options.auditLogPath.map { try AuditLog(path: $0) }
        let simulation = options.simulation.map(ClusterSimulation.init)
        let api = APIServer(store: store, token: token, requireAuth: options.tls || options.token != nil,
                            audit: audit, faults: FaultInjector(plan: options.faults), kubelet: simulation?.runtime,
                            basicAuth: options.basicAuth, watchCapacity: options.watchCapacity)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let context = sslContext
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: options.host, port: options.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(WritabilityRelay(), position: .first)
                    if let context {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        let port = channel.channel.localAddress?.port ?? options.port
        let scheme = options.tls ? "https" : "http"
        let url = "\(scheme)://\(options.host):\(port)"
        if let path = options.kubeconfigPath {
            let text = Kubeconfig.render(server: url, ca: ca, token: token,
                                         useClientCertificate: options.kubeconfigUsesClientCertificate)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let controllers = options.controllers + (simulation?.controllers() ?? [])
        let tls = context != nil
        var pacers: [ObjectIdentifier: WatchWritePacer] = [:]
        for loop in group.makeIterator() { pacers[ObjectIdentifier(loop)] = WatchWritePacer(loop: loop) }
        let watchPacers = pacers
        let serving = Task {
            await withDiscardingTaskGroup { group in
                for controller in controllers {
                    group.addTask { await controller.run(store: store) }
                }
                group.addTask {
                    try? await withThrowingDiscardingTaskGroup { connections in
                        try await channel.executeThenClose { inbound in
                            for try await connection in inbound {
                                let pacer = watchPacers[ObjectIdentifier(connection.channel.eventLoop)]
                                connections.addTask { await Connection(channel: connection, api: api, tls: tls, pacer: pacer).serve() }
                            }
                        }
                    }
                }
            }
        }
        return KubeSimServer(url: url, port: port, kubeconfigPath: options.kubeconfigPath, store: store, ca: ca, token: token,
                             api: api, group: group, serving: serving, serverChannel: channel.channel)
    }

    /// The fault plan in force (also changeable over `POST /kubesim/faults`).
    public func setFaults(_ plan: FaultPlan) async { await api.faults.set(plan) }

    /// Stop listening, end every connection and controller.
    public func shutdown() async {
        serverChannel.close(promise: nil)
        serving.cancel()
        await serving.value
        try? await group.shutdownGracefully()
    }

    /// Wait until `shutdown` (for the executable).
    public func wait() async { await serving.value }
}

/// One client connection: requests in order, each answered in full or streamed.
struct Connection {
    let channel: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    let api: APIServer
    let tls: Bool
    /// The watch write pacer of the connection's event loop.
    let pacer: WatchWritePacer?

    func serve() async {
        do {
            try await channel.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                for try await part in inbound {
                    switch part {
                    case .head(let h):
                        head = h
                        body = []
                    case .body(var buffer):
                        body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
                    case .end:
                        guard let h = head else { continue }
                        let hasCertificate = tls ? await clientCertificatePresented() : false
                        var request = SimRequest(method: h.method.rawValue, uri: h.uri,
                                                 headers: h.headers.map { ($0.name, $0.value) }, body: body)
                        if hasCertificate { request.user = "kubesim-admin" }
                        let response = await api.handle(request)
                        let keepAlive = h.isKeepAlive
                        try await write(response, version: h.version, keepAlive: keepAlive, outbound: outbound)
                        if !keepAlive { return }
                    }
                }
            }
        } catch {
            // Connection reset or closed by the client: nothing to report.
        }
    }

    private func clientCertificatePresented() async -> Bool {
        let channel = self.channel.channel
        let present = try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate != nil
        }.get()
        return present ?? false
    }

    private func write(_ response: SimResponse, version: HTTPVersion, keepAlive: Bool,
                       outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        switch response {
        case .full(let status, let headers, let body):
            var h = HTTPHeaders(headers)
            h.replaceOrAdd(name: "Content-Length", value: String(body.count))
            h.replaceOrAdd(name: "Date", value: httpDate())
            if !keepAlive { h.replaceOrAdd(name: "Connection", value: "close") }
            try await outbound.write(.head(HTTPResponseHead(version: version, status: .init(statusCode: status), headers: h)))
            if !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
        case .stream(let status, let headers, let chunks):
            var h = HTTPHeaders(headers)
            h.replaceOrAdd(name: "Date", value: httpDate())
            h.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
            try await outbound.write(.head(HTTPResponseHead(version: version, status: .init(statusCode: status), headers: h)))
            // Stream until the chunks end (the watch timed out or was dropped: the connection then
            // serves its next request) or the client goes away (the producer is cancelled). The
            // close signal is an AsyncStream, not `closeFuture.get()`: awaiting a future ignores
            // cancellation, so the group would wait for the close and the connection would hang
            // instead of reading the next request.
            let (closed, closedContinuation) = AsyncStream.makeStream(of: Void.self)
            channel.channel.closeFuture.whenComplete { _ in closedContinuation.finish() }
            let finished = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    for await chunk in chunks {
                        do { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: chunk)))) } catch { return false }
                    }
                    do { try await outbound.write(.end(nil)) } catch { return false }
                    return true
                }
                group.addTask {
                    for await _ in closed {}
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            if !finished { throw ChannelError.ioOnClosedChannel }
        case .watch(let status, let headers, let feed):
            var h = HTTPHeaders(headers)
            h.replaceOrAdd(name: "Date", value: httpDate())
            h.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
            let head = HTTPResponseHead(version: version, status: .init(statusCode: status), headers: h)
            let nio = channel.channel
            guard let pacer else { throw ChannelError.ioOnClosedChannel }
            // The event loop writes the whole response (see WatchResponseWriter); this task waits
            // for its end, or ends the watch when the server shuts down (cancellation).
            let (writer, written) = WatchResponseWriter.start(channel: nio, head: head, feed: feed, pacer: pacer)
            let finished = await withTaskCancellationHandler {
                (try? await written.get()) ?? false
            } onCancel: {
                feed.queue.finish()
            }
            withExtendedLifetime(writer) {}
            if !finished { throw ChannelError.ioOnClosedChannel }
        }
    }
}

/// RFC 7231 date for the Date header, without a DateFormatter per response.
func httpDate() -> String {
    var t = time_t(Date().timeIntervalSince1970)
    var parts = tm()
    gmtime_r(&t, &parts)
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
}

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
    private let watchPacers: [WatchWritePacer]

    private init(url: String, port: Int, kubeconfigPath: String?, store: ObjectStore, ca: CertificateAuthority?, token: String?,
                 api: APIServer, group: MultiThreadedEventLoopGroup, serving: Task<Void, Never>, serverChannel: Channel, watchPacers: [WatchWritePacer]) {
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
        self.watchPacers = watchPacers
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
        let tls = context != nil
        var pacers: [ObjectIdentifier: WatchWritePacer] = [:]
        for loop in group.makeIterator() { pacers[ObjectIdentifier(loop)] = WatchWritePacer(loop: loop) }
        let watchPacers = pacers
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    }
                    try channel.pipeline.syncOperations.addHandler(WatchOutlet())
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ConnectionHandler(
                        api: api, tls: tls, pacer: watchPacers[ObjectIdentifier(channel.eventLoop)]))
                }
            }
            .bind(host: options.host, port: options.port).get()
        let port = channel.localAddress?.port ?? options.port
        let scheme = options.tls ? "https" : "http"
        let url = "\(scheme)://\(options.host):\(port)"
        if let path = options.kubeconfigPath {
            let text = Kubeconfig.render(server: url, ca: ca, token: token,
                                         useClientCertificate: options.kubeconfigUsesClientCertificate)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let controllers = options.controllers + (simulation?.controllers() ?? [])
        let serving = Task {
            await withDiscardingTaskGroup { group in
                for controller in controllers {
                    group.addTask { await controller.run(store: store) }
                }
                // Serve until cancelled (`shutdown`); the connections live on the event loops.
                group.addTask { while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) } }
            }
        }
        return KubeSimServer(url: url, port: port, kubeconfigPath: options.kubeconfigPath, store: store, ca: ca, token: token,
                             api: api, group: group, serving: serving, serverChannel: channel, watchPacers: Array(watchPacers.values))
    }

    /// Watch chunks written to clients so far (each one socket write of however many events).
    public var watchChunksWritten: Int { watchPacers.reduce(0) { $0 + $1.chunksWritten } }

    /// The fault plan in force (also changeable over `POST /kubesim/faults`).
    public func setFaults(_ plan: FaultPlan) async { api.faults.set(plan) }

    /// Stop listening, end every connection and controller.
    public func shutdown() async {
        try? await serverChannel.close()
        serving.cancel()
        await serving.value
        try? await group.shutdownGracefully()
    }

    /// Wait until `shutdown` (for the executable).
    public func wait() async { await serving.value }
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

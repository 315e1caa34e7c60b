import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Structured

/// The `kubesim bench` load: an embedded server (plain HTTP on loopback), `watches` open watch
/// streams on the ConfigMaps of namespace `default`, then `objects` ConfigMaps created there, read
/// back one by one, and small lists (the 10 ConfigMaps of namespace `small`), over `concurrency`
/// keep-alive connections; every create is fanned out to every watch. Reports latency percentiles
/// per verb against the issue's target, CPU time per phase and watch delivery.
public enum KubeSimBenchmark {
    /// Issue 5: p99 request latency under 5 ms with 10,000 objects and 200 watches.
    public static let targetP99Milliseconds = 5.0
    static let smallNamespaceObjects = 10
    /// The paced phase: creates at a steady rate well above what a deploy sends (a 300-resource
    /// converge sends a few hundred writes over seconds), with every watch still open.
    static let pacedCreates = 2000
    static let pacedRate = 1000.0

    public struct Phase: Sendable {
        public var verb: String
        public var requests: Int
        public var p50: Double, p99: Double, max: Double
        public var seconds: Double
        /// CPU time of the whole process (server, clients and watch readers) during the phase.
        public var cpuSeconds: Double
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var objects: Int
        public var watches: Int
        public var concurrency: Int
        public var watchReaderThreads: Int
        public var phases: [Phase]
        public var listAllMilliseconds: Double
        public var eventsDelivered: Int
        public var eventsExpected: Int
        /// Watches the server closed because they fell too far behind.
        public var watchesClosed: Int
        /// Watch chunks the server wrote (one socket write each).
        public var watchChunks: Int
        public var seconds: Double
        public var cpuSeconds: Double
        /// Resident memory after the run and its peak, in MiB (Linux /proc; 0 elsewhere).
        public var rssMiB: Double, peakRSSMiB: Double

        public var description: String {
            var lines = [
                "setup: \(objects) ConfigMaps in namespace default (+\(smallNamespaceObjects) in namespace small), "
                    + "\(watches) watches on default's ConfigMaps, \(concurrency) keep-alive connections, loopback HTTP, "
                    + "client and server in one process"
                    + (watchReaderThreads > 0 ? " (watch readers on \(watchReaderThreads) threads of their own)" : " (watch readers share the clients' 2 threads)"),
                "verb            requests   req/s    p50 ms   p99 ms   max ms   target p99   cpu s",
            ]
            for p in phases {
                let met = p.p99 < targetP99Milliseconds ? "met" : "MISSED"
                lines.append(String(format: "%@ %8d %8.0f %9.2f %8.2f %8.2f   < %.0f ms %@ %7.2f",
                                    p.verb.padding(toLength: 14, withPad: " ", startingAt: 0), p.requests,
                                    Double(p.requests) / p.seconds, p.p50, p.p99, p.max, targetP99Milliseconds, met, p.cpuSeconds))
            }
            lines.append(String(format: "list of all %d objects: %.1f ms (no target)", objects + KubeSimBenchmark.pacedCreates, listAllMilliseconds))
            lines.append("watch events delivered: \(eventsDelivered) (expected \(eventsExpected)) in \(watchChunks) chunks"
                + (watchChunks > 0 ? String(format: " (%.1f events per socket write)", Double(eventsDelivered) / Double(watchChunks)) : "")
                + "; watches closed for falling behind: \(watchesClosed)")
            lines.append(String(format: "total: wall %.2f s, cpu %.2f s; memory: rss %.0f MiB, peak %.0f MiB",
                                seconds, cpuSeconds, rssMiB, peakRSSMiB))
            return lines.joined(separator: "\n")
        }

        /// VmRSS and VmHWM of this process.
        static func memory() -> (Double, Double) {
            guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
            func field(_ name: String) -> Double {
                guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
                return (Double(line.split(separator: " ").dropFirst().first { Double($0) != nil } ?? "0") ?? 0) / 1024
            }
            return (field("VmRSS"), field("VmHWM"))
        }
    }

    /// User + system CPU seconds of this process.
    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    /// `watchReaderThreads`: event loop threads of the watch readers' own (0: they share the 2 of
    /// the request clients, so a burst of watch chunks delays reading responses).
    /// `latencyLog`: write every request's phase, start (ms into the phase), latency (ms) and
    /// connection there, one line each (to see whether slow requests come in clusters).
    public static func run(objects: Int, watches: Int, concurrency: Int, watchReaderThreads: Int = 2,
                           watchBatchInterval: Duration? = nil, latencyLog: String? = nil) async throws -> Report {
        var options = KubeSimServer.Options(historyLimit: objects + 1000, simulation: nil)
        if let watchBatchInterval { options.watchBatchInterval = watchBatchInterval }
        let server = try await KubeSimServer.start(options)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let readerGroup = watchReaderThreads > 0 ? MultiThreadedEventLoopGroup(numberOfThreads: watchReaderThreads) : group
        let port = server.port
        let start = ContinuousClock.now
        let cpuStart = cpuSeconds()
        var clients: [HTTPClient] = []
        for _ in 0..<concurrency { clients.append(try await HTTPClient.connect(group: group, port: port)) }
        let pool = clients
        // The small namespace a list-small reads (its objects are not watched).
        _ = try await pool[0].request("POST", "/api/v1/namespaces", body: Array(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"small"}}"#.utf8))
        for i in 0..<smallNamespaceObjects {
            _ = try await pool[0].request("POST", "/api/v1/namespaces/small/configmaps", body: configMap("small-\(i)", i))
        }
        let startRV = await server.store.currentResourceVersion
        let delivered = LockedBox(0)
        // Watch readers are plain channel handlers counting event lines, so the load generator's own
        // cost stays small next to the server's (no task switch per chunk read).
        var watchChannels: [Channel] = []
        let watchPath = "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(startRV)&timeoutSeconds=600"
        for _ in 0..<watches {
            watchChannels.append(try await ClientBootstrap(group: readerGroup)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.pipeline.addHandler(WatchLineCounter(path: watchPath, port: port, delivered: delivered))
                }
                .connect(host: "127.0.0.1", port: port).get())
        }
        for _ in 0..<300 where await server.store.watchCount < watches { try await Task.sleep(for: .milliseconds(10)) }

        /// `rate`: requests per second for the whole phase (each request waits for its slot, an open
        /// load as clients produce it) instead of as fast as the server answers (saturation).
        let log = LockedBox<[String]>([])
        @Sendable func timed(_ verb: String, _ count: Int, rate: Double? = nil,
                             _ work: @escaping @Sendable (Int) async throws -> Void) async throws -> Phase {
            let phaseStart = ContinuousClock.now
            let cpu = cpuSeconds()
            let samples = try await withThrowingTaskGroup(of: [Double].self) { tasks in
                for worker in 0..<concurrency {
                    tasks.addTask {
                        var samples: [Double] = []
                        for i in stride(from: worker, to: count, by: concurrency) {
                            if let rate { try await Task.sleep(until: phaseStart + .seconds(Double(i) / rate), clock: .continuous) }
                            let t = ContinuousClock.now
                            try await work(i)
                            samples.append(milliseconds(ContinuousClock.now - t))
                            if latencyLog != nil {
                                let line = String(format: "%@ %.3f %.3f %d", verb, milliseconds(t - phaseStart), samples.last!, worker)
                                log.update { $0.append(line) }
                            }
                        }
                        return samples
                    }
                }
                var all: [Double] = []
                for try await s in tasks { all += s }
                return all.sorted()
            }
            func pct(_ p: Double) -> Double { samples.isEmpty ? 0 : samples[min(samples.count - 1, Int(Double(samples.count) * p))] }
            return Phase(verb: verb, requests: count, p50: pct(0.5), p99: pct(0.99), max: samples.last ?? 0,
                         seconds: milliseconds(ContinuousClock.now - phaseStart) / 1000, cpuSeconds: cpuSeconds() - cpu)
        }
        var phases: [Phase] = []
        // Request bodies made beforehand, so the phases time requests rather than JSON encoding.
        let bodies = (0..<objects).map { configMap("bench-\($0)", $0) }
        let pacedBodies = (0..<pacedCreates).map { configMap("paced-\($0)", $0) }
        phases.append(try await timed("create", objects) { i in
            let status = try await pool[i % concurrency].request("POST", "/api/v1/namespaces/default/configmaps", body: bodies[i])
            guard status == 201 else { throw APIError.badRequest("create returned \(status)") }
        })
        phases.append(try await timed("get", objects) { i in
            let status = try await pool[i % concurrency].request("GET", "/api/v1/namespaces/default/configmaps/bench-\(i)")
            guard status == 200 else { throw APIError.badRequest("get returned \(status)") }
        })
        phases.append(try await timed("list-small", max(objects / 5, 1)) { i in
            let status = try await pool[i % concurrency].request("GET", "/api/v1/namespaces/small/configmaps")
            guard status == 200 else { throw APIError.badRequest("list returned \(status)") }
        })
        phases.append(try await timed("create \(Int(pacedRate))/s", pacedCreates, rate: pacedRate) { i in
            let status = try await pool[i % concurrency].request("POST", "/api/v1/namespaces/default/configmaps", body: pacedBodies[i])
            guard status == 201 else { throw APIError.badRequest("create returned \(status)") }
        })
        if let latencyLog { try (log.value.joined(separator: "\n") + "\n").write(toFile: latencyLog, atomically: true, encoding: .utf8) }
        let listStart = ContinuousClock.now
        _ = try await pool[0].request("GET", "/api/v1/namespaces/default/configmaps?labelSelector=bench%3Dyes")
        let listTime = ContinuousClock.now - listStart
        // Let the watches drain.
        let expected = (objects + pacedCreates) * watches
        for _ in 0..<100 where delivered.value < expected { try await Task.sleep(for: .milliseconds(100)) }
        let elapsed = ContinuousClock.now - start
        let cpu = cpuSeconds() - cpuStart
        let (rss, peak) = Report.memory()  // with every object stored and every watch open
        let closedBehind = await server.store.watchesClosedBehind
        let watchChunks = server.watchChunksWritten
        for channel in watchChannels { try? await channel.close() }
        for c in clients { try? await c.close() }
        clients = []
        await server.shutdown()
        try? await group.shutdownGracefully()
        if watchReaderThreads > 0 { try? await readerGroup.shutdownGracefully() }
        return Report(objects: objects, watches: watches, concurrency: concurrency, watchReaderThreads: watchReaderThreads, phases: phases,
                      listAllMilliseconds: milliseconds(listTime), eventsDelivered: delivered.value, eventsExpected: expected, watchesClosed: closedBehind, watchChunks: watchChunks,
                      seconds: milliseconds(elapsed) / 1000, cpuSeconds: cpu, rssMiB: rss, peakRSSMiB: peak)
    }

    static func configMap(_ name: String, _ i: Int) -> [UInt8] {
        JSON.wireBytes(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "labels": ["bench": "yes"]],
                        "data": ["index": .string(String(i)), "payload": .string(String(repeating: "x", count: 256))]])
    }
}

/// One watch of the benchmark: sends the request when connected, then counts the event lines of
/// the chunked response (a line feed not preceded by a carriage return ends an event; chunk framing
/// and headers end in CRLF).
final class WatchLineCounter: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let request: [UInt8]
    let delivered: LockedBox<Int>
    private var last: UInt8 = 0

    init(path: String, port: Int, delivered: LockedBox<Int>) {
        request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: application/json\r\n\r\n".utf8)
        self.delivered = delivered
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: request)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        var lines = 0
        buffer.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return }
            var offset = 0
            while offset < bytes.count, let hit = memchr(base + offset, 0x0A, bytes.count - offset) {
                let index = base.distance(to: UnsafeRawPointer(hit))
                let before = index > 0 ? bytes[index - 1] : last
                if before != 0x0D { lines += 1 }
                offset = index + 1
            }
            last = bytes[bytes.count - 1]
        }
        if lines > 0 { delivered.update { $0 += lines } }
    }
}

/// A minimal keep-alive HTTP/1.1 client for the benchmark: one request at a time per connection,
/// written in one flush from the event loop, its status handed back when the response ends. A
/// channel handler rather than an async channel keeps the load generator's own cost small next
/// to the server's.
final class HTTPClient: @unchecked Sendable {
    let channel: Channel
    let port: Int
    private let handler: ResponseStatusHandler

    private init(channel: Channel, port: Int, handler: ResponseStatusHandler) {
        self.channel = channel
        self.port = port
        self.handler = handler
    }

    static func connect(group: EventLoopGroup, port: Int) async throws -> HTTPClient {
        let handler = ResponseStatusHandler()
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return HTTPClient(channel: channel, port: port, handler: handler)
    }

    /// Send one request and read its response; returns the status code.
    func request(_ method: String, _ path: String, body: [UInt8] = []) async throws -> Int {
        var headers = HTTPHeaders([("Host", "127.0.0.1:\(port)"), ("Content-Type", "application/json"), ("Accept", "application/json")])
        headers.add(name: "Content-Length", value: String(body.count))
        let head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path, headers: headers)
        let handler = self.handler
        let channel = self.channel
        return try await channel.eventLoop.flatSubmit {
            handler.send(head, body: body, on: channel)
        }.get()
    }

    /// Send a request and stream its response, reporting the number of newline-terminated lines
    /// in each body part; returns at the response's end.
    func stream(_ method: String, _ path: String, onLines: @escaping @Sendable (Int) -> Void) async throws {
        let headers = HTTPHeaders([("Host", "127.0.0.1:\(port)"), ("Accept", "application/json")])
        let head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path, headers: headers)
        let handler = self.handler
        let channel = self.channel
        _ = try await channel.eventLoop.flatSubmit {
            handler.send(head, body: [], on: channel, onBody: { part in onLines(part.readableBytesView.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }) })
        }.get()
    }

    func close() async throws {
        try await channel.close()
    }
}

/// The client connection's handler: writes a request, completes its promise with the response
/// status at the response's end. Touched on the event loop only.
final class ResponseStatusHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    private var waiting: EventLoopPromise<Int>?
    private var onBody: ((ByteBuffer) -> Void)?
    private var status = 0

    func send(_ head: HTTPRequestHead, body: [UInt8], on channel: Channel,
              onBody: ((ByteBuffer) -> Void)? = nil) -> EventLoopFuture<Int> {
        precondition(waiting == nil, "one request at a time per benchmark connection")
        let promise = channel.eventLoop.makePromise(of: Int.self)
        waiting = promise
        self.onBody = onBody
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if !body.isEmpty { channel.write(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: body))), promise: nil) }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = Int(head.status.code)
        case .body(let part): onBody?(part)
        case .end:
            let promise = waiting
            waiting = nil
            onBody = nil
            promise?.succeed(status)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        waiting?.fail(ChannelError.ioOnClosedChannel)
        waiting = nil
        context.fireChannelInactive()
    }
}

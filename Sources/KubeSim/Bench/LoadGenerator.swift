import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Structured

/// The `kubesim bench` load: an embedded server (plain HTTP on loopback), `watches` open watch
/// streams on ConfigMaps, then `objects` ConfigMaps created and read back over `concurrency`
/// keep-alive connections. Reports request latency percentiles and watch delivery.
public enum KubeSimBenchmark {
    public struct Report: Sendable, CustomStringConvertible {
        public var objects: Int
        public var watches: Int
        public var createP50: Double, createP99: Double
        public var getP50: Double, getP99: Double
        public var listMilliseconds: Double
        public var eventsDelivered: Int
        public var seconds: Double
        /// Requests per second of each phase (all connections together).
        public var createRate: Double, getRate: Double
        /// Resident memory after the run and its peak, in MiB (Linux /proc; 0 elsewhere).
        public var rssMiB: Double, peakRSSMiB: Double

        public var description: String {
            String(format: """
                objects=%d watches=%d wall=%.2fs
                create %.0f req/s p50=%.2fms p99=%.2fms
                get    %.0f req/s p50=%.2fms p99=%.2fms
                list of all objects: %.1fms
                watch events delivered: %d (expected %d)
                memory: rss=%.0fMiB peak=%.0fMiB
                """, objects, watches, seconds, createRate, createP50, createP99, getRate, getP50, getP99, listMilliseconds,
                eventsDelivered, objects * watches, rssMiB, peakRSSMiB)
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

    public static func run(objects: Int, watches: Int, concurrency: Int) async throws -> Report {
        let server = try await KubeSimServer.start(.init(historyLimit: objects + 1000, simulation: nil))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let port = server.port
        let start = ContinuousClock.now
        let delivered = LockedBox(0)
        let watchTasks = Task {
            await withTaskGroup(of: Void.self) { tasks in
                for _ in 0..<watches {
                    tasks.addTask {
                        guard let client = try? await HTTPClient.connect(group: group, port: port) else { return }
                        try? await client.stream("GET", "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1&timeoutSeconds=600") { count in
                            delivered.update { $0 += count }
                        }
                        try? await client.close()
                    }
                }
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        @Sendable func timed(_ work: @escaping @Sendable (Int) async throws -> Void) async throws -> [Double] {
            try await withThrowingTaskGroup(of: [Double].self) { tasks in
                for worker in 0..<concurrency {
                    tasks.addTask {
                        var samples: [Double] = []
                        for i in stride(from: worker, to: objects, by: concurrency) {
                            let t = ContinuousClock.now
                            try await work(i)
                            samples.append(Double((ContinuousClock.now - t).components.attoseconds) / 1e15 + Double((ContinuousClock.now - t).components.seconds) * 1000)
                        }
                        return samples
                    }
                }
                var all: [Double] = []
                for try await s in tasks { all += s }
                return all.sorted()
            }
        }
        var clients: [HTTPClient] = []
        for _ in 0..<concurrency { clients.append(try await HTTPClient.connect(group: group, port: port)) }
        let pool = clients
        let createStart = ContinuousClock.now
        let creates = try await timed { i in
            let body = SimJSON.encode(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string("bench-\(i)"), "labels": ["bench": "yes"]],
                                       "data": ["index": .string(String(i)), "payload": .string(String(repeating: "x", count: 256))]])
            let status = try await pool[i % concurrency].request("POST", "/api/v1/namespaces/default/configmaps", body: body)
            guard status == 201 else { throw APIError.badRequest("create returned \(status)") }
        }
        let createTime = ContinuousClock.now - createStart
        let getStart = ContinuousClock.now
        let gets = try await timed { i in
            let status = try await pool[i % concurrency].request("GET", "/api/v1/namespaces/default/configmaps/bench-\(i)")
            guard status == 200 else { throw APIError.badRequest("get returned \(status)") }
        }
        let getTime = ContinuousClock.now - getStart
        let listStart = ContinuousClock.now
        _ = try await pool[0].request("GET", "/api/v1/namespaces/default/configmaps?labelSelector=bench%3Dyes")
        let listTime = ContinuousClock.now - listStart
        // Let the watches drain.
        for _ in 0..<100 where delivered.value < objects * watches { try await Task.sleep(for: .milliseconds(100)) }
        let elapsed = ContinuousClock.now - start
        let (rss, peak) = Report.memory()  // with every object stored and every watch open
        watchTasks.cancel()
        for c in clients { try? await c.close() }
        await server.shutdown()
        _ = await watchTasks.value
        try? await group.shutdownGracefully()
        func pct(_ s: [Double], _ p: Double) -> Double { s.isEmpty ? 0 : s[min(s.count - 1, Int(Double(s.count) * p))] }
        func secs(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        return Report(objects: objects, watches: watches, createP50: pct(creates, 0.5), createP99: pct(creates, 0.99),
                      getP50: pct(gets, 0.5), getP99: pct(gets, 0.99),
                      listMilliseconds: Double(listTime.components.seconds) * 1000 + Double(listTime.components.attoseconds) / 1e15,
                      eventsDelivered: delivered.value, seconds: secs(elapsed),
                      createRate: Double(objects) / secs(createTime), getRate: Double(objects) / secs(getTime),
                      rssMiB: rss, peakRSSMiB: peak)
    }
}

/// A minimal keep-alive HTTP/1.1 client for the benchmark.
final class HTTPClient: @unchecked Sendable {
    let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
    let port: Int
    private let lock = NIOLockedBox()
    /// The one iterator of the inbound stream; only used under `lock`.
    private var iterator: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator

    init(channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>, port: Int) {
        self.channel = channel
        self.port = port
        iterator = channel.inbound.makeAsyncIterator()
    }

    private func readResponse() async throws -> Int {
        var status = 0
        while let part = try await iterator.next() {
            switch part {
            case .head(let head): status = Int(head.status.code)
            case .body: continue
            case .end: return status
            }
        }
        return status
    }

    static func connect(group: EventLoopGroup, port: Int) async throws -> HTTPClient {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return HTTPClient(channel: channel, port: port)
    }

    /// Send one request and read its response; returns the status code.
    func request(_ method: String, _ path: String, body: [UInt8] = []) async throws -> Int {
        try await lock.run {
            var headers = HTTPHeaders([("Host", "127.0.0.1:\(port)"), ("Content-Type", "application/json"), ("Accept", "application/json")])
            headers.add(name: "Content-Length", value: String(body.count))
            try await channel.outbound.write(.head(HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path, headers: headers)))
            if !body.isEmpty { try await channel.outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await channel.outbound.write(.end(nil))
            return try await readResponse()
        }
    }

    /// Stream a response, reporting the number of newline-terminated lines in each body part.
    func stream(_ method: String, _ path: String, onLines: @Sendable (Int) -> Void) async throws {
        let headers = HTTPHeaders([("Host", "127.0.0.1:\(port)"), ("Accept", "application/json")])
        try await channel.outbound.write(.head(HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path, headers: headers)))
        try await channel.outbound.write(.end(nil))
        while let part = try await iterator.next() {
            switch part {
            case .body(let buffer): onLines(buffer.readableBytesView.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
            case .end: return
            case .head: continue
            }
        }
    }

    func close() async throws {
        channel.outbound.finish()
        try await channel.channel.close()
    }

    deinit { channel.outbound.finish() }
}

/// Serializes requests on one connection.
final class NIOLockedBox: @unchecked Sendable {
    private let semaphore = AsyncSemaphore()
    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await semaphore.wait()
        defer { semaphore.signal() }
        return try await body()
    }
}

final class AsyncSemaphore: @unchecked Sendable {
    private let lock = NSLock()
    private var available = true
    private var waiters: [CheckedContinuation<Void, Never>] = []
    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            lock.lock()
            if available { available = false; lock.unlock(); c.resume() } else { waiters.append(c); lock.unlock() }
        }
    }
    func signal() {
        lock.lock()
        if waiters.isEmpty { available = true; lock.unlock() } else { let c = waiters.removeFirst(); lock.unlock(); c.resume() }
    }
}


import Foundation
import Structured
import Testing
@testable import KubeSim

/// The connection layer byte by byte, over a plain blocking socket: what Go's net/http client (and
/// so kubectl and helm) relies on. Pipelined requests are answered in order, `Connection: close`
/// ends the connection after its response, and a watch's chunked framing is exact (each size line
/// matches its chunk, the body ends with the zero chunk) so the connection can serve the next request.
@Suite struct ConnectionHandlerTests {
    /// A blocking loopback TCP client.
    final class RawConnection: @unchecked Sendable {
        let fd: Int32
        private var buffered: [UInt8] = []

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if connected != 0 { throw APIError.badRequest("connect failed: \(errno)") }
        }

        deinit { close(fd) }

        func send(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }

        /// Read more bytes; false at end of stream.
        private func fill() -> Bool {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return false }
            buffered += chunk[0..<n]
            return true
        }

        /// One CRLF-terminated line (without the CRLF); nil at end of stream.
        func line() -> String? {
            while true {
                if let i = buffered.indices.dropLast().first(where: { buffered[$0] == 0x0D && buffered[$0 + 1] == 0x0A }) {
                    defer { buffered.removeFirst(i + 2) }
                    return String(decoding: buffered[0..<i], as: UTF8.self)
                }
                if !fill() { return nil }
            }
        }

        func bytes(_ count: Int) -> [UInt8]? {
            while buffered.count < count { if !fill() { return nil } }
            defer { buffered.removeFirst(count) }
            return Array(buffered[0..<count])
        }

        /// The status code, headers and body of one response (Content-Length or chunked; for a
        /// chunked body, also the size of every chunk).
        func response() -> (status: Int, headers: [String: String], body: [UInt8], chunks: [Int])? {
            guard let statusLine = line(), let status = Int(statusLine.split(separator: " ")[1]) else { return nil }
            var headers: [String: String] = [:]
            while let header = line(), !header.isEmpty {
                let parts = header.split(separator: ":", maxSplits: 1)
                headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
            }
            if let length = headers["content-length"].flatMap({ Int($0) }) {
                guard let body = bytes(length) else { return nil }
                return (status, headers, body, [])
            }
            var body: [UInt8] = []
            var chunks: [Int] = []
            while let sizeLine = line(), let size = Int(sizeLine, radix: 16) {
                chunks.append(size)
                if size == 0 {
                    guard line() == "" else { return nil }  // no trailers: the terminator's CRLF
                    return (status, headers, body, chunks)
                }
                guard let data = bytes(size), line() == "" else { return nil }
                body += data
            }
            return nil
        }

        /// Whether the server closed the connection (a read returns end of stream).
        var closedByServer: Bool { buffered.isEmpty && !fill() }
    }

    /// Run blocking socket reads on a thread of their own: blocking one of the task pool's threads
    /// would starve the server's request tasks.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    static func request(_ method: String, _ path: String, body: String = "", close: Bool = false) -> String {
        "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n" + body
    }

    @Test(.timeLimit(.minutes(1))) func pipelinedRequestsAreAnsweredInOrder() async throws {
        let server = try await KubeSimServer.start(.init(simulation: nil))
        defer { Task { await server.shutdown() } }
        let connection = try RawConnection(port: server.port)
        let create = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"p"},"data":{"k":"v"}}"#
        // Three requests in one write: the second and third wait until the first is answered.
        connection.send(Self.request("POST", "/api/v1/namespaces/default/configmaps", body: create)
            + Self.request("GET", "/api/v1/namespaces/default/configmaps/p")
            + Self.request("DELETE", "/api/v1/namespaces/default/configmaps/p"))
        let responses = await Self.blocking { (0..<3).compactMap { _ in connection.response() } }
        try #require(responses.count == 3)
        let (first, second, third) = (responses[0], responses[1], responses[2])
        let statuses: [Int] = [first.status, second.status, third.status]
        #expect(statuses == [201, 200, 200])
        let read = try JSON.decode(second.body)
        #expect(read["data"]?["k"] == "v")
        #expect(second.headers["content-type"] == "application/json")
        #expect(second.headers["date"]?.hasSuffix(" GMT") == true)
        #expect(await server.store.currentResourceVersion > 0)
    }

    @Test(.timeLimit(.minutes(1))) func connectionCloseEndsTheConnectionAfterTheResponse() async throws {
        let server = try await KubeSimServer.start(.init(simulation: nil))
        defer { Task { await server.shutdown() } }
        let connection = try RawConnection(port: server.port)
        connection.send(Self.request("GET", "/api/v1/namespaces/default", close: true))
        let response = try #require(await Self.blocking { connection.response() })
        #expect(response.status == 200)
        #expect(response.headers["connection"] == "close")
        #expect(await Self.blocking { connection.closedByServer })
    }

    /// A watch ends at `timeoutSeconds` with exact chunked framing: one chunk per batch of events
    /// (each chunk's size line matching its bytes, every event a whole line), then the zero chunk,
    /// and the next request on the same connection is answered.
    @Test(.timeLimit(.minutes(1))) func watchChunksAreFramedExactlyAndTheConnectionLivesOn() async throws {
        let server = try await KubeSimServer.start(.init(simulation: nil))
        defer { Task { await server.shutdown() } }
        let rv = await server.store.currentResourceVersion
        let connection = try RawConnection(port: server.port)
        connection.send(Self.request("GET", "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&resourceVersion=\(rv)"))
        for _ in 0..<300 where await server.store.watchCount < 1 { try await Task.sleep(for: .milliseconds(10)) }
        let writer = try RawConnection(port: server.port)
        for i in 0..<50 {
            writer.send(Self.request("POST", "/api/v1/namespaces/default/configmaps",
                                     body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"w\#(i)"},"data":{"payload":"\#(String(repeating: "x", count: i * 40))"}}"#))
            #expect(await Self.blocking { writer.response()?.status } == 201)
        }
        let watch = try #require(await Self.blocking { connection.response() })
        #expect(watch.status == 200)
        #expect(watch.headers["transfer-encoding"] == "chunked")
        #expect(watch.chunks.last == 0)
        #expect(watch.chunks.dropLast().allSatisfy { $0 > 0 })
        let lines = watch.body.split(separator: 0x0A, omittingEmptySubsequences: false)
        #expect(lines.last?.isEmpty == true)  // the body ends with a whole line
        let events = try lines.dropLast().map { try JSON.decode(Array($0)) }
        #expect(events.count == 50)
        #expect(events.map { $0["type"]?.stringValue } == Array(repeating: "ADDED", count: 50))
        #expect(events.map { $0["object"]?["metadata"]?["name"]?.stringValue ?? "" } == (0..<50).map { "w\($0)" })
        connection.send(Self.request("GET", "/api/v1/namespaces/default/configmaps/w49"))
        #expect(await Self.blocking { connection.response()?.status } == 200)
    }
}

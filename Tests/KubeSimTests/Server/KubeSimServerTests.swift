import Foundation
import NIOCore
import NIOPosix
import Structured
import Testing
@testable import KubeSim

/// The socket layer: HTTP/1.1 keep-alive across streamed responses.
@Suite struct KubeSimServerTests {
    /// A real API server ends a watch at `timeoutSeconds` with the chunked terminator and then reads
    /// the next request on the same connection (Go's net/http keeps the connection alive); clients
    /// such as client-go put the connection back in their pool. So: several watches and plain
    /// requests in turn on one connection, each answered.
    @Test(.timeLimit(.minutes(1))) func connectionIsReusedAfterWatchesEnd() async throws {
        let server = try await KubeSimServer.start(.init(simulation: nil))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let client = try await HTTPClient.connect(group: group, port: server.port)
        let lines = LockedBox(0)
        let body = JSON.wireBytes(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "one"]])
        var statuses: [Int] = []
        statuses.append(try await client.request("GET", "/api/v1/namespaces/default/configmaps"))
        try await client.stream("GET", "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1") { n in lines.update { $0 += n } }
        statuses.append(try await client.request("POST", "/api/v1/namespaces/default/configmaps", body: body))
        try await client.stream("GET", "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1") { n in lines.update { $0 += n } }
        try await client.stream("GET", "/api/v1/namespaces/default/configmaps/one?watch=true&timeoutSeconds=1") { n in lines.update { $0 += n } }
        statuses.append(try await client.request("GET", "/api/v1/namespaces/default/configmaps/one"))
        statuses.append(try await client.request("DELETE", "/api/v1/namespaces/default/configmaps/one"))
        #expect(statuses == [200, 201, 200, 200])
        #expect(lines.value == 4)  // ADDED: kube-root-ca.crt; kube-root-ca.crt and one; one
        try await client.close()
        try await group.shutdownGracefully()
        await server.shutdown()
    }

    /// Watch responses are written by the event loops (WatchResponseWriter): every event reaches
    /// every watch; a client going away ends its watch on the server; and a server stopping while
    /// watches end and clients close at the same time still stops (a watch whose feed ended on a
    /// closed connection used to leave its connection task waiting forever).
    @Test(.timeLimit(.minutes(1))) func watchesDeliverEverythingAndEndWithTheirClients() async throws {
        let server = try await KubeSimServer.start(.init(simulation: nil))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let client = try await HTTPClient.connect(group: group, port: server.port)
        let startRV = await server.store.currentResourceVersion
        let delivered = LockedBox(0)
        let path = "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(startRV)"
        var watches: [Channel] = []
        for _ in 0..<20 {
            watches.append(try await ClientBootstrap(group: group)
                .channelInitializer { $0.pipeline.addHandler(WatchLineCounter(path: path, port: server.port, delivered: delivered)) }
                .connect(host: "127.0.0.1", port: server.port).get())
        }
        for _ in 0..<300 where await server.store.watchCount < 20 { try await Task.sleep(for: .milliseconds(10)) }
        for i in 0..<300 {
            let status = try await client.request("POST", "/api/v1/namespaces/default/configmaps", body: KubeSimBenchmark.configMap("c\(i)", i))
            #expect(status == 201)
        }
        for _ in 0..<500 where delivered.value < 6000 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(delivered.value == 6000)
        for channel in watches[..<10] { try await channel.close() }
        for _ in 0..<500 where await server.store.watchCount > 10 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await server.store.watchCount == 10)
        for channel in watches[10...] { channel.close(promise: nil) }
        await server.shutdown()
        try? await client.close()  // the server closed it
        try await group.shutdownGracefully()
    }
}

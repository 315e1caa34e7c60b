import Foundation
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
}

import Foundation
import KubeSim
import Structured
import Testing
import TestSupport

@testable import Kube

/// A converge process must exit as soon as its work is done: closing the client (and an in-process
/// kubesim) after watches were used may not wait for NIO's idle or TLS close timeouts.
@Suite struct HTTPKubeClientShutdownTests {
    let configMaps = ResourceSelector(apiVersion: "v1", kind: "ConfigMap", namespace: "default")

    /// Open an informer, see one event, and return the client with the stream still running.
    func watching(_ sim: SimHarness) async throws -> (HTTPKubeClient, EventLog<InformerEvent>) {
        let client = try sim.client(cache: false)
        let log = EventLog<InformerEvent>()
        await log.start(client.informer(configMaps))
        _ = try await client.create(configMap("a"))
        let events = await log.wait { $0.contains { label($0) == "added a" } }
        #expect(events.contains { label($0) == "added a" })
        return (client, log)
    }

    func seconds(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        return (ContinuousClock.now - start).seconds
    }

    @Test func shutdownWithAnOpenWatchIsImmediate() async throws {
        let sim = try await SimHarness.start()
        let (client, log) = try await watching(sim)
        let clientTime = await seconds { await client.shutdown() }
        await log.stop()
        let serverTime = await seconds { await sim.stop() }
        #expect(clientTime < 2, "client shutdown took \(clientTime) s")
        #expect(serverTime < 2, "server shutdown took \(serverTime) s")
    }

    @Test func shutdownAfterACancelledWatchIsImmediate() async throws {
        let sim = try await SimHarness.start()
        let (client, log) = try await watching(sim)
        await log.stop()
        try await Task.sleep(for: .milliseconds(50))
        let clientTime = await seconds { await client.shutdown() }
        let serverTime = await seconds { await sim.stop() }
        #expect(clientTime < 2, "client shutdown took \(clientTime) s")
        #expect(serverTime < 2, "server shutdown took \(serverTime) s")
    }

    @Test func serverShutdownFirstWithAnOpenWatchIsImmediate() async throws {
        let sim = try await SimHarness.start()
        let (client, log) = try await watching(sim)
        let serverTime = await seconds { await sim.stop() }
        let clientTime = await seconds { await client.shutdown() }
        await log.stop()
        #expect(clientTime < 2, "client shutdown took \(clientTime) s")
        #expect(serverTime < 2, "server shutdown took \(serverTime) s")
    }

    /// The server is still writing events when the watch is cancelled and the client closed.
    @Test func shutdownWhileTheServerStreamsEventsIsImmediate() async throws {
        let sim = try await SimHarness.start()
        let (client, log) = try await watching(sim)
        let writer = try sim.client(cache: false)
        let writing = Task {
            var i = 0
            while !Task.isCancelled {
                i += 1
                _ = try? await writer.create(configMap("w\(i)", data: ["k": .string(String(repeating: "x", count: 4096))]))
            }
        }
        _ = await log.wait { $0.count > 20 }
        await log.stop()
        let clientTime = await seconds { await client.shutdown() }
        writing.cancel()
        _ = await writing.value
        await writer.shutdown()
        let serverTime = await seconds { await sim.stop() }
        #expect(clientTime < 2, "client shutdown took \(clientTime) s")
        #expect(serverTime < 2, "server shutdown took \(serverTime) s")
    }

    /// Idle keep-alive connections (a client that has not closed yet) do not hold the server's shutdown.
    @Test func serverShutdownWithIdleKeepAliveConnectionsIsImmediate() async throws {
        let sim = try await SimHarness.start()
        let client = try sim.client(cache: false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<4 { group.addTask { _ = try await client.create(configMap("idle\(i)")) } }
            try await group.waitForAll()
        }
        let serverTime = await seconds { await sim.stop() }
        let clientTime = await seconds { await client.shutdown() }
        #expect(clientTime < 2, "client shutdown took \(clientTime) s")
        #expect(serverTime < 2, "server shutdown took \(serverTime) s")
    }

    /// A followed log the server keeps writing: neither side waits for the other's TLS close.
    @Test func shutdownWithAFollowedLogIsImmediate() async throws {
        for serverFirst in [false, true] {
            let sim = try await SimHarness.start(clockScale: HTTPKubeClientLogsTests.scale)
            let client = try sim.client(cache: false)
            _ = try await client.create(HTTPKubeClientLogsTests.talker())
            _ = try await HTTPKubeClientLogsTests.lines(client, LogOptions(container: "app"))
            let log = EventLog<String>()
            await log.start(client.podLogs(namespace: "default", pod: "talker", options: LogOptions(container: "app", follow: true)))
            _ = await log.wait { $0.count >= 2 }
            var clientTime = 0.0, serverTime = 0.0
            if serverFirst {
                serverTime = await seconds { await sim.stop() }
                clientTime = await seconds { await client.shutdown() }
            } else {
                clientTime = await seconds { await client.shutdown() }
                serverTime = await seconds { await sim.stop() }
            }
            await log.stop()
            #expect(clientTime < 2, "client shutdown took \(clientTime) s (server first: \(serverFirst))")
            #expect(serverTime < 2, "server shutdown took \(serverTime) s (server first: \(serverFirst))")
        }
    }
}

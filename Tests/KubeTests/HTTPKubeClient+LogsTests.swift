import Foundation
import KubeSim
import Structured
import Testing
import TestSupport

@testable import Kube

/// Pod logs against kubesim's simulated kubelet over TLS. The clock runs 10x, so a line `every=1s`
/// arrives every 100 ms of real time.
@Suite struct HTTPKubeClientLogsTests {
    static let scale = 10.0
    /// `app` prints "tick" at start and every simulated second; `side` prints once and exits 3
    /// after 2 s, then restarts after its back-off.
    static let behavior =
        #"container=app:log="tick" container=app:every=1s container=side:log="side-hello" container=side:exit=3 container=side:after=2s"#

    static func talker(_ name: String = "talker", containers: [String] = ["app", "side"]) -> Value {
        [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "namespace": "default", "annotations": ["kubesim.bosun.dev/behavior": .string(behavior)]],
            "spec": ["containers": .array(containers.map { ["name": .string($0), "image": "nginx:1.27"] })],
        ]
    }

    /// The whole (non-followed) log, retried while the container has not started or has fewer
    /// than `atLeast` lines.
    static func lines(
        _ client: HTTPKubeClient, _ options: LogOptions, pod: String = "talker", atLeast: Int = 1
    ) async throws -> [String] {
        let deadline = ContinuousClock.now + .seconds(15)
        while true {
            do {
                let lines = try await collect(client.podLogs(namespace: "default", pod: pod, options: options))
                if lines.count >= atLeast || ContinuousClock.now > deadline { return lines }
            } catch let error as KubeError where error.description.contains("waiting to start") || error.description.contains("not found") {
                if ContinuousClock.now > deadline { throw error }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func collect(_ stream: AsyncThrowingStream<String, any Error>) async throws -> [String] {
        var lines: [String] = []
        for try await line in stream { lines.append(line) }
        return lines
    }

    static func message(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let error as KubeError {
            return error.description
        } catch {
            return "\(error)"
        }
    }

    @Test func containerTailLinesSinceTimeAndLimitBytes() async throws {
        try await SimHarness.with(clockScale: Self.scale) { sim in
            try await withClient(try sim.client()) { client in
                _ = try await client.create(Self.talker())
                let all = try await Self.lines(client, LogOptions(container: "app"), atLeast: 6)
                #expect(all.first?.hasPrefix("kubesim: container app started") == true)
                #expect(all.count >= 6 && all.dropFirst().allSatisfy { $0 == "tick" })

                // Two containers: the server wants a name, and knows which exist.
                let noName = await Self.message { _ = try await Self.collect(client.podLogs(namespace: "default", pod: "talker")) }
                #expect(noName == "a container name must be specified for pod talker, choose one of: [app side]")
                let unknown = await Self.message {
                    _ = try await Self.collect(client.podLogs(namespace: "default", pod: "talker", options: LogOptions(container: "nope")))
                }
                #expect(unknown == "container nope is not valid for pod talker")

                #expect(try await Self.lines(client, LogOptions(container: "app", tailLines: 2)) == ["tick", "tick"])
                #expect(try await Self.lines(client, LogOptions(container: "app", tailLines: 0), atLeast: 0).isEmpty)
                #expect(try await Self.lines(client, LogOptions(container: "app", limitBytes: 10)) == ["kubesim: c"])

                // sinceTime (whole seconds, RFC 3339): only the lines stamped at or after it.
                let stamped = try await Self.lines(client, LogOptions(container: "app", timestamps: true), atLeast: 6)
                func second(_ line: String) -> Substring { line.prefix(19) }  // 2026-11-21T17:20:13
                #expect(stamped.allSatisfy { $0.hasSuffix("Z tick") || $0.contains("Z kubesim: container app started") })
                let since = String(second(stamped[3])) + "Z"
                let after = try await Self.lines(client, LogOptions(container: "app", sinceTime: since, timestamps: true))
                #expect(!after.isEmpty && after.allSatisfy { second($0) >= second(since) })
                let expectedFirst = stamped.first { second($0) >= second(since) }
                #expect(after.first == expectedFirst)
                #expect(!after.contains(stamped[0]) && !after.contains(stamped[1]))
            }
        }
    }

    @Test func followStreamsLinesAsTheyArriveAndEndsWithTheRun() async throws {
        try await SimHarness.with(clockScale: Self.scale) { sim in
            try await withClient(try sim.client()) { client in
                _ = try await client.create(Self.talker())
                _ = try await Self.lines(client, LogOptions(container: "app"), atLeast: 3)

                // Follow from the last line: five more ticks cannot exist before 400 ms have passed.
                let requested = ContinuousClock.now
                var arrivals: [ContinuousClock.Instant] = []
                var followed: [String] = []
                let stream = client.podLogs(namespace: "default", pod: "talker", options: LogOptions(container: "app", follow: true, tailLines: 1))
                for try await line in stream {
                    followed.append(line)
                    arrivals.append(.now)
                    if followed.count == 6 { break }  // leaving the loop cancels the stream
                }
                #expect(followed == Array(repeating: "tick", count: 6))
                #expect(arrivals.last! - requested >= .milliseconds(350))
                // The client is still usable after a cancelled stream.
                let pod = try await client.get(ObjectReference(apiVersion: "v1", kind: "Pod", namespace: "default", name: "talker"))
                #expect(pod[path: "metadata", "name"] == "talker")

                // `side` runs for 2 simulated seconds: a followed log ends by itself when the run ends.
                let ended = try await withThrowingTaskGroup(of: [String]?.self) { group in
                    group.addTask {
                        try await Self.collect(client.podLogs(
                            namespace: "default", pod: "talker", options: LogOptions(container: "side", follow: true)))
                    }
                    group.addTask {
                        try await Task.sleep(for: .seconds(10))
                        return nil
                    }
                    defer { group.cancelAll() }
                    return try await group.next()!
                }
                #expect(ended?.last == "side-hello")
            }
        }
    }

    /// Closing the client right after cancelling a stream takes no time, although the server is
    /// still writing it (NIOSSL would wait 5 s for a close_notify the server never reads ours for).
    @Test func shutdownAfterACancelledFollowIsPrompt() async throws {
        try await SimHarness.with(clockScale: Self.scale) { sim in
            let client = try sim.client()
            _ = try await client.create(Self.talker())
            _ = try await Self.lines(client, LogOptions(container: "app"))
            for try await _ in client.podLogs(namespace: "default", pod: "talker", options: LogOptions(container: "app", follow: true)) {
                break
            }
            let start = ContinuousClock.now
            await client.shutdown()
            #expect(ContinuousClock.now - start < .seconds(1))
        }
    }

    @Test func previousRunOfARestartedContainer() async throws {
        try await SimHarness.with(clockScale: Self.scale) { sim in
            try await withClient(try sim.client()) { client in
                _ = try await client.create(Self.talker())
                let previous = try await Self.lines(client, LogOptions(container: "side", previous: true))
                #expect(previous.count == 2)
                #expect(previous.first?.hasPrefix("kubesim: container side started") == true)
                #expect(previous.last == "side-hello")

                _ = try await Self.lines(client, LogOptions(container: "app"))
                let never = await Self.message {
                    _ = try await Self.collect(client.podLogs(
                        namespace: "default", pod: "talker", options: LogOptions(container: "app", previous: true)))
                }
                #expect(never == "previous terminated container \"app\" in pod \"talker\" not found")

                let missing = await Self.message { _ = try await Self.collect(client.podLogs(namespace: "default", pod: "ghost")) }
                #expect(missing == "pods \"ghost\" not found")
            }
        }
    }

    @Test func eventsOfAPodWrittenByTheSimulatedKubelet() async throws {
        try await SimHarness.with(clockScale: Self.scale) { sim in
            try await withClient(try sim.client()) { client in
                let pod = try await client.create(Self.talker(containers: ["app"]))
                _ = try await client.create(Self.talker("bystander", containers: ["app"]))
                var events: [Value] = []
                let deadline = ContinuousClock.now + .seconds(15)
                while !events.contains(where: { $0["reason"] == "Started" }) && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                    events = try await client.events(for: pod)
                }
                let reasons = events.compactMap { $0["reason"]?.stringValue }
                #expect(reasons.first == "Scheduled")
                #expect(["Scheduled", "Pulled", "Created", "Started"].allSatisfy(reasons.contains))
                #expect(reasons.firstIndex(of: "Created")! < reasons.firstIndex(of: "Started")!)
                #expect(events.allSatisfy { $0[path: "involvedObject", "name"] == "talker" })
                #expect(events.allSatisfy { $0[path: "involvedObject", "uid"] == pod[path: "metadata", "uid"] })

                // Without a uid (an object as rendered, not as read back): matched by kind, name and namespace.
                let rendered: Value = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "talker", "namespace": "default"]]
                let byName = try await client.events(for: rendered)
                #expect(byName.prefix(events.count).map { $0["metadata"] } == events.map { $0["metadata"] })
                #expect(byName.allSatisfy { $0[path: "involvedObject", "name"] == "talker" })
            }
        }
    }
}

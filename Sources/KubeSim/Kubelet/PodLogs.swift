import Foundation
import Structured

/// The pod `log` subresource: lines of a container's current (or `previous`) run from its
/// `PodTimeline`, filtered by `sinceSeconds`/`sinceTime`/`tailLines`/`limitBytes`, optionally with
/// `timestamps`, and streamed in chunks with `follow` until the run ends.
struct PodLogs {
    let runtime: KubeletRuntime
    let store: ObjectStore

    struct Query {
        var container: String?
        var follow = false
        var previous = false
        var timestamps = false
        var sinceSeconds: Double?
        var sinceTime: Date?
        var tailLines: Int?
        var limitBytes: Int?

        init(_ query: [String: String]) {
            container = query["container"].flatMap { $0.isEmpty ? nil : $0 }
            follow = query["follow"] == "true" || query["follow"] == "1"
            previous = query["previous"] == "true" || query["previous"] == "1"
            timestamps = query["timestamps"] == "true" || query["timestamps"] == "1"
            sinceSeconds = query["sinceSeconds"].flatMap(Double.init)
            sinceTime = query["sinceTime"].flatMap(Timestamp.parse)
            tailLines = query["tailLines"].flatMap(Int.init)
            limitBytes = query["limitBytes"].flatMap(Int.init)
        }
    }

    func respond(pod: Value, query q: Query) throws(APIError) -> SimResponse {
        let timeline = runtime.timeline(pod)
        let names = timeline.containers.map(\.name), initNames = timeline.initContainers.map(\.name)
        let name: String
        if let c = q.container {
            guard names.contains(c) || initNames.contains(c) else {
                throw APIError.badRequest("container \(c) is not valid for pod \(pod.name)")
            }
            name = c
        } else if names.count == 1 {
            name = names[0]
        } else {
            var message = "a container name must be specified for pod \(pod.name), choose one of: [\(names.joined(separator: " "))]"
            if !initNames.isEmpty { message += " or one of the init containers: [\(initNames.joined(separator: " "))]" }
            throw APIError.badRequest(message)
        }
        let container = timeline.container(named: name)!
        guard let entry = runtime.existing(pod.uid) else {
            throw APIError.badRequest("container \"\(name)\" in pod \"\(pod.name)\" is waiting to start: ContainerCreating")
        }
        let clock = runtime.options.clock
        let t = clock.now().timeIntervalSince(entry.base)
        let runs = container.instances(until: t)
        guard var run = runs.last else {
            let snapshot = container.snapshot(at: t, podName: pod.name, initializing: container.created > t)
            var reason = "ContainerCreating"
            if case .waiting(let r, _) = snapshot.state { reason = r }
            if reason == "ErrImagePull" || reason == "ImagePullBackOff" { reason = "trying and failing to pull image" }
            if reason == "PodInitializing" { reason = "PodInitializing" }
            throw APIError.badRequest("container \"\(name)\" in pod \"\(pod.name)\" is waiting to start: \(reason)")
        }
        if q.previous {
            guard runs.count > 1 || (run.end.map { $0 <= t } == true && container.restarts(after: run.exitCode)) else {
                throw APIError.badRequest("previous terminated container \"\(name)\" in pod \"\(pod.name)\" not found")
            }
            // While backing off, the last run is "previous" (a new one has not started yet).
            if !(run.end.map { $0 <= t } == true && container.restarts(after: run.exitCode)) { run = runs[runs.count - 2] }
        }
        let since: Double? = {
            if let s = q.sinceSeconds { return t - s }
            if let d = q.sinceTime { return d.timeIntervalSince(entry.base) }
            return nil
        }()
        let render: @Sendable ((time: Double, text: String)) -> String = { line in
            let prefix = q.timestamps ? Self.nanoTimestamp(entry.base.addingTimeInterval(line.time)) + " " : ""
            return prefix + line.text + "\n"
        }
        var lines = container.logLines(of: run, until: t).filter { since == nil || $0.time >= since! }
        if let tail = q.tailLines { lines = Array(lines.suffix(max(tail, 0))) }
        var text = lines.map(render).joined()
        if let limit = q.limitBytes, text.utf8.count > limit { text = String(decoding: Array(text.utf8.prefix(limit)), as: UTF8.self) }
        let headers = [("Content-Type", "text/plain")]
        let runEnded = run.end.map { $0 <= t } ?? false
        guard q.follow, !q.previous, !runEnded else { return .full(status: 200, headers: headers, body: Array(text.utf8)) }

        let uid = pod.uid, runtime = self.runtime, frozenRun = run
        let sent = container.logLines(of: run, until: t).count
        let stream = AsyncStream<[UInt8]> { continuation in
            if !text.isEmpty { continuation.yield(Array(text.utf8)) }
            let task = Task {
                var count = sent
                while !Task.isCancelled, runtime.existing(uid) != nil {
                    try? await Task.sleep(for: .milliseconds(50))
                    let now = clock.now().timeIntervalSince(entry.base)
                    let all = container.logLines(of: frozenRun, until: now)
                    if all.count > count {
                        continuation.yield(Array(all[count...].map(render).joined().utf8))
                        count = all.count
                    }
                    if let end = frozenRun.end, end <= now { break }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        return .stream(status: 200, headers: headers, chunks: stream)
    }

    static func nanoTimestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let nanos = Int((date.timeIntervalSince1970 - seconds) * 1e9)
        let base = Timestamp.format(Date(timeIntervalSince1970: seconds))
        return String(base.dropLast()) + "." + String(format: "%09d", nanos) + "Z"
    }
}

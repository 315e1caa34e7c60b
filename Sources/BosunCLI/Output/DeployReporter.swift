import Deploy
import Foundation
import Releases
import Structured
import Tracking

/// What the user reads while converge, rollback or dismiss runs: a line per stage and cluster write,
/// and for tracked resources Tracking's live status table, pod logs, events and final summary; or,
/// with `--output json`, all of it as JSON lines.
///
/// Deploy events arrive from many tasks at once; they are queued in arrival order and drawn by one
/// task, so lines never interleave with the table redraw.
final class DeployReporter: Sendable {
    private let tracking: TrackingReporter
    private let json: Bool
    private let color: Bool
    private let queue: AsyncStream<DeployEvent>.Continuation
    private let drawing: Task<Void, Never>
    private let refreshing: Task<Void, Never>

    init(options: ReporterOptions) {
        let tracking = TrackingReporter(options: options, sink: FileHandleSink(.standardOutput))
        self.tracking = tracking
        json = options.format == .json
        color = options.color
        let (stream, queue) = AsyncStream<DeployEvent>.makeStream()
        self.queue = queue
        let lines = Lines(json: json, color: options.color)
        drawing = Task {
            var lines = lines
            for await event in stream {
                if case .tracking(let tracked) = event {
                    await tracking.handle(tracked)
                } else if let line = lines.text(for: event) {
                    await tracking.note(line)
                }
            }
        }
        refreshing = Task { await tracking.refreshPeriodically() }
    }

    var sink: DeployEventSink { { [queue] event in queue.yield(event) } }

    func handle(_ event: DeployEvent) { queue.yield(event) }

    /// Runs `body`, then draws what is still queued, the final table and the summary.
    func reporting<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            await finish()
            return result
        } catch {
            await finish()
            throw error
        }
    }

    private func finish() async {
        queue.finish()
        await drawing.value
        refreshing.cancel()
        await tracking.finish()
    }
}

/// Deploy events (all but tracking's, which the TrackingReporter draws) as text lines or JSON lines.
private struct Lines: Sendable {
    let json: Bool
    let color: Bool
    let started = ContinuousClock.now
    var stageStarts: [String: ContinuousClock.Instant] = [:]

    init(json: Bool, color: Bool) {
        self.json = json
        self.color = color
    }

    private var elapsed: Double { seconds(ContinuousClock.now - started) }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// ANSI styling (SGR codes), off without a colour terminal.
    private func style(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    mutating func text(for event: DeployEvent) -> String? {
        if json { return jsonLine(event) }
        let clock = String(format: "%6.1fs", elapsed)
        switch event {
        case .stageStarted(let stage):
            stageStarts[stage] = .now
            return "\(clock) " + style("┌ \(stage)", "1")
        case .stageFinished(let stage):
            let took = stageStarts[stage].map { String(format: " (%.1fs)", seconds(ContinuousClock.now - $0)) } ?? ""
            return "\(clock) " + style("└ \(stage) done\(took)", "1")
        case .operationStarted(let op):
            guard let verb = Self.verb(op.kind) else { return nil }
            return "\(clock) │ \(verb) \(Self.subject(op))"
        case .operationFinished(let op):
            guard op.kind == .waitExternalDependency else { return nil }
            return "\(clock) │ " + style("✓ external \(Self.subject(op)) ready", "32")
        case .operationFailed(_, let reason):
            return "\(clock) │ " + style("✗ \(reason)", "31")
        case .releaseRecorded(let revision, let status, let description):
            let text = "release revision \(revision): \(status.rawValue) (\(description))"
            switch status {
            case .deployed: return "\(clock) " + style(text, "1;32")
            case .failed: return "\(clock) " + style(text, "1;31")
            default: return "\(clock) " + text
            }
        case .note(let text):
            return "\(clock) " + style(text, "33")
        default:
            return nil
        }
    }

    private func jsonLine(_ event: DeployEvent) -> String? {
        let time = Value.double((elapsed * 1000).rounded() / 1000)
        let object: Value
        switch event {
        case .stageStarted(let stage): object = ["type": "stageStarted", "time": time, "stage": .string(stage)]
        case .stageFinished(let stage): object = ["type": "stageFinished", "time": time, "stage": .string(stage)]
        case .operationStarted(let op): object = ["type": "operationStarted", "time": time, "operation": .string(op.id)]
        case .operationFinished(let op): object = ["type": "operationFinished", "time": time, "operation": .string(op.id)]
        case .operationFailed(let op, let reason):
            object = ["type": "operationFailed", "time": time, "operation": .string(op.id), "reason": .string(reason)]
        case .releaseRecorded(let revision, let status, let description):
            object = ["type": "release", "time": time, "revision": .int(Int64(revision)), "status": .string(status.rawValue),
                      "description": .string(description)]
        case .note(let text): object = ["type": "note", "time": time, "text": .string(text)]
        default: return nil
        }
        return JSON.encode(object, sortKeys: false, escapeHTML: false)
    }

    static func subject(_ op: Deploy.Operation) -> String {
        op.resource.map { "\($0)" } ?? op.external.map { "\($0)" } ?? op.id
    }

    static func verb(_ kind: Deploy.Operation.Kind) -> String? {
        switch kind {
        case .create: "create"
        case .update: "update"
        case .apply: "apply"
        case .recreate: "recreate"
        case .delete: "delete"
        case .createCRD: "apply CRD"
        case .applyHook: "run hook"
        case .deleteHook: "delete hook"
        case .waitExternalDependency: "wait for external"
        default: nil
        }
    }
}

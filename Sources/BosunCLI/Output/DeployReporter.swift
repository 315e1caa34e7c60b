import Deploy
import Foundation
import Releases
import Tracking

/// Renders deploy events as plain progress lines (one per step, state changes of tracked resources).
/// Events arrive from many tasks at once: every write goes through one lock.
final class DeployReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let started = Date()
    private var stageStarts: [String: Date] = [:]
    /// Last text printed per tracked resource, so only changes are printed.
    private var lastState: [String: String] = [:]

    private let color: Bool

    init(color: Bool) { self.color = color }

    /// ANSI styling (SGR codes), off without a colour terminal.
    private func style(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    var sink: DeployEventSink { { event in self.handle(event) } }

    private func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    private var clock: String { String(format: "%6.1fs", Date().timeIntervalSince(started)) }

    func handle(_ event: DeployEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .stageStarted(let stage):
            stageStarts[stage] = Date()
            line("\(clock) " + style("┌ \(stage)", "1"))
        case .stageFinished(let stage):
            let took = stageStarts[stage].map { String(format: " (%.1fs)", Date().timeIntervalSince($0)) } ?? ""
            line("\(clock) " + style("└ \(stage) done\(took)", "1"))
        case .operationStarted(let op):
            guard let verb = Self.verb(op.kind) else { return }
            line("\(clock) │ \(verb) \(op.resource.map { "\($0)" } ?? op.external.map { "\($0)" } ?? op.id)")
        case .operationFinished(let op):
            switch op.kind {
            case .track, .trackHook:
                let name = op.resource.map { "\($0)" } ?? op.id
                line("\(clock) │ " + style("✓ \(name) \(op.kind == .trackHook ? "succeeded" : "ready")", "32"))
            case .waitExternalDependency:
                let name = op.external.map { "\($0)" } ?? op.id
                line("\(clock) │ " + style("✓ external \(name) ready", "32"))
            default: break
            }
        case .operationFailed(_, let reason):
            line("\(clock) │ " + style("✗ \(reason)", "31"))
        case .tracking(let tracking):
            guard case .state(let id, let state) = tracking, state.phase == .progressing else { return }
            var text = state.waitingForText
            if let error = state.errors.last { text += (text.isEmpty ? "" : "; ") + "\(error)" }
            let key = id.description
            guard !text.isEmpty, lastState[key] != text else { return }
            lastState[key] = text
            line(style("\(clock) │   \(id.kind)/\(id.name): ", "2") + text)
        case .releaseRecorded(let revision, let status, let description):
            let text = "release revision \(revision): \(status.rawValue) (\(description))"
            switch status {
            case .deployed: line("\(clock) " + style(text, "1;32"))
            case .failed: line("\(clock) " + style(text, "1;31"))
            default: line("\(clock) " + text)
            }
        case .note(let text):
            line("\(clock) " + style(text, "33"))
        @unknown default:
            break
        }
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

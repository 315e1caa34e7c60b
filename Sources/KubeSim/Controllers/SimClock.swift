import Foundation

/// The clock controllers and the kubelet read: wall time, optionally running faster than real time
/// so tests can cover minute-long deadlines (progressDeadlineSeconds, backoff, cron) in seconds.
///
/// `scale` is simulated seconds per real second; all durations in `SimulationOptions` are simulated.
public struct SimClock: Sendable {
    public let scale: Double
    private let originDate: Date
    private let originInstant: ContinuousClock.Instant

    public init(scale: Double = 1) {
        self.scale = max(scale, 0.001)
        originDate = Date()
        originInstant = .now
    }

    public func now() -> Date {
        let elapsed = ContinuousClock.now - originInstant
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return originDate.addingTimeInterval(seconds * scale)
    }

    /// Real time a simulated interval takes.
    public func real(_ simulatedSeconds: Double) -> Duration {
        .nanoseconds(Int64(max(simulatedSeconds, 0) / scale * 1e9))
    }

    public func sleep(_ simulatedSeconds: Double) async throws {
        try await Task.sleep(for: real(simulatedSeconds))
    }

    /// RFC 3339 seconds, as object timestamps are written.
    public func timestamp() -> String { Timestamp.format(now()) }
}

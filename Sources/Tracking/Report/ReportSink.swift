import Foundation

/// Where a `TrackingReporter` writes: the terminal, a file, or a buffer in tests.
public protocol ReportSink: Sendable {
    func write(_ text: String)
}

/// Writes to a file handle (the CLI passes standard output or standard error).
public struct FileHandleSink: ReportSink {
    private let handle: FileHandle

    public init(_ handle: FileHandle) { self.handle = handle }

    public func write(_ text: String) { handle.write(Data(text.utf8)) }
}

/// Keeps everything written, for tests and for callers that print later.
public final class CapturedOutput: ReportSink, @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""

    public init() {}

    public func write(_ text: String) {
        lock.lock()
        buffer += text
        lock.unlock()
    }

    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        return buffer
    }
}

/// The reporter's notion of time: seconds from an arbitrary origin.
public protocol ReportClock: Sendable {
    func now() -> Double
}

/// Wall time since the clock was made.
public struct SystemReportClock: ReportClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func now() -> Double {
        let d = ContinuousClock.now - origin
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// A clock that moves only when told: golden files come out the same on every run.
public final class ManualReportClock: ReportClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Double

    public init(_ start: Double = 0) { current = start }

    public func now() -> Double {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    public func advance(_ seconds: Double) {
        lock.lock()
        current += seconds
        lock.unlock()
    }
}

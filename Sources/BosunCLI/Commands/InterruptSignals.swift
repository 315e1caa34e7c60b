import ArgumentParser
import Deploy
import Dispatch
import Foundation

/// SIGINT and SIGTERM during a deploy: the first one cancels the running work, which stops tracking,
/// records the release as failed ("interrupted") and releases the lock; the command then exits with
/// 128 + the signal (130 for Ctrl-C). A second signal exits at once.
final class InterruptSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?
    private var sources: [any DispatchSourceSignal] = []
    private var signalNumber: Int32?

    /// The signal received, if any.
    var received: Int32? { lock.withLock { signalNumber } }
    /// The shell's convention for a process ended by `received`.
    var exitCode: Int32 { 128 + (received ?? SIGINT) }

    static func install() -> InterruptSignals {
        let signals = InterruptSignals()
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { signals.fire(number) }
            source.resume()
            signals.sources.append(source)
        }
        return signals
    }

    /// Prints `Error: ...` for a failed command and returns its exit code: 128 + the signal after an
    /// interrupt, else 1.
    func failure(_ error: any Error) -> ExitCode {
        guard received != nil else {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            return ExitCode(1)
        }
        let message = (error as? DeployError) == .interrupted ? "\(error)" : "interrupted (\(error))"
        FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
        return ExitCode(exitCode)
    }

    func cancelOnSignal(_ task: Task<Void, Never>) {
        let cancelNow = lock.withLock { () -> Bool in
            self.task = task
            return signalNumber != nil
        }
        if cancelNow { task.cancel() }
    }

    private func fire(_ number: Int32) {
        let task = lock.withLock { () -> Task<Void, Never>?? in
            if signalNumber != nil { return .none }
            signalNumber = number
            return .some(self.task)
        }
        guard let task else { exit(128 + number) }
        task?.cancel()
    }
}

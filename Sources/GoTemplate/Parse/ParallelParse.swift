#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

extension TemplateSet {
    /// Threads `parse(_:threads:)` uses by default: one per online core, at most 8 (a chart's
    /// templates are parsed in tens of milliseconds; more threads would mostly cost their start).
    public static var defaultParseThreads: Int { min(8, max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))) }
}

/// Runs independent parses on a few threads: each thread takes the next text until none is left
/// (texts differ in size, so taking them one by one balances the threads). The calling thread
/// works too, and waits only for texts a helper has taken: a helper the scheduler starts late
/// (a busy machine) finds nothing left and costs no waiting. Results come back in input order.
enum ParallelParse {
    /// Below this much text in all, starting threads costs more than it saves.
    static let minimumBytes = 32 * 1024
    static let stackSize = 8 * 1024 * 1024

    static func map<T: Sendable>(_ texts: [(name: String, text: String)], threads: Int,
                                 _ work: @escaping @Sendable ((name: String, text: String)) -> T) -> [T] {
        let count = texts.count
        var size = 0
        for entry in texts { size += entry.text.utf8.count }
        let helpers = min(threads, count) - 1
        if helpers <= 0 || size < minimumBytes { return texts.map(work) }

        let shared = Shared(texts: texts, work: work)
        // A helper that cannot be started leaves its share to the others and the caller.
        for _ in 0..<helpers { _ = NativeThread.run(stackSize: stackSize, wait: false) { shared.drain() } }
        shared.drain()
        var spins = 0
        while shared.completed.load(ordering: .acquiring) < count {
            spins += 1
            if spins < 1000 { sched_yield() } else { usleep(50) }
        }
        return shared.results.map { $0! }
    }

    /// State the threads share: the texts, the next index to take, the result slots (each
    /// written by the one thread that took its index, read once `completed` counts them all).
    /// Helpers hold it until they return, so it outlives a late one.
    fileprivate final class Shared<T>: @unchecked Sendable {
        let texts: [(name: String, text: String)]
        let results: UnsafeMutableBufferPointer<T?>
        let work: ((name: String, text: String)) -> T
        let next = Atomic<Int>(0)
        let completed = Atomic<Int>(0)

        init(texts: [(name: String, text: String)], work: @escaping ((name: String, text: String)) -> T) {
            self.texts = texts
            self.work = work
            results = .allocate(capacity: texts.count)
            results.initialize(repeating: nil)
        }

        deinit {
            results.deinitialize()
            results.deallocate()
        }

        func drain() {
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                if index >= texts.count { return }
                results[index] = work(texts[index])
                completed.add(1, ordering: .releasing)
            }
        }
    }
}

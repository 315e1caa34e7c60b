import Dispatch
import Foundation

/// Independent pieces of a render (templates that cannot change shared maps, rendered files to
/// split and parse) spread over the machine's cores. Results keep their input order, so callers
/// report the first failure exactly as a serial loop would.
enum ConcurrentWork {
    /// Threads used, this one included: beyond a few, rendering is bound by allocation.
    static let workers = max(1, min(4, availableCores()))

    /// The online cores, capped by a cgroup v2 CPU quota: about what
    /// ProcessInfo.activeProcessorCount reports, without the Foundation set-up and reads through
    /// URLs it costs at start-up (a tenth of a small render's CPU).
    static func availableCores() -> Int {
        #if os(Linux)
        var cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        if let quota = cgroupQuota() { cores = min(max(cores, 1), quota) }
        if cores > 0 { return cores }
        #endif
        return ProcessInfo.processInfo.activeProcessorCount
    }

    #if os(Linux)
    /// `quota period` of /sys/fs/cgroup/cpu.max, rounded up to whole cores; nil for `max` or none.
    private static func cgroupQuota() -> Int? {
        let fd = open("/sys/fs/cgroup/cpu.max", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        guard n > 0 else { return nil }
        let fields = buffer[0..<n].split(whereSeparator: { $0 == 0x20 || $0 == 0x0A })
        guard fields.count >= 2, let quota = Int(String(decoding: fields[0], as: UTF8.self)),
            let period = Int(String(decoding: fields[1], as: UTF8.self)), quota > 0, period > 0
        else { return nil }
        return (quota + period - 1) / period
    }
    #endif

    /// `[body(0), ..., body(count - 1)]`, computed on up to `workers` threads when `concurrently`.
    /// `body` must be safe to call from several threads at once.
    static func map<T>(_ count: Int, concurrently: Bool, _ body: (Int) -> T) -> [T] {
        let threads = concurrently ? min(workers, count) : 1
        if threads <= 1 { return (0..<count).map(body) }
        return withoutActuallyEscaping(body) { body in
            let slots = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
            defer { slots.deallocate() }
            let next = Counter()
            // Each index is claimed once (an atomic counter), so each slot is written by one thread.
            nonisolated(unsafe) let work = body
            nonisolated(unsafe) let output = slots
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while true {
                    let index = next.claim()
                    guard index < count else { return }
                    (output.baseAddress! + index).initialize(to: work(index))
                }
            }
            return Array(UnsafeMutableBufferPointer(start: slots.baseAddress, count: count).moveElements())
        }
    }

    /// Drops a render's large structure (parse trees, the chart's files, every template's data),
    /// whose freeing costs milliseconds: on another thread, so the caller goes on meanwhile, or
    /// not at all when `exitsAfterward` (the process ends right after, and its exit reclaims
    /// the memory at once).
    static func release<T>(_ value: consuming T, exitsAfterward: Bool) {
        let box = Box(value)
        if exitsAfterward {
            _ = Unmanaged.passRetained(box)
        } else {
            DispatchQueue.global().async { withExtendedLifetime(box) {} }
        }
    }

    /// Carries a value to the thread that frees it; nothing reads it there.
    private final class Box<T>: @unchecked Sendable {
        let value: T
        init(_ value: consuming T) { self.value = value }
    }

    /// The next unclaimed index, shared by the workers.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func claim() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value - 1
        }
    }
}

extension UnsafeMutableBufferPointer {
    /// The elements moved out (the memory left uninitialized).
    fileprivate func moveElements() -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let source = baseAddress, count > 0 { buffer.baseAddress!.moveInitialize(from: source, count: count) }
            initialized = count
        }
    }
}

/// A value computed on another thread from now on, waited for where it is needed.
final class Pending<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchGroup()
    private var value: Value?

    init(_ compute: @escaping @Sendable () -> Value) {
        done.enter()
        DispatchQueue.global().async {
            self.value = compute()
            self.done.leave()
        }
    }

    /// The value, once computed (the group's wait orders the write before this read).
    func get() -> Value {
        done.wait()
        return value!
    }
}

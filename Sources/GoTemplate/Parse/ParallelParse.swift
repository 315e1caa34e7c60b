#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

extension TemplateSet {
    /// Threads `parse(_:threads:)` uses by default: one per online core.
    public static var defaultParseThreads: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// Runs independent parses on a few threads: each thread takes the next text until none is left
/// (texts differ in size, so taking them one by one balances the threads). The calling thread
/// works too; results come back in input order.
enum ParallelParse {
    /// Below this much text in all, starting threads costs more than it saves.
    static let minimumBytes = 32 * 1024
    static let stackSize = 8 * 1024 * 1024

    static func map<T: Sendable>(_ texts: [(name: String, text: String)], threads: Int,
                                 _ work: @Sendable ((name: String, text: String)) -> T) -> [T] {
        let count = texts.count
        var size = 0
        for entry in texts { size += entry.text.utf8.count }
        let helpers = min(threads, count) - 1
        if helpers <= 0 || size < minimumBytes { return texts.map(work) }

        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        withoutActuallyEscaping(work) { work in
            let shared = Shared(texts: texts, results: results, work: work)
            var started: [pthread_t] = []
            for _ in 0..<helpers {
                if let thread = startThread(shared) { started.append(thread) }
            }
            shared.drain()
            // Every thread is joined before `work` and the result slots go away.
            for thread in started { pthread_join(thread, nil) }
        }
        return results.map { $0! }
    }

    /// State the threads share: the texts, the next index to take, the result slots (each
    /// written by exactly one thread, read after every thread has been joined).
    fileprivate final class Shared<T>: Drainable, @unchecked Sendable {
        let texts: [(name: String, text: String)]
        let results: UnsafeMutableBufferPointer<T?>
        let work: ((name: String, text: String)) -> T
        let next = Atomic<Int>(0)

        init(texts: [(name: String, text: String)], results: UnsafeMutableBufferPointer<T?>,
             work: @escaping ((name: String, text: String)) -> T) {
            self.texts = texts; self.results = results; self.work = work
        }

        func drain() {
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                if index >= texts.count { return }
                results[index] = work(texts[index])
            }
        }
    }

    fileprivate static func startThread<T>(_ shared: Shared<T>) -> pthread_t? {
        let context = Unmanaged.passRetained(shared as AnyObject).toOpaque()
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        pthread_attr_setstacksize(&attr, stackSize)
        defer { pthread_attr_destroy(&attr) }
        #if canImport(Darwin)
        var thread: pthread_t? = nil
        #else
        var thread = pthread_t()
        #endif
        let status = pthread_create(&thread, &attr, { raw in
            #if canImport(Darwin)
            let object = Unmanaged<AnyObject>.fromOpaque(raw).takeRetainedValue()
            #else
            let object = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue()
            #endif
            (object as! any Drainable).drain()
            return nil
        }, context)
        if status != 0 {
            Unmanaged<AnyObject>.fromOpaque(context).release()
            return nil
        }
        return thread
    }
}

fileprivate protocol Drainable: AnyObject { func drain() }

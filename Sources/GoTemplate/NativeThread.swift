#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX thread with a stack size of our choosing: deep template recursion needs a larger stack
/// than Swift's threads have, and parallel parsing wants threads that the cooperative pool does
/// not own (the caller may be blocking one of its threads).
enum NativeThread {
    private final class Work {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Run `body` on a new thread with `stackSize` bytes of stack; `wait` joins it before
    /// returning, otherwise the thread is detached. False (and nothing run) when no thread
    /// could be made.
    static func run(stackSize: Int, wait: Bool, _ body: @escaping () -> Void) -> Bool {
        let context = Unmanaged.passRetained(Work(body)).toOpaque()
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, stackSize)
        if !wait { pthread_attr_setdetachstate(&attr, Int32(PTHREAD_CREATE_DETACHED)) }
        #if canImport(Darwin)
        var thread: pthread_t? = nil
        #else
        var thread = pthread_t()
        #endif
        let status = pthread_create(&thread, &attr, { raw in
            #if canImport(Darwin)
            let work = Unmanaged<Work>.fromOpaque(raw).takeRetainedValue()
            #else
            let work = Unmanaged<Work>.fromOpaque(raw!).takeRetainedValue()
            #endif
            work.body()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Work>.fromOpaque(context).release()
            return false
        }
        if wait {
            #if canImport(Darwin)
            pthread_join(thread!, nil)
            #else
            pthread_join(thread, nil)
            #endif
        }
        return true
    }
}

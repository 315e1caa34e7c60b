#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if !canImport(Darwin)
/// glibc's `pthread_getattr_np` (a GNU extension the Glibc module does not export).
@_silgen_name("pthread_getattr_np")
private func gnuGetAttr(_ thread: pthread_t, _ attr: UnsafeMutablePointer<pthread_attr_t>) -> Int32
#endif

/// Deep recursion (templates calling templates, nested parentheses) must end in a clean error,
/// never a stack overflow. Recursive steps ask `withRoom`; when the current thread's stack runs
/// low, the rest of the work continues on a fresh thread with a large stack while the caller waits.
enum StackGuard {
    /// Stack kept free below the current frame before hopping.
    static let reserve: UInt = 256 * 1024
    /// Stack size of the helper threads.
    static let helperStackSize = 512 * 1024 * 1024

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    @inline(__always)
    static func currentAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }

    /// Lowest usable address of this thread's stack (cached per thread).
    static func lowBound() -> UInt {
        if let cached = pthread_getspecific(key) { return UInt(bitPattern: cached) }
        var low: UInt = 0
        #if canImport(Darwin)
        let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
        low = top - UInt(pthread_get_stacksize_np(pthread_self()))
        #else
        var attr = pthread_attr_t()
        if gnuGetAttr(pthread_self(), &attr) == 0 {
            var address: UnsafeMutableRawPointer? = nil
            var size = 0
            pthread_attr_getstack(&attr, &address, &size)
            low = UInt(bitPattern: address)
            pthread_attr_destroy(&attr)
        }
        #endif
        if low == 0 { low = currentAddress() &- 512 * 1024 }
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: low))
        return low
    }

    @inline(__always)
    static var isLow: Bool {
        let here = currentAddress()
        let low = lowBound()
        return here < low &+ reserve
    }

    /// Run `body` here, or on a fresh big-stack thread when this one is nearly exhausted.
    static func withRoom<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        if !isLow { return try body() }
        return try onFreshStack(body)
    }

    static func onFreshStack<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        try withoutActuallyEscaping(body) { (escaping) throws(E) -> T in
            var result: Result<T, E>? = nil
            let started = NativeThread.run(stackSize: helperStackSize, wait: true) {
                do throws(E) { result = .success(try escaping()) } catch { result = .failure(error) }
            }
            // No thread could be made: run here and accept the risk.
            guard started, let result else { return try escaping() }
            return try result.get()
        }
    }
}

import Foundation
import Testing

@testable import Charts

@Suite struct ConcurrentWorkTests {
    @Test func resultsKeepInputOrder() {
        for count in [0, 1, 2, 3, 100, 1000] {
            let expected = (0..<count).map { $0 * $0 }
            #expect(ConcurrentWork.map(count, concurrently: true) { $0 * $0 } == expected)
            #expect(ConcurrentWork.map(count, concurrently: false) { $0 * $0 } == expected)
        }
    }

    @Test func everyIndexRunsOnce() {
        let lock = NSLock()
        var seen: [Int] = []
        let results = ConcurrentWork.map(500, concurrently: true) { i -> String in
            lock.withLock { seen.append(i) }
            return String(i)
        }
        #expect(seen.sorted() == Array(0..<500))
        #expect(results == (0..<500).map(String.init))
    }

    private final class Token: @unchecked Sendable {}

    /// Released values are freed on another thread, or kept for the process exit.
    @Test func releaseFreesInBackgroundOrKeepsUntilExit() async throws {
        weak var freed: Token?
        weak var kept: Token?
        do {
            let a = Token(), b = Token()
            freed = a
            kept = b
            ConcurrentWork.release(a, exitsAfterward: false)
            ConcurrentWork.release(b, exitsAfterward: true)
        }
        for _ in 0..<200 where freed != nil { try await Task.sleep(for: .milliseconds(10)) }
        #expect(freed == nil)
        #expect(kept != nil)
    }

    /// A pending value is computed off the calling thread and read as often as needed.
    @Test func pendingComputesElsewhereOnce() {
        let caller = pthread_self()
        let pending = Pending { () -> (Bool, Int) in (pthread_equal(pthread_self(), caller) != 0, (1...100).reduce(0, +)) }
        #expect(pending.get().0 == false)
        #expect(pending.get().1 == 5050)
    }
}

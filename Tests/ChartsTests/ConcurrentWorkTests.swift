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
}

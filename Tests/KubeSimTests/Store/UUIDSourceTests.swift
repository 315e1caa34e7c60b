import Foundation
import Testing
@testable import KubeSim

/// Object uids: RFC 4122 version 4 text, written by hand from random words.
@Suite struct UUIDSourceTests {
    @Test func formatsBitsAsLowerCaseGroups() {
        #expect(UUIDSource.format(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210) == "01234567-89ab-cdef-fedc-ba9876543210")
        #expect(UUIDSource.format(high: 0, low: 0) == "00000000-0000-0000-0000-000000000000")
        #expect(UUIDSource.format(high: .max, low: .max) == "ffffffff-ffff-ffff-ffff-ffffffffffff")
    }

    @Test func nextIsAVersion4UUIDFoundationParses() throws {
        for _ in 0..<200 {
            let text = UUIDSource.next()
            let chars = Array(text)
            #expect(chars.count == 36)
            #expect([8, 13, 18, 23].allSatisfy { chars[$0] == "-" })
            #expect(chars.enumerated().allSatisfy { [8, 13, 18, 23].contains($0.offset) || "0123456789abcdef".contains($0.element) })
            #expect(chars[14] == "4")  // version
            #expect("89ab".contains(chars[19]))  // variant 10xx
            let parsed = try #require(UUID(uuidString: text))
            #expect(parsed.uuidString.lowercased() == text)
        }
    }

    @Test func nextIsUniqueAcrossManyBlocksOfRandomWords() {
        // 5,000 uids take 10,000 words: many refills of the 64-word block.
        let uids = (0..<5000).map { _ in UUIDSource.next() }
        #expect(Set(uids).count == uids.count)
        // Each of the 122 random bits varies: every hex position but the fixed ones takes many values.
        for position in 0..<36 where ![8, 13, 14, 18, 23].contains(position) {
            let seen = Set(uids.map { Array($0)[position] })
            #expect(seen.count >= (position == 19 ? 4 : 16), "position \(position) took \(seen.count) values")
        }
    }

    @Test func concurrentCallersNeverShareAUID() async {
        let uids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { (0..<500).map { _ in UUIDSource.next() } } }
            var all: [String] = []
            for await part in group { all += part }
            return all
        }
        #expect(Set(uids).count == 4000)
    }
}

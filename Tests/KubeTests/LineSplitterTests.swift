import NIOCore
import Testing

@testable import Kube

@Suite struct LineSplitterTests {
    @Test func joinsChunksAndKeepsLastPartialLine() {
        var splitter = LineSplitter()
        var lines: [String] = []
        let emit: ([UInt8]) -> Void = { lines.append(String(decoding: $0, as: UTF8.self)) }
        for chunk in ["one\ntw", "o\n", "\nthr", "ee"] { splitter.feed(ByteBuffer(string: chunk), emit) }
        splitter.finish(emit)
        #expect(lines == ["one", "two", "", "three"])
    }
}

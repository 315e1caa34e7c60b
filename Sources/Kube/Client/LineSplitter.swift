import AsyncHTTPClient
import NIOCore

/// Cuts a streamed HTTP body into lines (watch events are one JSON document per line; logs are
/// text lines). The last line is delivered even without a trailing newline.
struct LineSplitter {
    private var pending: [UInt8] = []

    mutating func feed(_ buffer: ByteBuffer, _ emit: ([UInt8]) throws -> Void) rethrows {
        let bytes = buffer.readableBytesView
        var start = bytes.startIndex
        var index = start
        while index < bytes.endIndex {
            if bytes[index] == 0x0A {
                if pending.isEmpty {
                    try emit(Array(bytes[start..<index]))
                } else {
                    pending.append(contentsOf: bytes[start..<index])
                    try emit(pending)
                    pending.removeAll(keepingCapacity: true)
                }
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        if start < bytes.endIndex { pending.append(contentsOf: bytes[start..<bytes.endIndex]) }
    }

    mutating func finish(_ emit: ([UInt8]) throws -> Void) rethrows {
        if !pending.isEmpty {
            try emit(pending)
            pending.removeAll()
        }
    }
}

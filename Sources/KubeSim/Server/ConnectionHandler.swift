import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// One client connection, last in its pipeline: gathers a request, hands it to the `APIServer` in a
/// task, and writes the response back on the event loop. `HTTPServerPipelineHandler` (before it)
/// holds a pipelined next request until the current response has ended, so requests are answered in
/// order and one at a time.
///
/// A channel handler rather than an async channel: a request costs one task and one hop back to
/// the loop, and a full response is one flush (one socket write), which is most of what the server
/// spends on a small request besides the store's own work.
final class ConnectionHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let api: APIServer
    private let tls: Bool
    /// The watch write pacer of the connection's event loop.
    private let pacer: WatchWritePacer?
    // Touched on the event loop only:
    private var context: ChannelHandlerContext?
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    /// The response being streamed (logs), cancelled when the connection closes.
    private var streaming: Task<Void, Never>?
    /// The watch being written, kept until it ends (the writer ends the watch itself when the
    /// connection closes).
    private var watch: WatchResponseWriter?

    init(api: APIServer, tls: Bool, pacer: WatchWritePacer?) {
        self.api = api
        self.tls = tls
        self.pacer = pacer
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func channelInactive(context: ChannelHandlerContext) {
        streaming?.cancel()
        streaming = nil
        self.context = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // Connection reset, bad TLS or HTTP framing: nothing to report, the connection ends.
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = nil
        case .body(var part):
            if body == nil { body = part } else { body!.writeBuffer(&part) }
        case .end:
            guard let h = head else { return }
            head = nil
            var request = SimRequest(method: h.method.rawValue, uri: h.uri, headers: h.headers.map { ($0.name, $0.value) },
                                     body: body.map { Array($0.readableBytesView) } ?? [])
            body = nil
            if tls, (try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate) != nil {
                request.user = "kubesim-admin"
            }
            let loop = context.eventLoop
            let handler = NIOLoopBound(self, eventLoop: loop)
            let api = self.api
            Task {
                let response = await api.handle(request)
                loop.execute { handler.value.respond(response, to: h) }
            }
        }
    }

    /// Write `response` (on the loop). A connection without keep-alive closes after it.
    private func respond(_ response: SimResponse, to request: HTTPRequestHead) {
        guard let context, context.channel.isActive else { return }
        let keepAlive = request.isKeepAlive
        switch response {
        case .full(let status, let headers, let body):
            var h = HTTPHeaders(headers)
            h.replaceOrAdd(name: "Content-Length", value: String(body.count))
            h.replaceOrAdd(name: "Date", value: httpDate())
            if !keepAlive { h.replaceOrAdd(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .init(statusCode: status), headers: h))), promise: nil)
            if !body.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil) }
            let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive { written.whenComplete { _ in context.close(promise: nil) } }
        case .stream(let status, let headers, let chunks):
            let channel = context.channel
            channel.write(HTTPServerResponsePart.head(chunkedHead(status, headers, request.version)), promise: nil)
            // Each chunk waits for the previous one to reach the socket (a slow reader holds the
            // producer back); closing the connection cancels the task, which ends the stream.
            streaming = Task {
                for await chunk in chunks {
                    do { try await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: chunk)))).get() } catch { return }
                }
                let ended = (try? await channel.writeAndFlush(HTTPServerResponsePart.end(nil)).get()) != nil
                if !ended || !keepAlive { try? await channel.close() }
            }
        case .watch(let status, let headers, let feed):
            guard let pacer else { context.close(promise: nil); return }
            let (writer, written) = WatchResponseWriter.start(channel: context.channel, head: chunkedHead(status, headers, request.version),
                                                              feed: feed, pacer: pacer)
            watch = writer
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            // The watch ended (timeout, dropped, server shut down) or the connection closed.
            written.whenComplete { result in
                let finished = (try? result.get()) ?? false
                handler.value.watch = nil
                if !finished || !keepAlive { handler.value.context?.close(promise: nil) }
            }
        }
    }

    private func chunkedHead(_ status: Int, _ headers: [(String, String)], _ version: HTTPVersion) -> HTTPResponseHead {
        var h = HTTPHeaders(headers)
        h.replaceOrAdd(name: "Date", value: httpDate())
        h.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
        return HTTPResponseHead(version: version, status: .init(statusCode: status), headers: h)
    }
}

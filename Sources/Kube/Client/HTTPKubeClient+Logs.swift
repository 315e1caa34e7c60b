import AsyncHTTPClient
import Foundation
import NIOCore
import Structured

extension HTTPKubeClient {
    public func podLogs(namespace: String, pod: String, options: LogOptions = LogOptions()) -> AsyncThrowingStream<String, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var query: [(String, String)] = []
                    if let container = options.container { query.append(("container", container)) }
                    if options.follow { query.append(("follow", "true")) }
                    if options.previous { query.append(("previous", "true")) }
                    if let tail = options.tailLines { query.append(("tailLines", String(tail))) }
                    if let since = options.sinceTime { query.append(("sinceTime", since)) }
                    if let since = options.sinceSeconds { query.append(("sinceSeconds", String(since))) }
                    if options.timestamps { query.append(("timestamps", "true")) }
                    if let limit = options.limitBytes { query.append(("limitBytes", String(limit))) }
                    let resource = APIResource(group: "", version: "v1", kind: "Pod", name: "pods", namespaced: true)
                    var request = self.request(
                        "GET", Target(resource: resource, namespace: namespace), name: pod, subresource: "log", query: query)
                    request.accept = "*/*"
                    request.timeout = options.follow ? nil : self.transport.options.requestTimeout
                    let response = try await self.transport.openStream(request)
                    var splitter = LineSplitter()
                    let emit: ([UInt8]) -> Void = { line in
                        var line = line
                        if line.last == 0x0D { line.removeLast() }
                        continuation.yield(String(decoding: line, as: UTF8.self))
                    }
                    do {
                        for try await buffer in response.body { splitter.feed(buffer, emit) }
                    } catch {
                        if !Task.isCancelled {
                            throw KubeError(
                                .transport, "log stream of pod \(namespace)/\(pod) broke: \(HTTPTransport.classify(error).detail)")
                        }
                    }
                    splitter.finish(emit)
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

import Foundation
import Kube
import Structured

/// A client whose informers of some kinds hand on each change `lag` after it arrived (the initial
/// list at once): the watch of a loaded machine, where an apply's response comes back well before
/// the watch event of the same write. Everything else goes straight to `base`.
struct LaggingWatchClient: KubeClient {
    let base: any KubeClient
    let kinds: Set<String>
    let lag: Duration

    var defaultNamespace: String { base.defaultNamespace }
    func resource(apiVersion: String, kind: String) async throws(KubeError) -> APIResource {
        try await base.resource(apiVersion: apiVersion, kind: kind)
    }
    func serverVersion() async throws(KubeError) -> ServerVersion { try await base.serverVersion() }
    func serverAPIs() async throws(KubeError) -> ServerAPIs { try await base.serverAPIs() }
    func lookup(apiVersion: String, kind: String, namespace: String, name: String) async throws(KubeError) -> Value {
        try await base.lookup(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
    }
    func get(_ reference: ObjectReference) async throws(KubeError) -> Value { try await base.get(reference) }
    func list(_ selector: ResourceSelector, options: ListOptions) async throws(KubeError) -> ObjectList {
        try await base.list(selector, options: options)
    }
    func create(_ object: Value, options: WriteOptions) async throws(KubeError) -> Value { try await base.create(object, options: options) }
    func update(_ object: Value, options: WriteOptions) async throws(KubeError) -> Value { try await base.update(object, options: options) }
    func apply(_ object: Value, options: ApplyOptions) async throws(KubeError) -> Value { try await base.apply(object, options: options) }
    func patch(_ reference: ObjectReference, _ patch: Patch, options: WriteOptions) async throws(KubeError) -> Value {
        try await base.patch(reference, patch, options: options)
    }
    func delete(_ reference: ObjectReference, options: DeleteOptions) async throws(KubeError) -> Value? {
        try await base.delete(reference, options: options)
    }
    func watch(_ selector: ResourceSelector, options: WatchOptions) -> AsyncThrowingStream<WatchEvent, any Error> {
        base.watch(selector, options: options)
    }
    func podLogs(namespace: String, pod: String, options: LogOptions) -> AsyncThrowingStream<String, any Error> {
        base.podLogs(namespace: namespace, pod: pod, options: options)
    }
    func events(for object: Value) async throws(KubeError) -> [Value] { try await base.events(for: object) }

    func informer(_ selector: ResourceSelector, options: ListOptions) -> AsyncThrowingStream<InformerEvent, any Error> {
        let upstream = base.informer(selector, options: options)
        guard kinds.contains(selector.kind) else { return upstream }
        let lag = self.lag
        return AsyncThrowingStream { continuation in
            // Each change keeps its own due time, so order is kept and the lag does not add up.
            let (timed, sink) = AsyncStream.makeStream(of: (ContinuousClock.Instant, InformerEvent).self)
            let reader = Task {
                var synced = false
                do {
                    for try await event in upstream {
                        sink.yield((synced ? ContinuousClock.now + lag : ContinuousClock.now, event))
                        if case .synced = event { synced = true }
                    }
                    sink.finish()
                } catch {
                    sink.finish()
                    continuation.finish(throwing: error)
                }
            }
            let writer = Task {
                for await (due, event) in timed {
                    try? await Task.sleep(until: due, clock: .continuous)
                    if Task.isCancelled { break }
                    continuation.yield(event)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in
                reader.cancel()
                writer.cancel()
            }
        }
    }
}

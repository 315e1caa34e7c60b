import Releases
import Structured
import Synchronization

/// A `ClusterObjects` that passes everything through to `inner` but can spoil the next Lease update
/// the way a cancelled or timed-out request does: the server writes it, the caller never hears so.
final class LeaseFaults: ClusterObjects {
    enum Fault: Sendable {
        /// Written at once, then the call fails as if its response were lost.
        case responseLost
        /// Waits until the calling task is cancelled, then is written (the request was already on
        /// the wire) and the call fails as cancelled.
        case landsAfterCancel
        /// Not written now; `deliverHeldBack()` sends it later, as a request stuck in the network would be.
        case heldBack
    }

    private struct State {
        var armed: Fault?
        var inFlight = false
        var landedAfterCancel = false
        var heldBack: (ResourceType, String, Value)?
    }

    let inner: any ClusterObjects
    private let state = Mutex(State())

    init(_ inner: any ClusterObjects) { self.inner = inner }

    func arm(_ fault: Fault) { state.withLock { $0.armed = fault } }
    var landedAfterCancel: Bool { state.withLock { $0.landedAfterCancel } }

    /// Waits (up to 10 s) until a `.landsAfterCancel` update is pending.
    func waitUntilInFlight() async throws {
        for _ in 0..<2000 where !state.withLock({ $0.inFlight }) { try await Task.sleep(for: .milliseconds(5)) }
    }

    /// Sends the held-back update now and returns how the server answered.
    func deliverHeldBack() async -> Result<Value, ClusterObjectError>? {
        guard let (type, namespace, object) = state.withLock({ $0.heldBack }) else { return nil }
        do { return .success(try await inner.update(type, namespace: namespace, object)) } catch { return .failure(error) }
    }

    func get(_ type: ResourceType, namespace: String, name: String) async throws(ClusterObjectError) -> Value {
        try await inner.get(type, namespace: namespace, name: name)
    }

    func list(_ type: ResourceType, namespace: String?, labelSelector: String) async throws(ClusterObjectError) -> [Value] {
        try await inner.list(type, namespace: namespace, labelSelector: labelSelector)
    }

    func create(_ type: ResourceType, namespace: String, _ object: Value) async throws(ClusterObjectError) -> Value {
        try await inner.create(type, namespace: namespace, object)
    }

    func update(_ type: ResourceType, namespace: String, _ object: Value) async throws(ClusterObjectError) -> Value {
        let fault = type == .lease ? state.withLock { s in defer { s.armed = nil }; return s.armed } : nil
        switch fault {
        case nil:
            return try await inner.update(type, namespace: namespace, object)
        case .responseLost:
            _ = try await inner.update(type, namespace: namespace, object)
            throw .other("request cancelled: PUT leases (the server wrote it)")
        case .heldBack:
            state.withLock { $0.heldBack = (type, namespace, object) }
            throw .other("request cancelled: PUT leases (still on its way)")
        case .landsAfterCancel:
            state.withLock { $0.inFlight = true }
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(2)) }
            // The write goes on without us (a task of its own: this one is cancelled).
            let written = await Task { try? await inner.update(type, namespace: namespace, object) }.value
            state.withLock { $0.landedAfterCancel = written != nil }
            throw .other("request cancelled: PUT leases")
        }
    }

    func delete(_ type: ResourceType, namespace: String, name: String) async throws(ClusterObjectError) {
        try await inner.delete(type, namespace: namespace, name: name)
    }
}

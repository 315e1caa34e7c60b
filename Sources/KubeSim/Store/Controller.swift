/// A reconciler the server runs for its whole lifetime (Deployment, Job, kubelet, ...).
///
/// Controllers are clients of the store: they `watch` it for the resources they care about and write
/// through `create`/`update`/`delete` like any API client, so their writes are versioned, watched,
/// admitted and garbage-collected the same way. `run` returns when its task is cancelled.
public protocol Controller: Sendable {
    var name: String { get }
    func run(store: ObjectStore) async
}

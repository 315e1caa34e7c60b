import Kube
import Releases

/// The release lock held for one deploy, and the history as read under it.
struct LockSession: Sendable {
    var start: DeployStart

    /// Runs `body` while renewing the Lease every `renewEvery` seconds. A renewal that fails while
    /// `body` still runs means another process may own the release now: `body` finishes, then this
    /// throws, so no final status is written over the new holder's work. (A renewal cut short because
    /// `body` ended is not a loss.)
    func holding<T: Sendable>(renewEvery: Double, _ body: @escaping @Sendable () async -> T) async throws(DeployError) -> T {
        let lock = start.lock
        let lost = LostLock()
        let result = await withTaskGroup(of: T?.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(renewEvery))
                    if Task.isCancelled { return nil }
                    do throws(ReleasesError) { try await lock.renew() } catch {
                        if Task.isCancelled { return nil }
                        await lost.set(error.description)
                        return nil
                    }
                }
                return nil
            }
            group.addTask { await body() }
            var value: T?
            while let next = await group.next() {
                if let next { value = next; group.cancelAll() }
            }
            return value!
        }
        if let message = await lost.message { throw .release(message) }
        return result
    }

    /// Runs `body`, then gives the lock back whatever happened (in a task of its own: an interrupted
    /// deploy is cancelled, and its unlock must still reach the server).
    func finish<T: Sendable>(_ body: () async throws(DeployError) -> T) async throws(DeployError) -> T {
        let lock = start.lock
        do {
            let result = try await body()
            await Task { try? await lock.unlock() }.value
            return result
        } catch {
            await Task { try? await lock.unlock() }.value
            throw error
        }
    }
}

extension ReleaseDeployer {
    /// Takes the lock (recovering a stale pending revision) and checks nobody deployed since `prepared`
    /// was read: a plan made for revision N must not be applied over revision N+1.
    func lock(expecting prepared: PreparedRelease) async throws(DeployError) -> LockSession {
        let lock = ReleaseLock(api: KubeClusterObjects(client: client), release: options.releaseName,
                               namespace: options.namespace, leaseDuration: options.leaseDuration)
        let start: DeployStart
        do {
            start = try await store.beginDeploy(options.releaseName, lock: lock, grace: options.pendingGrace, now: GoTime.now())
        } catch {
            throw .release(error.description)
        }
        if start.last?.version != prepared.history.last?.version {
            try? await lock.unlock()
            throw .release("release \"\(options.releaseName)\" moved to revision \(start.last?.version ?? 0) while this deploy was being prepared (from revision \(prepared.history.last?.version ?? 0)): run it again")
        }
        return LockSession(start: start)
    }
}

/// Set when a Lease renewal failed during a deploy.
actor LostLock {
    var message: String?
    func set(_ text: String) { message = text }
}

import Kube
import Releases

/// The release lock held for one deploy, and the history as read under it.
struct LockSession: Sendable {
    var start: DeployStart

    /// Runs `body`, then gives the lock back whatever happened.
    func finish<T: Sendable>(_ body: () async throws(DeployError) -> T) async throws(DeployError) -> T {
        do {
            let result = try await body()
            try? await start.lock.unlock()
            return result
        } catch {
            try? await start.lock.unlock()
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

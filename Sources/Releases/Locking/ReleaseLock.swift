import OrderedCollections
import Structured

/// A per-release lock: the Lease `bosun-lock.NAME` in the release namespace, held while a deploy runs
/// and renewed every few seconds. Updates carry the resourceVersion read, so two deploys racing for
/// the same Lease cannot both win.
///
/// Helm ignores the Lease; the pending-* status of the revision stays the signal Helm understands.
/// The Lease only tells Bosun whether the process that set that status is still alive.
public actor ReleaseLock {
    public nonisolated let api: any ClusterObjects
    public nonisolated let release: String
    public nonisolated let namespace: String
    public nonisolated let holder: LockHolder
    /// How long a holder that stops renewing keeps the lock.
    public nonisolated let leaseDuration: Int
    private let clock: @Sendable () -> GoTime
    /// Set while we hold the lock (from `acquire` to `unlock`).
    private var acquireTime: GoTime?
    /// Set when a renewal inside `hold` failed: another process may own the release now.
    private var lost: ReleasesError?

    public static func leaseName(_ release: String) -> String { "bosun-lock.\(release)" }

    public init(
        api: any ClusterObjects, release: String, namespace: String, holder: LockHolder = .current(),
        leaseDuration: Int = 15, clock: @escaping @Sendable () -> GoTime = { GoTime.now() }
    ) {
        self.api = api
        self.release = release
        self.namespace = namespace
        self.holder = holder
        self.leaseDuration = leaseDuration
        self.clock = clock
    }

    /// What acquiring found: whether it took the lock over from a holder that stopped renewing.
    public struct Acquired: Sendable, Equatable {
        /// The previous holder whose lease had expired (a killed or disconnected deploy), if any.
        public var expiredHolder: LockHolder?
        /// When that holder last renewed.
        public var expiredAt: GoTime?

        public init(expiredHolder: LockHolder? = nil, expiredAt: GoTime? = nil) {
            self.expiredHolder = expiredHolder
            self.expiredAt = expiredAt
        }
    }

    /// The lock as read from the cluster.
    public struct LeaseState: Sendable, Equatable {
        public var holder: LockHolder?
        public var acquireTime: GoTime?
        public var renewTime: GoTime?
        public var duration: Int
        public var transitions: Int
        public var resourceVersion: String?
        /// `spec.holderIdentity` as stored: ownership is decided on it, not on the parsed holder
        /// (an identity Bosun cannot parse back, say a user name with a space, is still ours).
        public var identity: String?

        func isLive(at now: GoTime) -> Bool {
            guard holder != nil, let renew = renewTime else { return false }
            return now.seconds(since: renew) <= Double(duration)
        }
    }

    private var leaseDescription: String { "Lease \(namespace)/\(ReleaseLock.leaseName(release))" }

    /// Take the lock, or fail at once when a live holder has it.
    public func acquire() async throws(ReleasesError) -> Acquired {
        for _ in 0..<3 {
            let current: LeaseState?
            do {
                current = try await read()
            } catch {
                throw ReleasesError(.storage, "get \(leaseDescription): \(error)")
            }
            guard let current else {
                // No Lease yet: create it; losing the create race means someone else holds it.
                let now = clock()
                do {
                    _ = try await api.create(.lease, namespace: namespace, leaseObject(now: now, acquired: now, transitions: 0, rv: nil))
                    acquireTime = now
                    return Acquired()
                } catch .alreadyExists {
                    continue
                } catch {
                    if await landedAnyway(at: now) { return Acquired() }
                    throw ReleasesError(.storage, "create \(leaseDescription): \(error)")
                }
            }
            let now = clock()
            if current.isLive(at: now), current.identity != holder.identity {
                throw lockedError(current, now: now)
            }
            let wasExpired = current.holder != nil && current.identity != holder.identity
            do {
                _ = try await api.update(.lease, namespace: namespace, leaseObject(
                    now: now, acquired: now, transitions: current.transitions + (wasExpired ? 1 : 0), rv: current.resourceVersion))
                acquireTime = now
                return wasExpired ? Acquired(expiredHolder: current.holder, expiredAt: current.renewTime) : Acquired()
            } catch .conflict {
                continue  // someone moved first: look again
            } catch .notFound {
                continue
            } catch {
                if await landedAnyway(at: now) {
                    return wasExpired ? Acquired(expiredHolder: current.holder, expiredAt: current.renewTime) : Acquired()
                }
                throw ReleasesError(.storage, "update \(leaseDescription): \(error)")
            }
        }
        throw ReleasesError(.locked, "release \"\(release)\" in namespace \"\(namespace)\": another deploy keeps taking \(leaseDescription); try again")
    }

    /// After a write whose answer never came (timed out, connection dropped): whether the server
    /// wrote it all the same, making the Lease ours. If so we hold it and must give it back later.
    private func landedAnyway(at now: GoTime) async -> Bool {
        guard let current = try? await read(), current.identity == holder.identity else { return false }
        acquireTime = now
        return true
    }

    /// Extend the lock; fails when another process has taken it (our lease expired meanwhile).
    ///
    /// Ownership is the holder identity (its token is unique to this lock), not the resourceVersion
    /// we last saw: a renewal whose response was lost (cancelled or timed out after the server had
    /// written it) leaves that version stale although the Lease is still ours. The write carries the
    /// version just read, so a late renewal landing after `unlock` conflicts and changes nothing.
    public func renew() async throws(ReleasesError) {
        guard let acquired = acquireTime else {
            throw ReleasesError(.invalid, "\(leaseDescription): renew before acquire")
        }
        for _ in 0..<3 {
            let current: LeaseState?
            do {
                current = try await read()
            } catch {
                throw ReleasesError(.locked, "lost \(leaseDescription): \(error)")
            }
            guard let current, current.identity == holder.identity else {
                throw ReleasesError(.locked, "lost \(leaseDescription): \(current.map { "now held by \($0.holder?.description ?? "nobody")" } ?? "it was deleted")")
            }
            do {
                _ = try await api.update(.lease, namespace: namespace, leaseObject(
                    now: clock(), acquired: acquired, transitions: current.transitions, rv: current.resourceVersion))
                return
            } catch .conflict {
                continue  // written meanwhile (by a late renewal of ours, or a new holder): look again
            } catch {
                throw ReleasesError(.locked, "lost \(leaseDescription): \(error)")
            }
        }
        throw ReleasesError(.locked, "lost \(leaseDescription): it keeps changing under us")
    }

    /// Give the lock up: clears the holder so the next deploy need not wait for expiry.
    ///
    /// Reads the Lease and clears it only while the holder is still us, with the version just read;
    /// on a conflict (a renewal of ours that landed late, or a new holder) it reads again. A Lease
    /// held by someone else (ours expired and was taken over) is left to them. Call it after the
    /// renewals have stopped (`hold` returns only once its renewal task has ended).
    public func unlock() async throws(ReleasesError) {
        guard acquireTime != nil else { return }
        var released = false
        for _ in 0..<5 where !released {
            let current: LeaseState?
            do {
                current = try await read()
            } catch {
                throw ReleasesError(.storage, "release \(leaseDescription): \(error)")
            }
            guard let current, current.identity == holder.identity else {
                released = true  // gone, or not ours any more
                break
            }
            var object = leaseObject(now: clock(), acquired: clock(), transitions: 0, rv: current.resourceVersion)
            object["spec"] = [
                "leaseDurationSeconds": .int(Int64(current.duration)), "leaseTransitions": .int(Int64(current.transitions)),
            ]
            object["metadata"]?["annotations"] = nil
            do {
                _ = try await api.update(.lease, namespace: namespace, object)
                released = true
            } catch .conflict {
                continue
            } catch .notFound {
                released = true
            } catch {
                throw ReleasesError(.storage, "release \(leaseDescription): \(error)")
            }
        }
        if !released {
            throw ReleasesError(.storage, "release \(leaseDescription): it kept changing while being given back; it frees itself \(leaseDuration)s after its last renewal")
        }
        acquireTime = nil
    }

    /// Hold the lock while `body` runs, renewing it every `renewEvery` seconds. When a renewal fails
    /// (our lease expired and another deploy took it) the body still finishes, then `hold` throws
    /// `.locked`: the caller must not record a final status over the new holder's work.
    public func hold<T: Sendable>(renewEvery: Double = 5, _ body: @Sendable () async throws -> T) async throws -> T {
        lost = nil
        let result = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: UInt64(renewEvery * 1e9))
                    if Task.isCancelled { return }
                    do throws(ReleasesError) { try await self.renew() } catch {
                        // A renewal cut short because the body ended is not a loss.
                        if !Task.isCancelled { await self.markLost(error) }
                        return
                    }
                }
            }
            defer { group.cancelAll() }
            return try await body()
        }
        if let lost { throw lost }
        return result
    }

    private func markLost(_ error: ReleasesError) { lost = error }

    /// Whether a renewal inside `hold` has failed (the lock belongs to someone else now).
    public var isLost: Bool { lost != nil }

    /// The Lease as stored now, nil when there is none.
    public func read() async throws(ClusterObjectError) -> LeaseState? {
        let object: Value
        do {
            object = try await api.get(.lease, namespace: namespace, name: ReleaseLock.leaseName(release))
        } catch .notFound {
            return nil
        }
        let spec = object["spec"] ?? .emptyObject
        return LeaseState(
            holder: spec["holderIdentity"]?.stringValue.flatMap(LockHolder.init(identity:)),
            acquireTime: spec["acquireTime"]?.stringValue.flatMap(GoTime.init(rfc3339:)),
            renewTime: spec["renewTime"]?.stringValue.flatMap(GoTime.init(rfc3339:)),
            duration: Int(spec["leaseDurationSeconds"]?.intValue ?? 15),
            transitions: Int(spec["leaseTransitions"]?.intValue ?? 0),
            resourceVersion: object[path: "metadata", "resourceVersion"]?.stringValue,
            identity: spec["holderIdentity"]?.stringValue)
    }

    private func lockedError(_ state: LeaseState, now: GoTime) -> ReleasesError {
        let since = state.acquireTime.map { " since \($0.rfc3339Nano)" } ?? ""
        let renewed = state.renewTime.map { String(format: " (renewed %.0fs ago)", now.seconds(since: $0)) } ?? ""
        return ReleasesError(.locked,
            "release \"\(release)\" in namespace \"\(namespace)\" is locked by \(state.holder?.description ?? "another deploy")"
            + "\(since)\(renewed): another bosun deploy is in progress; wait for it to finish")
    }

    private func leaseObject(now: GoTime, acquired: GoTime, transitions: Int, rv: String?) -> Value {
        var metadata: OrderedDictionary<String, Value> = [
            "name": .string(ReleaseLock.leaseName(release)), "namespace": .string(namespace),
            "labels": ["app.kubernetes.io/managed-by": "bosun", "bosun.io/release": .string(release)],
            "annotations": [
                "bosun.io/holder-user": .string(holder.user), "bosun.io/holder-host": .string(holder.host),
                "bosun.io/holder-pid": .string(String(holder.pid)),
            ],
        ]
        if let rv { metadata["resourceVersion"] = .string(rv) }
        return .object([
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": .object(metadata),
            "spec": [
                "holderIdentity": .string(holder.identity), "leaseDurationSeconds": .int(Int64(leaseDuration)),
                "acquireTime": .string(acquired.microTime), "renewTime": .string(now.microTime),
                "leaseTransitions": .int(Int64(transitions)),
            ],
        ])
    }
}

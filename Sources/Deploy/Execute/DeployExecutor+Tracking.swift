import Foundation
import Kube
import Structured
import Tracking

extension DeployExecutor {
    /// The executor bounds the whole run itself (`--timeout`); tracking has no deadline of its own.
    var trackingOptions: TrackingOptions { TrackingOptions() }

    /// Tracks operations that became ready together in one session over the run's shared informers:
    /// `track` (readiness), `trackHook` (completion), `trackAbsence`, `waitExternalDependency`. Each
    /// operation finishes as soon as its resource reaches its goal, not when the whole session ends.
    func track(_ ops: [Operation], plan: Plan, _ continuation: AsyncStream<Message>.Continuation) async {
        var pending: [Tracking.ResourceID: Operation] = [:]
        var requests: [TrackingRequest] = []
        for op in ops {
            continuation.yield(.started(op))
            do {
                guard let request = try await request(for: op, plan: plan) else {
                    continuation.yield(.done(op, created: nil))
                    continue
                }
                pending[Tracking.ResourceID(request.object)] = op
                requests.append(request)
            } catch {
                continuation.yield(.failed(op, "\(Self.subject(op)): \(error)"))
            }
        }
        guard !requests.isEmpty else { return }
        let session = TrackingSession(client: client, options: trackingOptions, hub: hub)
        do {
            for try await event in try session.track(requests) {
                continuation.yield(.event(.tracking(event)))
                switch event {
                case .state(let id, let state) where state.phase == .ready:
                    if let op = pending.removeValue(forKey: id) { continuation.yield(.done(op, created: nil)) }
                case .result(let result):
                    // Failures first: the run reports the first failure it hears of.
                    for outcome in result.outcomes.sorted(by: { $0.failsDeploy && !$1.failsDeploy }) {
                        guard let op = pending.removeValue(forKey: outcome.id) else { continue }
                        await settle(op, outcome, plan: plan, continuation)
                    }
                default:
                    break
                }
            }
        } catch {
            if Task.isCancelled { return }
            for op in pending.values {
                if op.kind == .trackAbsence, let kube = error as? KubeError, kube.kind == .unknownKind {
                    continuation.yield(.done(op, created: nil))  // the kind is gone, and the object with it
                } else {
                    continuation.yield(.failed(op, "\(Self.subject(op)): tracking failed: \(error)"))
                }
            }
            return
        }
        if Task.isCancelled { return }
        for op in pending.values { continuation.yield(.failed(op, "\(Self.subject(op)): tracking ended before a final state")) }
    }

    /// What to track for `op`, or nil when there is nothing to wait for.
    private func request(for op: Operation, plan: Plan) async throws -> TrackingRequest? {
        if op.kind == .waitExternalDependency {
            guard let external = op.external else { return nil }
            return TrackingRequest(try await externalObject(external), goal: .ready, terminationMode: .waitUntilResourceReady)
        }
        guard let id = op.resource, let resource = plan.resources[id] else { return nil }
        switch op.kind {
        case .trackAbsence:
            return TrackingRequest(resource.manifest, goal: .absent)
        case .trackHook:
            return TrackingRequest(applied[id] ?? resource.manifest, goal: .completed, terminationMode: .waitUntilResourceReady)
        default:
            // Kinds the rules call ready as soon as they exist: the apply already proved that.
            if Self.readyOnceApplied.contains(id.kind) { return nil }
            // A NonBlocking resource gets a track operation only when a dependency waits for it ready:
            // then it blocks and fails the deploy (nelm's rule).
            let forced = resource.tracking.trackTerminationMode == .nonBlocking
            return TrackingRequest(applied[id] ?? resource.manifest, goal: .ready,
                                   terminationMode: .waitUntilResourceReady,
                                   failMode: forced ? .failWholeDeployProcessImmediately : nil)
        }
    }

    /// The end of one tracked operation, from its outcome.
    private func settle(_ op: Operation, _ outcome: ResourceOutcome, plan: Plan,
                        _ continuation: AsyncStream<Message>.Continuation) async {
        let reasons = outcome.reasons.joined(separator: "; ")
        switch outcome.kind {
        case .ready, .absent:
            continuation.yield(.done(op, created: nil))
        case .failed where !outcome.failsDeploy:
            // IgnoreAndContinueDeployProcess: shown, never fatal.
            continuation.yield(.event(.note("\(Self.subject(op)) failed, ignored (werf.io/fail-mode): \(reasons)")))
            continuation.yield(.done(op, created: nil))
        case .failed:
            if op.deleteOnFailure, let resource = op.resource.flatMap({ plan.resources[$0] }) {
                try? await deleteObject(resource, propagation: .background)
            }
            let what = op.kind == .trackHook ? ": hook failed" : op.kind == .waitExternalDependency ? ": external dependency failed" : " failed"
            continuation.yield(.failed(op, "\(Self.subject(op))\(what): \(reasons.isEmpty ? "see its status" : reasons)"))
        case .canceled:
            continuation.yield(.failed(op, "\(Self.subject(op)): \(reasons.isEmpty ? "tracking canceled" : reasons)"))
        }
    }

    static func subject(_ op: Operation) -> String { op.resource.map { "\($0)" } ?? op.id }

    /// Kinds ready once they exist (Tracking's rules), not worth an informer.
    static let readyOnceApplied: Set<String> = [
        "ConfigMap", "Secret", "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "Service",
        "Ingress", "NetworkPolicy", "LimitRange", "ResourceQuota", "PriorityClass", "CronJob", "Namespace",
        "HorizontalPodAutoscaler",
    ]
}

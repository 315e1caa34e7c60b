import Foundation
import Structured
import Testing
@testable import Tracking

/// The engine fed informer events by hand, in the orders a loaded machine produces: the shared
/// informer still holds the object from before the apply when the session starts.
@Suite struct TrackingEngineTests {
    static let deployments = TrackingFeed(apiVersion: "apps/v1", kind: "Deployment", namespace: "default")
    static let replicaSets = TrackingFeed(apiVersion: "apps/v1", kind: "ReplicaSet", namespace: "default")
    static let pods = TrackingFeed(apiVersion: "v1", kind: "Pod", namespace: "default")
    static let jobs = TrackingFeed(apiVersion: "batch/v1", kind: "Job", namespace: "default")

    /// Every event the engine emits.
    final class Emitted: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [TrackingEvent] = []
        func append(_ e: TrackingEvent) { lock.withLock { list.append(e) } }
        var states: [ResourceState] {
            lock.withLock { list.compactMap { if case .state(_, let s) = $0 { return s } else { return nil } } }
        }
    }

    static func engine(tracking object: Value, goal: TrackingGoal = .ready) -> (TrackingEngine, Emitted) {
        var target = TrackedTarget(index: 0, id: ResourceID(object), goal: goal, annotations: TrackingAnnotations())
        target.incarnation = Incarnation(object)
        let emitted = Emitted()
        let engine = TrackingEngine(targets: [target], options: TrackingOptions(), emit: { emitted.append($0) }, follow: { _ in })
        return (engine, emitted)
    }

    static func deployment(generation: Int64, status: Value, uid: String = "u1") -> Value {
        var d = Manifests.deployment("web")
        d["metadata"]?["uid"] = .string(uid)
        d["metadata"]?["generation"] = .int(generation)
        d["metadata"]?["resourceVersion"] = .string(String(10 + generation))
        d["status"] = status
        return d
    }

    /// The upgrade's apply returned generation 2 (its status still generation 1's); the informer has
    /// only delivered generation 1, rolled out. That cached object must not decide, and above all
    /// must not come back as something the rules call ready.
    @Test func aCachedOlderGenerationIsNotTakenForTheAppliedOne() async {
        let applied = Self.deployment(generation: 2, status: Manifests.rolledOut(1, generation: 1))
        let (engine, emitted) = Self.engine(tracking: applied)
        await engine.apply(.added(Self.deployment(generation: 1, status: Manifests.rolledOut(1, generation: 1))), feed: Self.deployments)
        for feed in [Self.deployments, Self.replicaSets, Self.pods] { await engine.apply(.synced, feed: feed) }
        await engine.tick()
        #expect(await engine.final == nil)
        #expect(!emitted.states.contains { $0.phase == .ready })
        #expect(emitted.states.last?.phase == .progressing)
        #expect(emitted.states.last?.waitingFor == ["informer generation 1 should be >= 2"])

        // The apply's own version arrives: the controller has not looked at it yet.
        await engine.apply(.modified(applied), feed: Self.deployments)
        #expect(await engine.final == nil)
        #expect(emitted.states.last?.waitingFor.first == "observed generation 1 should be >= 2")

        // Generation 2 rolled out: now it is ready.
        await engine.apply(.modified(Self.deployment(generation: 2, status: Manifests.rolledOut(1, generation: 2))), feed: Self.deployments)
        #expect(await engine.final?.result.outcomes.map(\.kind) == [.ready])
    }

    /// A Job deleted and created again: the completed one of the old uid in the cache is not the one tracked.
    @Test func aCachedObjectOfAnotherUIDIsNotTakenForTheAppliedOne() async {
        var recreated = Manifests.job("hook")
        recreated["metadata"]?["uid"] = "new"
        recreated["metadata"]?["generation"] = 1
        var old = recreated
        old["metadata"]?["uid"] = "old"
        old["status"] = Manifests.completeJob
        let (engine, emitted) = Self.engine(tracking: recreated, goal: .completed)
        await engine.apply(.added(old), feed: Self.jobs)
        for feed in [Self.jobs, Self.pods] { await engine.apply(.synced, feed: feed) }
        #expect(await engine.final == nil)
        #expect(!emitted.states.contains { $0.phase == .ready })
        #expect(emitted.states.last?.waitingFor == ["the re-created resource should be seen"])

        var done = recreated
        done["status"] = Manifests.completeJob
        await engine.apply(.modified(done), feed: Self.jobs)
        #expect(await engine.final?.result.outcomes.map(\.kind) == [.ready])
    }

    /// The old incarnation is gone from the cache before the new one shows: still only waiting.
    @Test func anOlderIncarnationDeletedBeforeTheNewOneArrivesIsWaitedFor() async {
        let applied = Self.deployment(generation: 2, status: [:])
        let (engine, emitted) = Self.engine(tracking: applied)
        let stale = Self.deployment(generation: 1, status: Manifests.rolledOut(1, generation: 1))
        await engine.apply(.added(stale), feed: Self.deployments)
        await engine.apply(.synced, feed: Self.deployments)
        await engine.apply(.deleted(stale), feed: Self.deployments)
        #expect(await engine.final == nil)
        #expect(emitted.states.allSatisfy { $0.phase == .progressing })
    }
}

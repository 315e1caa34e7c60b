import Foundation
import Structured
@testable import KubeSim

/// A store with the whole simulation running on it (fast clock), for controller tests without HTTP.
struct SimulationHarness {
    let store: ObjectStore
    let simulation: ClusterSimulation

    var clock: SimClock { simulation.options.clock }

    static func with(scale: Double = 20, podStartDelay: Double = 0.5, nodes: [String] = ["kubesim-node-1", "kubesim-node-2"],
                     _ body: (SimulationHarness) async throws -> Void) async throws {
        let store = await ObjectStore()
        let simulation = ClusterSimulation(SimulationOptions(nodes: nodes, podStartDelay: podStartDelay, clock: SimClock(scale: scale)))
        let harness = SimulationHarness(store: store, simulation: simulation)
        let running = Task { await withDiscardingTaskGroup { group in
            for controller in simulation.controllers() { group.addTask { await controller.run(store: store) } }
        } }
        do {
            try await body(harness)
        } catch {
            running.cancel()
            await running.value
            throw error
        }
        running.cancel()
        await running.value
    }

    @discardableResult
    func create(_ type: ResourceType, _ yamlText: String) async throws -> Value {
        let object = try YAML.decode(yamlText, mode: .manifest)
        return try await store.create(type, namespace: object.namespace.isEmpty && type.namespaced ? "default" : (type.namespaced ? object.namespace : nil), object: object)
    }

    func get(_ type: ResourceType, _ name: String, namespace: String = "default") async -> Value? {
        try? await store.get(type, namespace: type.namespaced ? namespace : nil, name: name)
    }

    func list(_ type: ResourceType, namespace: String? = "default") async -> [Value] {
        await store.all(type, namespace: namespace)
    }

    func pods(ownedBy owner: Value) async -> [Value] {
        await list(Kinds.pods, namespace: owner.namespace).filter { $0.isControlled(by: owner) }
    }

    func events(for name: String, namespace: String = "default") async -> [Value] {
        await list(Kinds.events, namespace: namespace).filter { $0[path: "involvedObject", "name"]?.stringValue == name }
    }

    /// The first event about `name` with `reason`.
    func event(for name: String, reason: String, namespace: String = "default") async -> Value? {
        let all = await events(for: name, namespace: namespace)
        for e in all where e["reason"]?.stringValue == reason { return e }
        return nil
    }

    /// Poll (every 20 ms real) until `check` holds; false after `timeout` real seconds (generous: the
    /// test machine is shared and a whole suite starts at once).
    func eventually(timeout: Double = 30, _ check: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while ContinuousClock.now < deadline {
            if try await check() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try await check()
    }

    /// Wait until `object` of `type` satisfies `check`; returns the last state seen.
    func waitFor(_ type: ResourceType, _ name: String, namespace: String = "default", timeout: Double = 30,
                 _ check: (Value) -> Bool) async -> Value? {
        var last: Value?
        _ = await eventually(timeout: timeout) {
            last = await get(type, name, namespace: namespace)
            return last.map(check) ?? false
        }
        return last
    }
}

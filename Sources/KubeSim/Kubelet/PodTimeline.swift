import Crypto
import Foundation
import Structured

/// A whole pod as a pure function of time since scheduling: init containers one after another,
/// then the app containers; phase, conditions and container statuses derived from them.
struct PodTimeline: Sendable {
    let podName: String
    let namespace: String
    let uid: String
    let restartPolicy: String
    let initContainers: [ContainerTimeline]
    let containers: [ContainerTimeline]
    /// When the app containers begin (all init containers done); infinite if never.
    let appStart: Double

    init(pod: Value, startDelay: Double) {
        podName = pod.name
        namespace = pod.namespace
        uid = pod.uid
        let policy = pod[path: "spec", "restartPolicy"]?.stringValue ?? "Always"
        restartPolicy = policy
        let behavior = PodBehavior(pod.annotations[PodBehavior.annotation])
        func make(_ spec: Value, isInit: Bool, created: Double, failInit: Bool) -> ContainerTimeline {
            let name = spec["name"]?.stringValue ?? ""
            // Pod-wide scripting is for app containers; init containers follow only tokens naming them.
            var b = isInit ? behavior.containerOnly(name) : behavior.container(name)
            if failInit { b.exitCode = 1 }
            let image = spec["image"]?.stringValue ?? ""
            let always = spec["imagePullPolicy"]?.stringValue == "Always"
            return ContainerTimeline(name: name, image: image, isInit: isInit, behavior: b,
                                     restartPolicy: isInit && policy == "Always" ? "OnFailure" : policy,
                                     pullAlways: always, created: created, startDelay: startDelay)
        }
        var inits: [ContainerTimeline] = []
        var at: Double? = 0
        for (i, spec) in (pod[path: "spec", "initContainers"]?.arrayValue ?? []).enumerated() {
            let timeline = make(spec, isInit: true, created: at ?? .infinity, failInit: behavior.initFail && i == 0)
            inits.append(timeline)
            at = at == nil ? nil : timeline.completion
        }
        initContainers = inits
        let mainStart = at ?? .infinity
        appStart = mainStart
        containers = (pod[path: "spec", "containers"]?.arrayValue ?? []).map { make($0, isInit: false, created: mainStart, failInit: false) }
    }

    /// Seconds at which all init containers completed (the app containers begin), nil if never.
    var initializedAt: Double? { appStart.isFinite ? appStart : nil }

    struct Status: Sendable {
        var phase: String
        var initialized: Bool
        var containersReady: Bool
        var initStatuses: [ContainerTimeline.Snapshot]
        var statuses: [ContainerTimeline.Snapshot]
        var terminal: Bool { phase == "Succeeded" || phase == "Failed" }
    }

    func status(at t: Double) -> Status {
        let initialized = (initializedAt ?? .infinity) <= t
        let initStatuses = initContainers.map { $0.snapshot(at: t, podName: podName, initializing: $0.created > t) }
        let statuses = containers.map { $0.snapshot(at: t, podName: podName, initializing: !initialized) }
        let initFailedForGood = initStatuses.contains { $0.finished && ($0.exitCode ?? 0) != 0 }
        var phase = "Pending"
        if initFailedForGood {
            phase = "Failed"
        } else if initialized, !statuses.isEmpty {
            if statuses.allSatisfy(\.finished) {
                phase = statuses.allSatisfy({ $0.exitCode == 0 }) ? "Succeeded" : "Failed"
            } else if statuses.contains(where: \.everStarted) {
                phase = "Running"
            }
        }
        let ready = initialized && !statuses.isEmpty && statuses.allSatisfy(\.ready) && phase == "Running"
        return Status(phase: phase, initialized: initialized, containersReady: ready, initStatuses: initStatuses, statuses: statuses)
    }

    func events(until t: Double) -> [ContainerTimeline.TimedEvent] {
        (initContainers + containers).flatMap { $0.events(until: t, pod: podName, namespace: namespace, uid: uid) }
            .sorted { $0.time < $1.time }
    }

    func nextChange(after t: Double) -> Double? {
        (initContainers + containers).compactMap { $0.nextChange(after: t) }.filter(\.isFinite).min()
    }

    func container(named name: String) -> ContainerTimeline? {
        containers.first { $0.name == name } ?? initContainers.first { $0.name == name }
    }

    // MARK: - Status objects

    /// The pod `status` at `t`, carrying condition transition times over from `old`.
    func statusObject(at t: Double, base: Date, old: Value, hostIP: String, podIP: String, qosClass: String, now: String) -> Value {
        let s = status(at: t)
        var conditions = old["conditions"]?.arrayValue ?? []
        let notReadyNames = containers.enumerated().filter { !s.statuses[$0.offset].ready }.map(\.element.name)
        let initPending = initContainers.enumerated().filter { !(s.initStatuses[$0.offset].finished && s.initStatuses[$0.offset].exitCode == 0) }.map(\.element.name)
        let completed = s.terminal
        setCondition(&conditions, type: "PodReadyToStartContainers", status: completed ? "False" : "True", reason: nil, message: nil, now: now, probeTime: true)
        setCondition(&conditions, type: "Initialized", status: s.initialized ? "True" : "False",
                     reason: s.initialized ? nil : "ContainersNotInitialized",
                     message: s.initialized ? nil : "containers with incomplete status: [\(initPending.joined(separator: " "))]", now: now, probeTime: true)
        let readyReason = completed ? "PodCompleted" : "ContainersNotReady"
        let readyMessage = completed ? nil : "containers with unready status: [\(notReadyNames.joined(separator: " "))]"
        setCondition(&conditions, type: "Ready", status: s.containersReady ? "True" : "False",
                     reason: s.containersReady ? nil : readyReason, message: s.containersReady ? nil : readyMessage, now: now, probeTime: true)
        setCondition(&conditions, type: "ContainersReady", status: s.containersReady ? "True" : "False",
                     reason: s.containersReady ? nil : readyReason, message: s.containersReady ? nil : readyMessage, now: now, probeTime: true)
        setCondition(&conditions, type: "PodScheduled", status: "True", reason: nil, message: nil, now: now, probeTime: true)
        let order = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
        conditions.sort { (order.firstIndex(of: $0["type"]?.stringValue ?? "") ?? 99) < (order.firstIndex(of: $1["type"]?.stringValue ?? "") ?? 99) }

        var status: Value = ["phase": .string(s.phase), "conditions": .array(conditions)]
        status["hostIP"] = .string(hostIP)
        status["hostIPs"] = [["ip": .string(hostIP)]]
        if !completed || old["podIP"] != nil {
            status["podIP"] = .string(podIP)
            status["podIPs"] = [["ip": .string(podIP)]]
        }
        status["startTime"] = old["startTime"] ?? .string(Timestamp.format(base))
        if !initContainers.isEmpty {
            status["initContainerStatuses"] = .array(zip(initContainers, s.initStatuses).map { containerStatus($0, $1, base: base) })
        }
        status["containerStatuses"] = .array(zip(containers, s.statuses).map { containerStatus($0, $1, base: base) })
        status["qosClass"] = .string(qosClass)
        return status
    }

    private func containerID(_ c: ContainerTimeline, _ run: Int) -> String {
        let digest = SHA256.hash(data: Data("\(uid)/\(c.name)/\(run)".utf8))
        return "containerd://" + digest.map { String(format: "%02x", $0) }.joined()
    }

    private func imageID(_ c: ContainerTimeline) -> String {
        let ref = ImageRef(c.image)
        let digest = SHA256.hash(data: Data(ref.full.utf8)).map { String(format: "%02x", $0) }.joined()
        let repo = ref.full.split(separator: ":").dropLast().joined(separator: ":")
        return "\(ref.full.contains("@") ? ref.full : repo)@sha256:\(digest)"
    }

    private func terminated(_ c: ContainerTimeline, _ run: ContainerTimeline.Instance, base: Date) -> Value {
        [
            "containerID": .string(containerID(c, run.index)), "exitCode": .int(Int64(run.exitCode)),
            "finishedAt": .string(Timestamp.format(base.addingTimeInterval(run.end ?? run.start))),
            "reason": .string(run.exitCode == 0 ? "Completed" : "Error"),
            "startedAt": .string(Timestamp.format(base.addingTimeInterval(run.start))),
        ]
    }

    private func containerStatus(_ c: ContainerTimeline, _ s: ContainerTimeline.Snapshot, base: Date) -> Value {
        var status: Value = [:]
        let current: Int? = {
            switch s.state {
            case .running: return s.restartCount
            case .terminated(let run): return run.index
            case .waiting: return s.lastTerminated?.index
            }
        }()
        if let current { status["containerID"] = .string(containerID(c, current)) }
        status["image"] = .string(ImageRef(c.image).full)
        status["imageID"] = .string(s.everStarted ? imageID(c) : "")
        status["lastState"] = s.lastTerminated.map { run -> Value in ["terminated": terminated(c, run, base: base)] } ?? .object([:])
        status["name"] = .string(c.name)
        status["ready"] = .bool(s.ready)
        status["restartCount"] = .int(Int64(s.restartCount))
        if case .running = s.state { status["started"] = true } else { status["started"] = false }
        switch s.state {
        case .waiting(let reason, let message):
            var w: Value = ["reason": .string(reason)]
            if let message { w["message"] = .string(message) }
            status["state"] = ["waiting": w]
        case .running(let since):
            status["state"] = ["running": ["startedAt": .string(Timestamp.format(base.addingTimeInterval(since)))]]
        case .terminated(let run):
            status["state"] = ["terminated": terminated(c, run, base: base)]
        }
        return status
    }
}

extension PodBehavior {
    /// Only the tokens addressed to this container by name (init containers ignore pod-wide ones).
    func containerOnly(_ name: String) -> ContainerBehavior {
        var behavior = ContainerBehavior()
        for token in perContainerTokens(name) { behavior.apply(token) }
        return behavior
    }
}

import Foundation

/// The life of one container as a pure function of time (seconds since the pod was scheduled):
/// image pull, runs (instances) with their exits, restarts with back-off, readiness, events and logs.
/// The kubelet samples it to write status; the log endpoint samples it to print lines.
struct ContainerTimeline: Sendable {
    let name: String
    let image: String
    let isInit: Bool
    let behavior: ContainerBehavior
    let restartPolicy: String
    let pullAlways: Bool
    /// When the kubelet begins creating this container (pulling), and how long creation takes.
    let created: Double
    let startDelay: Double

    struct Instance: Sendable {
        var index: Int
        var start: Double
        var end: Double?
        var exitCode: Int
    }

    var fieldPath: String { isInit ? "spec.initContainers{\(name)}" : "spec.containers{\(name)}" }

    /// Crash-loop back-off before restart `k + 1`, as the kubelet's (10 s doubling, 5 min cap).
    static func backoff(_ k: Int) -> Double { min(10 * pow(2, Double(min(k, 10))), 300) }

    /// How long each run lasts and its exit code; nil runs forever.
    var run: (duration: Double, code: Int)? {
        if behavior.crashLoop { return (behavior.exitAfter ?? 1, behavior.exitCode ?? 1) }
        if let code = behavior.exitCode { return (behavior.exitAfter ?? (isInit ? startDelay : 1), code) }
        if isInit { return (behavior.exitAfter ?? startDelay, 0) }
        if restartPolicy != "Always" { return (behavior.exitAfter ?? 1, 0) }
        return nil
    }

    func restarts(after code: Int) -> Bool {
        if isInit { return code != 0 && restartPolicy != "Never" }
        switch restartPolicy {
        case "Never": return false
        case "OnFailure": return code != 0
        default: return true
        }
    }

    var blocked: Bool { behavior.imagePullError || behavior.createConfigError }

    /// Runs that started at or before `t`.
    func instances(until t: Double) -> [Instance] {
        guard !blocked else { return [] }
        var list: [Instance] = []
        var start = created + startDelay
        while start <= t, list.count < 10_000 {
            guard let run else { list.append(Instance(index: list.count, start: start, end: nil, exitCode: 0)); break }
            let instance = Instance(index: list.count, start: start, end: start + run.duration, exitCode: run.code)
            list.append(instance)
            guard restarts(after: run.code) else { break }
            start = instance.end! + Self.backoff(instance.index)
        }
        return list
    }

    /// When an init container first exits 0 (the next one may start), nil if never.
    var completion: Double? {
        guard !blocked, let run, run.code == 0 else { return nil }
        return created + startDelay + run.duration
    }

    /// Image pull attempts (image-pull-error): attempt k fails at `created + startDelay + pulls[k]`.
    func pullAttempts(until t: Double) -> [Double] {
        var list: [Double] = [], at = created + startDelay
        while at <= t, list.count < 10_000 {
            list.append(at)
            at += 1 + Self.backoff(list.count - 1)
        }
        return list
    }

    struct Snapshot: Sendable {
        enum State: Sendable {
            case waiting(reason: String, message: String?)
            case running(since: Double)
            case terminated(Instance)
        }
        var state: State
        var lastTerminated: Instance?
        var restartCount: Int
        var ready: Bool
        var everStarted: Bool
        /// Terminated and will not run again.
        var finished: Bool
        var exitCode: Int?
    }

    func snapshot(at t: Double, podName: String, initializing: Bool) -> Snapshot {
        if t < created + startDelay || initializing {
            let reason = initializing || isInit ? "PodInitializing" : "ContainerCreating"
            return Snapshot(state: .waiting(reason: isInit && !initializing ? "PodInitializing" : reason, message: nil),
                            lastTerminated: nil, restartCount: 0, ready: false, everStarted: false, finished: false)
        }
        if behavior.createConfigError {
            return Snapshot(state: .waiting(reason: "CreateContainerConfigError", message: configErrorMessage),
                            lastTerminated: nil, restartCount: 0, ready: false, everStarted: false, finished: false)
        }
        if behavior.imagePullError {
            let last = pullAttempts(until: t).last ?? t
            let state: Snapshot.State = t < last + 1
                ? .waiting(reason: "ErrImagePull", message: pullErrorMessage)
                : .waiting(reason: "ImagePullBackOff", message: "Back-off pulling image \"\(image)\": ErrImagePull: \(pullErrorMessage)")
            return Snapshot(state: state, lastTerminated: nil, restartCount: 0, ready: false, everStarted: false, finished: false)
        }
        let runs = instances(until: t)
        guard let current = runs.last else {
            return Snapshot(state: .waiting(reason: "ContainerCreating", message: nil), lastTerminated: nil,
                            restartCount: 0, ready: false, everStarted: false, finished: false)
        }
        let previous = runs.count > 1 ? runs[runs.count - 2] : nil
        if current.end == nil || current.end! > t {
            let ready = !isInit && !behavior.neverReady && t >= current.start + behavior.readyAfter
            return Snapshot(state: .running(since: current.start), lastTerminated: previous, restartCount: current.index,
                            ready: ready, everStarted: true, finished: false)
        }
        if restarts(after: current.exitCode) {
            let wait = Self.backoff(current.index)
            let message = "back-off \(Int(wait))s restarting failed container=\(name) pod=\(podName)"
            return Snapshot(state: .waiting(reason: "CrashLoopBackOff", message: message), lastTerminated: current,
                            restartCount: current.index + 1, ready: false, everStarted: true, finished: false)
        }
        return Snapshot(state: .terminated(current), lastTerminated: previous, restartCount: current.index,
                        ready: isInit && current.exitCode == 0, everStarted: true, finished: true, exitCode: current.exitCode)
    }

    var pullErrorMessage: String {
        let ref = ImageRef(image)
        return "rpc error: code = NotFound desc = failed to pull and unpack image \"\(ref.full)\": failed to resolve reference \"\(ref.full)\": \(ref.full): not found"
    }

    var configErrorMessage: String { "configmap \"\(name)-config\" not found" }

    struct TimedEvent: Sendable {
        var time: Double
        var warning: Bool
        var reason: String
        var message: String
        var fieldPath = ""
    }

    /// The kubelet's events for this container up to `t`, in time order.
    func events(until t: Double, pod: String, namespace: String, uid: String) -> [TimedEvent] {
        rawEvents(until: t, pod: pod, namespace: namespace, uid: uid).map { var e = $0; e.fieldPath = fieldPath; return e }
    }

    private func rawEvents(until t: Double, pod: String, namespace: String, uid: String) -> [TimedEvent] {
        var list: [TimedEvent] = []
        guard t >= created else { return list }
        if behavior.imagePullError {
            for at in pullAttempts(until: t) {
                list.append(.init(time: at - min(startDelay, 0.1), warning: false, reason: "Pulling", message: "Pulling image \"\(image)\""))
                list.append(.init(time: at, warning: true, reason: "Failed", message: "Failed to pull image \"\(image)\": \(pullErrorMessage)"))
                list.append(.init(time: at, warning: true, reason: "Failed", message: "Error: ErrImagePull"))
                if at + 1 <= t {
                    list.append(.init(time: at + 1, warning: false, reason: "BackOff", message: "Back-off pulling image \"\(image)\""))
                    list.append(.init(time: at + 1, warning: true, reason: "Failed", message: "Error: ImagePullBackOff"))
                }
            }
            return list
        }
        let pulledAt = created + startDelay
        if pullAlways {
            list.append(.init(time: created, warning: false, reason: "Pulling", message: "Pulling image \"\(image)\""))
            if pulledAt <= t {
                let ms = Int(startDelay * 1000)
                list.append(.init(time: pulledAt, warning: false, reason: "Pulled",
                                  message: "Successfully pulled image \"\(image)\" in \(ms)ms (\(ms)ms including waiting). Image size: 0 bytes."))
            }
        } else if pulledAt <= t {
            list.append(.init(time: pulledAt, warning: false, reason: "Pulled", message: "Container image \"\(image)\" already present on machine"))
        }
        if behavior.createConfigError {
            if pulledAt <= t { list.append(.init(time: pulledAt, warning: true, reason: "Failed", message: "Error: \(configErrorMessage)")) }
            return list
        }
        for run in instances(until: t) {
            if run.index > 0 {
                list.append(.init(time: run.start, warning: false, reason: "Pulled", message: "Container image \"\(image)\" already present on machine"))
            }
            list.append(.init(time: run.start, warning: false, reason: "Created", message: "Created container: \(name)"))
            list.append(.init(time: run.start, warning: false, reason: "Started", message: "Started container \(name)"))
            if let end = run.end, end <= t, restarts(after: run.exitCode) {
                list.append(.init(time: end, warning: true, reason: "BackOff",
                                  message: "Back-off restarting failed container \(name) in pod \(pod)_\(namespace)(\(uid))"))
            }
        }
        return list
    }

    /// Log lines of one run up to `t`: a start line, then the scripted lines every `logEvery`.
    func logLines(of run: Instance, until t: Double) -> [(time: Double, text: String)] {
        let last = min(t, run.end ?? t)
        guard run.start <= last else { return [] }
        var lines: [(time: Double, text: String)] = [(run.start, "kubesim: container \(name) started (image \(image))")]
        guard !behavior.logLines.isEmpty else { return lines }
        var at = run.start, tick = 0
        while at <= last, tick < 100_000 {
            for text in behavior.logLines { lines.append((at, text)) }
            guard let every = behavior.logEvery else { break }
            tick += 1
            at = run.start + Double(tick) * every
        }
        return lines
    }

    /// Times after `t` at which the status changes (for the kubelet's next look).
    func nextChange(after t: Double) -> Double? {
        var candidates: [Double] = [created, created + startDelay]
        if behavior.imagePullError {
            for at in pullAttempts(until: t + 400) { candidates += [at, at + 1] }
        } else {
            for run in instances(until: t + 400) {
                candidates += [run.start, run.start + behavior.readyAfter]
                if let end = run.end { candidates.append(end) }
            }
        }
        return candidates.filter { $0 > t }.min()
    }
}

/// An image reference split the way containerd reports it.
struct ImageRef {
    let full: String
    init(_ image: String) {
        var name = image
        if !name.contains(":") && !name.contains("@") { name += ":latest" }
        let first = name.split(separator: "/").first.map(String.init) ?? ""
        if !name.contains("/") {
            name = "docker.io/library/" + name
        } else if !(first.contains(".") || first.contains(":") || first == "localhost") {
            name = "docker.io/" + name
        }
        full = name
    }
}

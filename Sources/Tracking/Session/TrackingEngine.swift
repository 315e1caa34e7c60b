import Kube
import Structured

/// The session's state: what the informers delivered, the decision for every target, timers, and
/// which container logs to follow. All I/O happens outside; this actor only decides and emits.
actor TrackingEngine {
    private let targets: [TrackedTarget]
    private var records: [TargetRecord]
    private let options: TrackingOptions
    private let emit: @Sendable (TrackingEvent) -> Void
    private let follow: @Sendable (FollowRequest) -> Void
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    /// bucket (`apps/v1/Deployment`) -> namespace -> name -> object.
    private var objects: [String: [String: [String: Value]]] = [:]
    /// Feeds whose initial list has been delivered (`bucket|namespace`).
    private var synced: Set<String> = []
    /// `Kind|namespace|name` -> targets, to route objects and Events.
    private var byKindName: [String: [Int]] = [:]
    private var podOwnersByNamespace: [String: [Int]] = [:]

    private(set) var final: (result: TrackingResult, tails: [TailRequest])?

    init(
        targets: [TrackedTarget], options: TrackingOptions, emit: @escaping @Sendable (TrackingEvent) -> Void,
        follow: @escaping @Sendable (FollowRequest) -> Void
    ) {
        self.targets = targets
        self.records = Array(repeating: TargetRecord(), count: targets.count)
        self.options = options
        self.emit = emit
        self.follow = follow
        self.start = clock.now
        for t in targets {
            byKindName[t.id.kind + "|" + t.namespace + "|" + t.id.name, default: []].append(t.index)
            if TrackedTarget.podOwnerKinds.contains(t.id.kind) { podOwnersByNamespace[t.namespace, default: []].append(t.index) }
        }
    }

    var elapsed: Double {
        let d = clock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    // MARK: Informer input

    func apply(_ event: InformerEvent, feed: TrackingFeed) {
        guard final == nil else { return }
        let bucket = feed.bucket
        let object: Value
        var deleted = false
        switch event {
        case .added(let o), .modified(let o): object = o
        case .deleted(let o): object = o; deleted = true
        case .synced:
            let first = !synced.contains(feed.key)
            synced.insert(feed.key)
            if first { for t in targets where t.bucket == bucket && t.namespace == (feed.namespace ?? "") { decide(t.index) } }
            return checkDone()
        }
        let namespace = object[path: "metadata", "namespace"]?.stringValue ?? ""
        let name = Meta.name(object)
        if deleted {
            objects[bucket, default: [:]][namespace, default: [:]][name] = nil
        } else {
            objects[bucket, default: [:]][namespace, default: [:]][name] = object
        }
        let kind = object["kind"]?.stringValue ?? feed.kind
        var affected: [Int] = []
        if bucket == TrackingFeed.eventBucket {
            affected = targetsConcerned(byEvent: object, namespace: namespace)
            if !deleted, synced.contains(feed.key) { show(event: object, to: affected) }
        } else {
            affected = byKindName[kind + "|" + namespace + "|" + name] ?? []
            if bucket == TrackingFeed.podBucket { affected += owners(ofPod: object, namespace: namespace) }
            if bucket == TrackingFeed.replicaSetBucket { affected += deployments(owning: object, namespace: namespace) }
        }
        var seen: Set<Int> = []
        for i in affected where seen.insert(i).inserted {
            if byKindName[kind + "|" + namespace + "|" + name]?.contains(i) == true || bucket == TrackingFeed.eventBucket {
                records[i].lastActivity = elapsed  // no-activity timer: the object or an Event about it moved
            }
            decide(i)
        }
        checkDone()
    }

    /// Targets an Event is about: the object itself, or the owners of the pod it is about.
    private func targetsConcerned(byEvent event: Value, namespace: String) -> [Int] {
        let involved = event["involvedObject"] ?? .null
        let kind = involved["kind"]?.stringValue ?? ""
        let name = involved["name"]?.stringValue ?? ""
        let ns = involved["namespace"]?.stringValue ?? namespace
        var result = byKindName[kind + "|" + ns + "|" + name] ?? []
        if kind == "Pod" {
            for i in podOwnersByNamespace[ns] ?? [] where records[i].podNames.contains(name) { result.append(i) }
            if let pod = objects[TrackingFeed.podBucket]?[ns]?[name] { result += owners(ofPod: pod, namespace: ns) }
        }
        return result
    }

    /// Pod-owning targets a pod may belong to: by owner reference (a Deployment through its
    /// ReplicaSet's name), by name already seen, or any owner when the pod has no owner (selector).
    private func owners(ofPod pod: Value, namespace: String) -> [Int] {
        let candidates = podOwnersByNamespace[namespace] ?? []
        guard !candidates.isEmpty else { return [] }
        let name = Meta.name(pod)
        let references = pod[path: "metadata", "ownerReferences"]?.arrayValue ?? []
        if references.isEmpty { return candidates }
        return candidates.filter { i in
            let t = targets[i]
            if records[i].podNames.contains(name) { return true }
            return references.contains { ref in
                let refKind = ref["kind"]?.stringValue ?? ""
                let refName = ref["name"]?.stringValue ?? ""
                if refKind == t.id.kind && refName == t.id.name { return true }
                return t.id.kind == "Deployment" && refKind == "ReplicaSet" && refName.hasPrefix(t.id.name + "-")
            }
        }
    }

    private func deployments(owning rs: Value, namespace: String) -> [Int] {
        let name = Meta.name(rs)
        return (podOwnersByNamespace[namespace] ?? []).filter {
            targets[$0].id.kind == "Deployment" && (name.hasPrefix(targets[$0].id.name + "-") || Meta.isOwned(rs, by: objectOf($0) ?? .null))
        }
    }

    /// The target's object as last seen, unless it is an older incarnation than the one tracked.
    private func objectOf(_ i: Int) -> Value? {
        let t = targets[i]
        guard let object = objects[t.bucket]?[t.namespace]?[t.id.name] else { return nil }
        // No `cond ? object : nil`: Value is ExpressibleByNilLiteral, so that nil is `Value.null`
        // and a refused incarnation came back as a kind-less object the generic rule calls ready.
        guard t.goal == .absent || t.incarnation.accepts(object) else { return nil }
        return object
    }

    // MARK: Deciding

    private func snapshot(_ i: Int, object: Value) -> ResourceSnapshot {
        let t = targets[i]
        let ns = t.namespace
        var snapshot = ResourceSnapshot(object: object)
        let events = objects[TrackingFeed.eventBucket]?[t.eventNamespace] ?? [:]
        if t.hasPods {
            snapshot.pods = Array((objects[TrackingFeed.podBucket]?[ns] ?? [:]).values)
            if t.id.kind == "Deployment" { snapshot.replicaSets = Array((objects[TrackingFeed.replicaSetBucket]?[ns] ?? [:]).values) }
            snapshot.events = events.values.filter { e in
                let kind = e[path: "involvedObject", "kind"]?.stringValue
                return kind == "Pod" || (kind == t.id.kind && e[path: "involvedObject", "name"]?.stringValue == t.id.name)
            }
        } else {
            snapshot.events = events.values.filter {
                $0[path: "involvedObject", "kind"]?.stringValue == t.id.kind && $0[path: "involvedObject", "name"]?.stringValue == t.id.name
            }
        }
        return snapshot
    }

    /// Re-decide one target from the cache and emit what changed.
    private func decide(_ i: Int) {
        guard records[i].outcome == nil else { return }
        let t = targets[i]
        let feedSynced = synced.contains(TrackingFeed.key(bucket: t.bucket, namespace: t.namespace))
        guard let object = objectOf(i) else {
            guard feedSynced else { return }
            if t.goal == .absent {
                var gone = ResourceState(phase: .ready)
                gone.goal = .absent
                publish(i, gone)
                resolve(i, ResourceOutcome(id: t.id, kind: .absent, seconds: elapsed))
            } else if let stale = objects[t.bucket]?[t.namespace]?[t.id.name] {
                var waiting = ResourceState(phase: .progressing, waitingFor: [Self.staleText(stale, wanted: t.incarnation)])
                waiting.goal = t.goal
                publish(i, waiting)
            } else {
                var missing = ResourceState(phase: .progressing, waitingFor: [t.goal == .present ? "resource should exist" : "resource should be created"])
                missing.goal = t.goal
                publish(i, missing)
            }
            return
        }
        if t.goal == .present {
            var present = ResourceState(phase: .ready)
            present.goal = .present
            publish(i, present)
            return resolve(i, ResourceOutcome(id: t.id, kind: .ready, seconds: elapsed))
        }
        if t.goal == .absent {
            var waiting = ["resource should be gone"]
            let finalizers = (object[path: "metadata", "finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
            if object[path: "metadata", "deletionTimestamp"] != nil, !finalizers.isEmpty {
                waiting.append("finalizers: " + finalizers.joined(separator: ", "))
            }
            var state = ResourceState(phase: .progressing, waitingFor: waiting)
            state.goal = .absent
            publish(i, state)
            return
        }
        let raw = ReadinessRules.state(of: snapshot(i, object: object), annotations: t.annotations, goal: t.goal)
        records[i].raw = raw
        records[i].podNames = Set(raw.pods.map(\.name))
        weigh(i, raw)
        if records[i].outcome == nil, options.followLogs, t.hasPods, !t.annotations.skipLogs { requestLogs(i, raw) }
    }

    /// Why an object the informer holds does not count yet: it predates the apply being tracked.
    static func staleText(_ stale: Value, wanted: Incarnation) -> String {
        if let uid = wanted.uid, let seen = Meta.uid(stale), seen != uid { return "the re-created resource should be seen" }
        return "informer generation \(Meta.generation(stale) ?? 0) should be >= \(wanted.generation ?? 0)"
    }

    /// Accumulate errors, apply the fail mode, emit, resolve.
    private func weigh(_ i: Int, _ raw: ResourceState) {
        let t = targets[i]
        for e in raw.errors {
            let restarts = raw.pods.first { e.subject.hasPrefix("po/\($0.name)") }?.restarts ?? 0
            if records[i].errorKeys.insert(e.description + "#\(restarts)").inserted { records[i].errors.append(e) }
        }
        var state = raw
        state.errors = records[i].errors
        let count = records[i].errors.count
        let fatal = records[i].errors.contains(where: \.isFatal)
        if raw.phase != .ready {
            state.phase = .progressing
            if t.annotations.failMode != .ignoreAndContinueDeployProcess, fatal || count > raw.failuresAllowed {
                state.phase = .failed
            }
        }
        if state.phase == .failed, t.annotations.failMode == .hopeUntilEndOfDeployProcess, othersActive(besides: i) {
            state.phase = .progressing
            if !records[i].hoping {
                records[i].hoping = true
                emit(.notice(t.id, Notice(.warning, "\(t.id.short) has errors; hoping it recovers until the other resources are done")))
            }
        }
        announceErrors(i, state, fatal: fatal)
        publish(i, state)
        switch state.phase {
        case .ready:
            resolve(i, ResourceOutcome(id: t.id, kind: .ready, seconds: elapsed))
        case .failed:
            showWarnings(of: i)
            resolve(i, ResourceOutcome(id: t.id, kind: .failed, reasons: state.errors.map(\.description), failsDeploy: true, seconds: elapsed))
        case .progressing:
            break
        }
    }

    /// kubedog's counting lines: `1/2 allowed errors occurred for deploy/x: continue tracking`.
    private func announceErrors(_ i: Int, _ state: ResourceState, fatal: Bool) {
        let t = targets[i]
        let count = state.errors.count
        guard count > records[i].announcedErrors else { return }
        records[i].announcedErrors = count
        if t.annotations.failMode == .ignoreAndContinueDeployProcess {
            emit(.notice(t.id, Notice(.warning, "\(count) errors occurred for \(t.id.short)")))
        } else if state.phase == .failed && !fatal {
            emit(.notice(t.id, Notice(.error, "Allowed failures count for \(t.id.short) exceeded \(state.failuresAllowed) errors: stop tracking immediately!")))
        } else if state.phase != .failed && count <= state.failuresAllowed {
            emit(.notice(t.id, Notice(.warning, "\(count)/\(state.failuresAllowed) allowed errors occurred for \(t.id.short): continue tracking")))
        }
    }

    private func publish(_ i: Int, _ state: ResourceState) {
        guard records[i].state != state else { return }
        records[i].state = state
        emit(.state(targets[i].id, state))
    }

    private func resolve(_ i: Int, _ outcome: ResourceOutcome) {
        guard records[i].outcome == nil else { return }
        records[i].outcome = outcome
        // Hoping resources are judged once nothing else is running.
        for j in targets.indices where records[j].hoping && records[j].outcome == nil && !othersActive(besides: j) {
            if let raw = records[j].raw { weigh(j, raw) }
        }
    }

    /// Whether a blocking target other than `i` is still undecided and not merely hoping.
    private func othersActive(besides i: Int) -> Bool {
        targets.indices.contains { j in
            j != i && targets[j].isBlocking && records[j].outcome == nil && !records[j].hoping
        }
    }

    // MARK: Events and logs

    private func show(event: Value, to indices: [Int]) {
        let uid = Meta.uid(event) ?? Meta.name(event)
        let count = Int(event["count"]?.intValue ?? 1)
        for i in Set(indices) where records[i].outcome == nil && targets[i].annotations.showServiceMessages {
            guard records[i].shownEvents.insert("\(uid)#\(count)").inserted else { continue }
            emit(.event(targets[i].id, Self.objectEvent(event, about: targets[i])))
        }
    }

    /// On failure, the Warning events of the resource and its pods that were not shown yet.
    private func showWarnings(of i: Int) {
        guard options.followEvents else { return }
        let t = targets[i]
        let events = (objects[TrackingFeed.eventBucket]?[t.eventNamespace] ?? [:]).values.filter { e in
            guard e["type"]?.stringValue == "Warning" else { return false }
            let kind = e[path: "involvedObject", "kind"]?.stringValue ?? ""
            let name = e[path: "involvedObject", "name"]?.stringValue ?? ""
            return (kind == t.id.kind && name == t.id.name) || (kind == "Pod" && records[i].podNames.contains(name))
        }
        let ordered = events.sorted { Self.eventTime($0) < Self.eventTime($1) || (Self.eventTime($0) == Self.eventTime($1) && Meta.name($0) < Meta.name($1)) }
        for e in ordered {
            let key = "\(Meta.uid(e) ?? Meta.name(e))#\(e["count"]?.intValue ?? 1)"
            guard records[i].shownEvents.insert(key).inserted else { continue }
            emit(.event(t.id, Self.objectEvent(e, about: t)))
        }
    }

    private static func eventTime(_ e: Value) -> String {
        e["lastTimestamp"]?.stringValue ?? e["eventTime"]?.stringValue ?? e[path: "metadata", "creationTimestamp"]?.stringValue ?? ""
    }

    static func objectEvent(_ e: Value, about t: TrackedTarget) -> ObjectEvent {
        let kind = e[path: "involvedObject", "kind"]?.stringValue ?? ""
        let name = e[path: "involvedObject", "name"]?.stringValue ?? ""
        let subject = kind == "Pod" && !(t.isPod && name == t.id.name) ? "po/\(name)" : ""
        return ObjectEvent(
            subject: subject, type: e["type"]?.stringValue ?? "Normal", reason: e["reason"]?.stringValue ?? "",
            message: e["message"]?.stringValue ?? "", count: Int(e["count"]?.intValue ?? 1))
    }

    /// Start followers for started containers of the first pods (nelm: `show-logs-only-for-number-of-replicas`).
    private func requestLogs(_ i: Int, _ state: ResourceState) {
        let t = targets[i]
        let podObjects = objects[TrackingFeed.podBucket]?[t.namespace] ?? [:]
        for pod in state.pods where pod.isNew && !records[i].logPods.contains(pod.name) {
            if let limit = t.logPodLimit, records[i].logPods.count >= limit { break }
            records[i].logPods.append(pod.name)
        }
        for name in records[i].logPods {
            guard let pod = podObjects[name] else { continue }
            let statuses = (pod[path: "status", "initContainerStatuses"]?.arrayValue ?? [])
                + (pod[path: "status", "containerStatuses"]?.arrayValue ?? [])
            for status in statuses {
                let container = status["name"]?.stringValue ?? ""
                guard t.filter.shows(container: container) else { continue }
                let started = status[path: "state", "running"] != nil || status[path: "state", "terminated"] != nil
                    || status[path: "lastState", "terminated"] != nil
                guard started, records[i].followed.insert(name + "/" + container).inserted else { continue }
                follow(FollowRequest(target: i, namespace: t.namespace, pod: name, container: container, lines: t.filter.lines(for: container)))
            }
        }
    }

    /// A follower's line (nil: only asking); false once the follower should stop (its resource is decided; Job pods
    /// keep going until their containers end).
    func log(_ i: Int, _ line: LogLine?) -> Bool {
        guard final == nil else { return false }
        if records[i].outcome != nil && !targets[i].isJob { return false }
        if let line { emit(.log(targets[i].id, line)) }
        return true
    }

    // MARK: Timers and the end

    /// Deadlines and no-activity timers; called every `tickInterval`.
    func tick() {
        guard final == nil else { return }
        let now = elapsed
        if let timeout = options.timeout, now >= timeout {
            for i in targets.indices where records[i].outcome == nil {
                expire(i, "timed out after \(GoDuration.string(timeout))")
            }
            return finish(timedOut: true)
        }
        for i in targets.indices where records[i].outcome == nil {
            let t = targets[i]
            if let limit = options.resourceTimeout, now >= limit, t.isBlocking {
                expire(i, "readiness timeout \(GoDuration.string(limit)) exceeded")
                continue
            }
            if t.hasNoActivityTimeout, objectOf(i) != nil, now - records[i].lastActivity >= t.annotations.noActivityTimeout {
                records[i].lastActivity = now
                records[i].noActivityExpiries += 1
                let failure = TrackingFailure(
                    reason: "NoActivity",
                    message: "marking resource as failed because no activity for \(GoDuration.string(t.annotations.noActivityTimeout))")
                if records[i].errorKeys.insert("no-activity#\(records[i].noActivityExpiries)").inserted { records[i].errors.append(failure) }
                if let raw = records[i].raw { weigh(i, raw) }
            }
        }
        checkDone()
    }

    /// A deadline passed: NonBlocking resources are canceled; the rest fail (without failing the
    /// deploy under IgnoreAndContinueDeployProcess).
    private func expire(_ i: Int, _ why: String) {
        let t = targets[i]
        guard t.isBlocking else {
            return resolve(i, ResourceOutcome(id: t.id, kind: .canceled, reasons: ["NonBlocking: " + why], seconds: elapsed))
        }
        let waiting = records[i].state?.waitingForText ?? ""
        let reason = waiting.isEmpty ? why : "\(why) waiting for: \(waiting)"
        let ignored = t.annotations.failMode == .ignoreAndContinueDeployProcess
        emit(.notice(t.id, Notice(ignored ? .warning : .error, "\(t.id.short): \(reason)")))
        var state = records[i].state ?? ResourceState(phase: .progressing)
        state.phase = .failed
        state.errors.append(TrackingFailure(reason: "Timeout", message: reason, isFatal: true))
        publish(i, state)
        if !ignored { showWarnings(of: i) }
        resolve(i, ResourceOutcome(
            id: t.id, kind: .failed, reasons: records[i].errors.map(\.description) + [reason], failsDeploy: !ignored, seconds: elapsed))
    }

    private func checkDone() {
        guard final == nil else { return }
        if let first = targets.indices.first(where: { records[$0].outcome?.failsDeploy == true }) {
            // FailWholeDeployProcessImmediately (and Hope, once judged): stop everything now.
            for i in targets.indices where records[i].outcome == nil {
                records[i].outcome = ResourceOutcome(
                    id: targets[i].id, kind: .canceled, reasons: ["stopped: \(targets[first].id.short) failed"], seconds: elapsed)
            }
            return finish(timedOut: false)
        }
        if targets.allSatisfy({ !$0.isBlocking || records[$0.index].outcome != nil }) {
            finish(timedOut: false)
        }
    }

    private func finish(timedOut: Bool) {
        guard final == nil else { return }
        for i in targets.indices where records[i].outcome == nil {
            records[i].outcome = ResourceOutcome(id: targets[i].id, kind: .canceled, reasons: ["NonBlocking: not waited for"], seconds: elapsed)
        }
        var tails: [TailRequest] = []
        for i in targets.indices where records[i].outcome?.kind == .failed {
            tails += tailRequests(i)
        }
        final = (TrackingResult(outcomes: records.compactMap(\.outcome), timedOut: timedOut), tails)
    }

    /// The containers named by a failed target's errors (at most two), for their last lines.
    private func tailRequests(_ i: Int) -> [TailRequest] {
        let t = targets[i]
        var requests: [TailRequest] = []
        var seen: Set<String> = []
        for e in records[i].errors {
            let parts = e.subject.split(separator: " ")
            guard parts.count == 2, parts[0].hasPrefix("po/"), parts[1].hasPrefix("container/") else { continue }
            let pod = String(parts[0].dropFirst(3))
            let container = String(parts[1].dropFirst(10))
            guard seen.insert(pod + "/" + container).inserted, requests.count < 2 else { continue }
            var previous = false
            if let object = objects[TrackingFeed.podBucket]?[t.namespace]?[pod] {
                let statuses = (object[path: "status", "containerStatuses"]?.arrayValue ?? [])
                    + (object[path: "status", "initContainerStatuses"]?.arrayValue ?? [])
                if let s = statuses.first(where: { $0["name"]?.stringValue == container }) {
                    previous = s[path: "state", "waiting"] != nil && s[path: "lastState", "terminated"] != nil
                }
            }
            requests.append(TailRequest(target: i, namespace: t.namespace, pod: pod, container: container, previous: previous))
        }
        if requests.isEmpty {
            // A failed Job condition names no container: take the containers that exited with an error.
            for name in records[i].state?.pods.map(\.name) ?? [] {
                guard requests.count < 2, let object = objects[TrackingFeed.podBucket]?[t.namespace]?[name] else { continue }
                let statuses = (object[path: "status", "initContainerStatuses"]?.arrayValue ?? [])
                    + (object[path: "status", "containerStatuses"]?.arrayValue ?? [])
                for s in statuses {
                    let current = s[path: "state", "terminated", "exitCode"]?.intValue
                    let last = s[path: "lastState", "terminated", "exitCode"]?.intValue
                    guard (current ?? 0) != 0 || (last ?? 0) != 0, let container = s["name"]?.stringValue, requests.count < 2 else { continue }
                    requests.append(TailRequest(target: i, namespace: t.namespace, pod: name, container: container, previous: current == nil))
                }
            }
        }
        if requests.isEmpty, let pod = records[i].state?.pods.last(where: \.isNew),
            let object = objects[TrackingFeed.podBucket]?[t.namespace]?[pod.name],
            let container = (object[path: "spec", "containers"]?.arrayValue ?? []).first?["name"]?.stringValue
        {
            // The failure arrived before the pod's own update: its first container is the best guess.
            requests.append(TailRequest(target: i, namespace: t.namespace, pod: pod.name, container: container, previous: false))
        }
        if requests.isEmpty, t.hasPods, !t.isPod {
            requests.append(TailRequest(target: i, namespace: t.namespace, pod: "", container: "", previous: false))
        }
        return requests
    }

    func target(_ i: Int) -> ResourceID { targets[i].id }
}

extension ResourceID {
    /// `Deployment/web` (kubedog writes `deploy/web`; the full kind reads better with CRDs).
    public var short: String { "\(kind)/\(name)" }
}

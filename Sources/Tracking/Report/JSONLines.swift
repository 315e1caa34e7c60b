import Structured

/// `--output json`: each event as one JSON object on one line, keys in a fixed order, for CI systems.
///
/// ```
/// {"type":"state","time":1.5,"resource":{"apiVersion":"apps/v1","kind":"Deployment","namespace":"prod","name":"web"},"phase":"progressing",...}
/// {"type":"log","time":2,"resource":{...},"pod":"web-5d8f7-abcde","container":"app","line":"listening"}
/// ```
enum JSONLines {
    static func line(_ event: TrackingEvent, time: Double) -> String {
        JSON.encode(value(event, time: time), sortKeys: false, escapeHTML: false)
    }

    static func value(_ event: TrackingEvent, time: Double) -> Value {
        let t = Value.double((time * 1000).rounded() / 1000)
        switch event {
        case .state(let id, let s):
            var counts: Value = [:]
            let c = s.counts
            for (key, n) in [("desired", c.desired), ("replicas", c.replicas), ("upToDate", c.upToDate), ("available", c.available),
                             ("ready", c.ready), ("active", c.active), ("succeeded", c.succeeded), ("failed", c.failed)] {
                if let n { counts[key] = .int(Int64(n)) }
            }
            if let field = c.watchedField { counts["watchedField"] = .string(field) }
            return [
                "type": "state", "time": t, "resource": resource(id), "phase": .string(s.phase.rawValue), "goal": .string(s.goal.rawValue),
                "waitingFor": .array(s.waitingFor.map(Value.string)), "errors": .array(s.errors.map(failure)),
                "failuresAllowed": .int(Int64(s.failuresAllowed)), "warnings": .array(s.warnings.map(Value.string)),
                "counts": counts,
                "pods": .array(s.pods.map { p in
                    ["name": .string(p.name), "ready": .string(p.ready), "restarts": .int(Int64(p.restarts)), "status": .string(p.status),
                     "new": .bool(p.isNew), "errors": .array(p.errors.map(failure))]
                }),
            ]
        case .log(let id, let l):
            return ["type": "log", "time": t, "resource": resource(id), "pod": .string(l.pod), "container": .string(l.container), "line": .string(l.text)]
        case .event(let id, let e):
            return [
                "type": "event", "time": t, "resource": resource(id), "subject": .string(e.subject), "eventType": .string(e.type),
                "reason": .string(e.reason), "message": .string(e.message), "count": .int(Int64(e.count)),
            ]
        case .notice(let id, let n):
            return ["type": "notice", "time": t, "resource": resource(id), "level": .string(n.level.rawValue), "message": .string(n.text)]
        case .failureLogs(let id, let tail):
            return [
                "type": "failureLogs", "time": t, "resource": resource(id), "pod": .string(tail.pod), "container": .string(tail.container),
                "lines": .array(tail.lines.map(Value.string)),
            ]
        case .result(let r):
            return [
                "type": "summary", "time": t, "succeeded": .bool(r.succeeded), "timedOut": .bool(r.timedOut),
                "resources": .array(r.outcomes.map { o in
                    ["resource": resource(o.id), "outcome": .string(o.kind.rawValue), "failsDeploy": .bool(o.failsDeploy), "seconds": .double((o.seconds * 1000).rounded() / 1000),
                     "reasons": .array(o.reasons.map(Value.string))]
                }),
            ]
        case .finished(let ready, let failed):
            return ["type": "finished", "time": t, "ready": .array(ready.map(resource)), "failed": .array(failed.map(resource))]
        }
    }

    static func resource(_ id: ResourceID) -> Value {
        var v: Value = ["apiVersion": .string(id.apiVersion), "kind": .string(id.kind)]
        if let ns = id.namespace, !ns.isEmpty { v["namespace"] = .string(ns) }
        v["name"] = .string(id.name)
        return v
    }

    static func failure(_ f: TrackingFailure) -> Value {
        ["subject": .string(f.subject), "reason": .string(f.reason), "message": .string(f.message), "fatal": .bool(f.isFatal)]
    }
}

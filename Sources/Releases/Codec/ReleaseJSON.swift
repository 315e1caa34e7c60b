import OrderedCollections
import Structured

/// The release record as JSON, laid out exactly as Helm 4's encoding/json writes it.
///
/// Decoding accepts what Helm 3 and Helm 4 write: empty-string or zero times, missing members, and
/// members it does not know (ignored, as Go ignores them).
enum ReleaseJSON {
    struct Invalid: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Struct fields in declaration order, so objects keep their order; `config` is sorted by
    /// `sortedKeys` because it is a Go map. A record holds no NaN or infinity (YAML and --set
    /// cannot produce them), the only values Go's encoder refuses.
    static func encode(_ release: Release) -> String { String(decoding: encodeBytes(release), as: UTF8.self) }

    static func encodeBytes(_ release: Release) -> [UInt8] {
        (try? JSON.encodeBytes(value(of: release), sortKeys: false)) ?? []
    }

    static func value(of r: Release) -> Value {
        var o = OrderedDictionary<String, Value>()
        if !r.name.isEmpty { o["name"] = .string(r.name) }
        o["info"] = value(of: r.info)
        if let chart = r.chart { o["chart"] = chart.json }
        if let config = r.config.objectValue, !config.isEmpty { o["config"] = sortedKeys(r.config) }
        if !r.manifest.isEmpty { o["manifest"] = .string(r.manifest) }
        if !r.hooks.isEmpty { o["hooks"] = .array(r.hooks.map(value(of:))) }
        if r.version != 0 { o["version"] = .int(Int64(r.version)) }
        if !r.namespace.isEmpty { o["namespace"] = .string(r.namespace) }
        if let method = r.applyMethod, !method.isEmpty { o["apply_method"] = .string(method) }
        return .object(o)
    }

    static func value(of info: ReleaseInfo) -> Value {
        var o = OrderedDictionary<String, Value>()
        if let t = info.firstDeployed, !t.isZero { o["first_deployed"] = .string(t.rfc3339Nano) }
        if let t = info.lastDeployed, !t.isZero { o["last_deployed"] = .string(t.rfc3339Nano) }
        if let t = info.deleted, !t.isZero { o["deleted"] = .string(t.rfc3339Nano) }
        if !info.description.isEmpty { o["description"] = .string(info.description) }
        o["status"] = .string(info.status.rawValue)
        if !info.notes.isEmpty { o["notes"] = .string(info.notes) }
        return .object(o)
    }

    static func value(of h: ReleaseHook) -> Value {
        var o = OrderedDictionary<String, Value>()
        if !h.name.isEmpty { o["name"] = .string(h.name) }
        if !h.kind.isEmpty { o["kind"] = .string(h.kind) }
        if !h.path.isEmpty { o["path"] = .string(h.path) }
        if !h.manifest.isEmpty { o["manifest"] = .string(h.manifest) }
        if !h.events.isEmpty { o["events"] = .array(h.events.map(Value.string)) }
        var run = OrderedDictionary<String, Value>()
        if let t = h.lastRun.startedAt, !t.isZero { run["started_at"] = .string(t.rfc3339Nano) }
        if let t = h.lastRun.completedAt, !t.isZero { run["completed_at"] = .string(t.rfc3339Nano) }
        run["phase"] = .string(h.lastRun.phase)
        o["last_run"] = .object(run)
        if h.weight != 0 { o["weight"] = .int(Int64(h.weight)) }
        if !h.deletePolicies.isEmpty { o["delete_policies"] = .array(h.deletePolicies.map(Value.string)) }
        if !h.outputLogPolicies.isEmpty { o["output_log_policies"] = .array(h.outputLogPolicies.map(Value.string)) }
        return .object(o)
    }

    /// A Go map is written with sorted keys, at every level.
    static func sortedKeys(_ v: Value) -> Value {
        switch v {
        case .object(let o):
            var sorted = OrderedDictionary<String, Value>()
            for k in o.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) { sorted[k] = sortedKeys(o[k]!) }
            return .object(sorted)
        case .array(let a): return .array(a.map(sortedKeys))
        default: return v
        }
    }

    // MARK: Decoding

    static func decode(_ v: Value) throws(Invalid) -> Release {
        guard case .object(let o) = v else { throw Invalid(message: "release JSON is not an object") }
        let info = try decodeInfo(o["info"] ?? .null)
        var chart: ReleaseChart?
        if let c = o["chart"], !c.isNull {
            guard case .object = c else { throw Invalid(message: "chart is not an object") }
            chart = ReleaseChart(json: c)
        }
        var config = Value.emptyObject
        if let c = o["config"], !c.isNull {
            guard case .object = c else { throw Invalid(message: "config is not an object") }
            config = c
        }
        var hooks: [ReleaseHook] = []
        if let h = o["hooks"], !h.isNull {
            guard let items = h.arrayValue else { throw Invalid(message: "hooks is not an array") }
            for (i, item) in items.enumerated() where !item.isNull { hooks.append(try decodeHook(item, index: i)) }
        }
        return Release(
            name: try string(o, "name"), namespace: try string(o, "namespace"), version: try int(o, "version"),
            info: info, chart: chart, config: config, manifest: try string(o, "manifest"), hooks: hooks,
            applyMethod: try optionalString(o, "apply_method"))
    }

    static func decodeInfo(_ v: Value) throws(Invalid) -> ReleaseInfo {
        if v.isNull { throw Invalid(message: "release has no info") }
        guard case .object(let o) = v else { throw Invalid(message: "info is not an object") }
        let statusText = try string(o, "status")
        guard let status = ReleaseStatus(rawValue: statusText) else {
            throw Invalid(message: "unknown release status \"\(statusText)\"")
        }
        return ReleaseInfo(
            firstDeployed: try time(o, "first_deployed"), lastDeployed: try time(o, "last_deployed"),
            deleted: try time(o, "deleted"), description: try string(o, "description"), status: status,
            notes: try string(o, "notes"))
    }

    static func decodeHook(_ v: Value, index: Int) throws(Invalid) -> ReleaseHook {
        guard case .object(let o) = v else { throw Invalid(message: "hooks[\(index)] is not an object") }
        var run = HookRun()
        if let r = o["last_run"], case .object(let ro) = r {
            run = HookRun(startedAt: try time(ro, "started_at"), completedAt: try time(ro, "completed_at"),
                          phase: try string(ro, "phase"))
        }
        return ReleaseHook(
            name: try string(o, "name"), kind: try string(o, "kind"), path: try string(o, "path"),
            manifest: try string(o, "manifest"), events: try strings(o, "events"), lastRun: run,
            weight: try int(o, "weight"), deletePolicies: try strings(o, "delete_policies"),
            outputLogPolicies: try strings(o, "output_log_policies"))
    }

    private static func string(_ o: OrderedDictionary<String, Value>, _ key: String) throws(Invalid) -> String {
        try optionalString(o, key) ?? ""
    }

    private static func optionalString(_ o: OrderedDictionary<String, Value>, _ key: String) throws(Invalid) -> String? {
        guard let v = o[key], !v.isNull else { return nil }
        guard let s = v.stringValue else { throw Invalid(message: "\(key) is not a string") }
        return s
    }

    private static func int(_ o: OrderedDictionary<String, Value>, _ key: String) throws(Invalid) -> Int {
        guard let v = o[key], !v.isNull else { return 0 }
        guard case .int(let i) = v else { throw Invalid(message: "\(key) is not an integer") }
        return Int(i)
    }

    private static func strings(_ o: OrderedDictionary<String, Value>, _ key: String) throws(Invalid) -> [String] {
        guard let v = o[key], !v.isNull else { return [] }
        guard let a = v.arrayValue else { throw Invalid(message: "\(key) is not an array") }
        var out: [String] = []
        for item in a {
            guard let s = item.stringValue else { throw Invalid(message: "\(key) holds a non-string") }
            out.append(s)
        }
        return out
    }

    /// Helm 3 wrote "" for unset times; Helm 4 omits them; both mean Go's zero time (nil here).
    private static func time(_ o: OrderedDictionary<String, Value>, _ key: String) throws(Invalid) -> GoTime? {
        guard let v = o[key], !v.isNull else { return nil }
        guard let s = v.stringValue else { throw Invalid(message: "\(key) is not a time") }
        if s.isEmpty { return nil }
        guard let t = GoTime(rfc3339: s) else { throw Invalid(message: "\(key) \"\(s)\" is not an RFC 3339 time") }
        return t.isZero ? nil : t
    }
}

import Foundation
import Structured

/// What to break, set from flags or `POST /kubesim/faults` (JSON of the same shape):
/// ```json
/// {"seed": 42, "latencyMs": 20,
///  "errors": [{"verb": "create", "rate": 0.5, "code": 503}, {"verb": "*", "rate": 0.1, "code": 429, "retryAfterSeconds": 1}],
///  "dropWatchesAfterSeconds": 5, "expireResourceVersions": true,
///  "stuckFinalizers": [{"resource": "configmaps", "namespace": "demo"}]}
/// ```
public struct FaultPlan: Sendable, Equatable {
    public struct ErrorRule: Sendable, Equatable {
        public var verb: String
        public var resource: String?
        public var rate: Double
        public var code: Int
        public var retryAfterSeconds: Int?
        public init(verb: String, resource: String? = nil, rate: Double, code: Int, retryAfterSeconds: Int? = nil) {
            self.verb = verb
            self.resource = resource
            self.rate = rate
            self.code = code
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    public struct StuckFinalizer: Sendable, Equatable {
        public var resource: String
        public var namespace: String?
        public init(resource: String, namespace: String? = nil) {
            self.resource = resource
            self.namespace = namespace
        }
    }

    public var seed: UInt64
    public var latencyMs: Int
    public var errors: [ErrorRule]
    public var dropWatchesAfterSeconds: Double?
    /// Every watch resuming from a resourceVersion gets 410 Gone.
    public var expireResourceVersions: Bool
    /// New objects of these resources get the finalizer `kubesim.io/stuck` nobody removes.
    public var stuckFinalizers: [StuckFinalizer]

    public init(seed: UInt64 = 1, latencyMs: Int = 0, errors: [ErrorRule] = [], dropWatchesAfterSeconds: Double? = nil,
                expireResourceVersions: Bool = false, stuckFinalizers: [StuckFinalizer] = []) {
        self.seed = seed
        self.latencyMs = latencyMs
        self.errors = errors
        self.dropWatchesAfterSeconds = dropWatchesAfterSeconds
        self.expireResourceVersions = expireResourceVersions
        self.stuckFinalizers = stuckFinalizers
    }

    public init(json: Value) {
        self.init()
        if let seed = json["seed"]?.intValue { self.seed = UInt64(bitPattern: seed) }
        latencyMs = Int(json["latencyMs"]?.intValue ?? 0)
        errors = (json["errors"]?.arrayValue ?? []).map {
            ErrorRule(verb: $0["verb"]?.stringValue ?? "*", resource: $0["resource"]?.stringValue,
                      rate: $0["rate"]?.doubleValue ?? 1, code: Int($0["code"]?.intValue ?? 500),
                      retryAfterSeconds: $0["retryAfterSeconds"]?.intValue.map { Int($0) })
        }
        dropWatchesAfterSeconds = json["dropWatchesAfterSeconds"]?.doubleValue
        expireResourceVersions = json["expireResourceVersions"]?.boolValue ?? false
        stuckFinalizers = (json["stuckFinalizers"]?.arrayValue ?? []).map {
            StuckFinalizer(resource: $0["resource"]?.stringValue ?? "", namespace: $0["namespace"]?.stringValue)
        }
    }

    public var json: Value {
        var v: Value = ["seed": .int(Int64(bitPattern: seed)), "latencyMs": .int(Int64(latencyMs))]
        v["errors"] = .array(errors.map {
            var e: Value = ["verb": .string($0.verb), "rate": .double($0.rate), "code": .int(Int64($0.code))]
            if let r = $0.resource { e["resource"] = .string(r) }
            if let r = $0.retryAfterSeconds { e["retryAfterSeconds"] = .int(Int64(r)) }
            return e
        })
        if let d = dropWatchesAfterSeconds { v["dropWatchesAfterSeconds"] = .double(d) }
        v["expireResourceVersions"] = .bool(expireResourceVersions)
        v["stuckFinalizers"] = .array(stuckFinalizers.map {
            var s: Value = ["resource": .string($0.resource)]
            if let ns = $0.namespace { s["namespace"] = .string(ns) }
            return s
        })
        return v
    }
}

/// Applies a `FaultPlan` with a deterministic random sequence (SplitMix64 from the seed). A lock,
/// not an actor: every request asks it, and a hop to an actor and back per request is a needless
/// pair of task switches.
final class FaultInjector: @unchecked Sendable {
    private let lock = NSLock()
    // Under `lock`:
    private var current: FaultPlan
    private var state: UInt64

    init(plan: FaultPlan) {
        current = plan
        state = plan.seed
    }

    var plan: FaultPlan { lock.withLock { current } }

    func set(_ plan: FaultPlan) {
        lock.withLock {
            current = plan
            state = plan.seed
        }
    }

    private func nextUnit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }

    /// The injected failure for this request, if any (after sleeping the configured latency).
    func failure(verb: String, resource: String?) -> (error: APIError, latencyMs: Int)? {
        lock.withLock {
            for rule in current.errors where (rule.verb == "*" || rule.verb == verb) && (rule.resource == nil || rule.resource == resource) {
                if nextUnit() < rule.rate {
                    return (Self.error(rule), current.latencyMs)
                }
            }
            return nil
        }
    }

    var latencyMs: Int { lock.withLock { current.latencyMs } }

    static func error(_ rule: FaultPlan.ErrorRule) -> APIError {
        switch rule.code {
        case 429:
            return APIError(code: 429, reason: "TooManyRequests", message: "the server has received too many requests and has asked us to try again later",
                            retryAfterSeconds: rule.retryAfterSeconds ?? 1)
        case 503:
            return APIError(code: 503, reason: "ServiceUnavailable", message: "the server is currently unable to handle the request",
                            retryAfterSeconds: rule.retryAfterSeconds)
        case 409:
            return APIError(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again")
        case 504:
            return APIError(code: 504, reason: "Timeout", message: "the server was unable to return a response in the time allotted, but may still be processing the request")
        default:
            return APIError(code: rule.code, reason: "InternalError", message: "an error on the server (\"injected fault\") has prevented the request from succeeding")
        }
    }
}

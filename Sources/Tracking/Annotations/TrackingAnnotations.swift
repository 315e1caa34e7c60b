import Structured

/// `werf.io/track-termination-mode`.
public enum TrackTerminationMode: String, Sendable, Hashable, CaseIterable {
    case waitUntilResourceReady = "WaitUntilResourceReady"
    case nonBlocking = "NonBlocking"
}

/// `werf.io/fail-mode`.
public enum FailMode: String, Sendable, Hashable, CaseIterable {
    case failWholeDeployProcessImmediately = "FailWholeDeployProcessImmediately"
    case ignoreAndContinueDeployProcess = "IgnoreAndContinueDeployProcess"
    case hopeUntilEndOfDeployProcess = "HopeUntilEndOfDeployProcess"
}

/// The werf tracking annotations of one resource, parsed and validated.
///
/// A value that does not parse is an error naming the resource and the annotation (as nelm's
/// validation does), never a silent fall back to the default.
public struct TrackingAnnotations: Sendable, Hashable {
    public static let trackTerminationModeKey = "werf.io/track-termination-mode"
    public static let failModeKey = "werf.io/fail-mode"
    public static let failuresAllowedPerReplicaKey = "werf.io/failures-allowed-per-replica"
    public static let noActivityTimeoutKey = "werf.io/no-activity-timeout"
    public static let ignoreReadinessProbeFailsPrefix = "werf.io/ignore-readiness-probe-fails-for-"
    public static let skipLogsKey = "werf.io/skip-logs"
    public static let showServiceMessagesKey = "werf.io/show-service-messages"
    public static let showLogsOnlyForNumberOfReplicasKey = "werf.io/show-logs-only-for-number-of-replicas"
    public static let skipLogsForContainersKey = "werf.io/skip-logs-for-containers"
    public static let showLogsOnlyForContainersKey = "werf.io/show-logs-only-for-containers"
    public static let logRegexKey = "werf.io/log-regex"
    public static let logRegexForPrefix = "werf.io/log-regex-for-"
    public static let logRegexSkipKey = "werf.io/log-regex-skip"
    public static let logRegexSkipForPrefix = "werf.io/log-regex-skip-for-"
    public static let showLogsUntilKey = "werf.io/show-logs-until"

    /// Default no-activity timeout of the generic tracker (4m).
    public static let defaultNoActivityTimeout: Double = 240

    public var trackTerminationMode: TrackTerminationMode = .waitUntilResourceReady
    public var failMode: FailMode = .failWholeDeployProcessImmediately
    /// The annotation's value; `nil` when absent (the per-kind default then applies).
    public var failuresAllowedPerReplica: Int?
    /// Seconds.
    public var noActivityTimeout: Double = TrackingAnnotations.defaultNoActivityTimeout
    /// Container name -> seconds during which readiness-probe failures are ignored.
    public var ignoreReadinessProbeFailsFor: [String: Double] = [:]
    public var skipLogs = false
    public var showServiceMessages = false
    public var showLogsOnlyForNumberOfReplicas = 1
    public var skipLogsForContainers: [String] = []
    /// Empty means every container.
    public var showLogsOnlyForContainers: [String] = []
    public var logRegex: String?
    public var logRegexFor: [String: String] = [:]
    public var logRegexSkip: String?
    public var logRegexSkipFor: [String: String] = [:]

    public init() {}

    /// Parse the annotations of `object` (its own `metadata.annotations`); the first bad one throws.
    public init(of object: Value) throws(TrackingError) {
        let id = ResourceID(object)
        guard let annotations = object[path: "metadata", "annotations"]?.objectValue else { return }
        for (key, raw) in annotations {
            guard key.hasPrefix("werf.io/") else { continue }
            // Annotation values are strings on the wire; tolerate scalars written unquoted.
            let value: String
            switch raw {
            case .string(let s): value = s
            case .int(let i): value = String(i)
            case .bool(let b): value = String(b)
            default: value = ""
            }
            do throws(AnnotationProblem) { try apply(key: key, value: value) } catch {
                throw error.unsupported ? TrackingError("annotation \(key) on \(id) is not supported")
                    : .badAnnotation(id, key, value, expected: error.expected)
            }
        }
    }

    /// Parse string annotations one by one, collecting every bad one (`"Wait" is not WaitUntilResourceReady
    /// or NonBlocking`) instead of stopping at the first: Deploy's validation reports them all at once.
    public static func parse(_ annotations: [String: String]) -> (annotations: TrackingAnnotations, problems: [(key: String, message: String)]) {
        var parsed = TrackingAnnotations()
        var problems: [(key: String, message: String)] = []
        for key in annotations.keys.sorted() where key.hasPrefix("werf.io/") {
            let value = annotations[key] ?? ""
            do throws(AnnotationProblem) { try parsed.apply(key: key, value: value) } catch {
                problems.append((key, error.unsupported ? "is not supported" : "\(value.debugDescription) is not \(error.expected)"))
            }
        }
        return (parsed, problems)
    }

    /// What a bad value should have been.
    struct AnnotationProblem: Error {
        var expected: String
        var unsupported = false
    }

    private mutating func apply(key: String, value: String) throws(AnnotationProblem) {
        switch key {
        case Self.trackTerminationModeKey:
            guard let mode = TrackTerminationMode(rawValue: value) else {
                throw AnnotationProblem(expected: TrackTerminationMode.allCases.map(\.rawValue).joined(separator: " or "))
            }
            trackTerminationMode = mode
        case Self.failModeKey:
            guard let mode = FailMode(rawValue: value) else {
                throw AnnotationProblem(expected: "one of " + FailMode.allCases.map(\.rawValue).joined(separator: ", "))
            }
            failMode = mode
        case Self.failuresAllowedPerReplicaKey:
            guard let n = Int(value), n >= 0 else { throw AnnotationProblem(expected: "an integer >= 0") }
            failuresAllowedPerReplica = n
        case Self.noActivityTimeoutKey:
            guard let seconds = GoSyntax.parseDuration(value), seconds > 0 else {
                throw AnnotationProblem(expected: "a positive duration such as 90s or 5m")
            }
            noActivityTimeout = seconds
        case Self.skipLogsKey:
            guard let b = GoSyntax.parseBool(value) else { throw AnnotationProblem(expected: "true or false") }
            skipLogs = b
        case Self.showServiceMessagesKey:
            guard let b = GoSyntax.parseBool(value) else { throw AnnotationProblem(expected: "true or false") }
            showServiceMessages = b
        case Self.showLogsOnlyForNumberOfReplicasKey:
            guard let n = Int(value), n >= 0 else { throw AnnotationProblem(expected: "an integer >= 0") }
            showLogsOnlyForNumberOfReplicas = n
        case Self.skipLogsForContainersKey:
            skipLogsForContainers = Self.list(value)
        case Self.showLogsOnlyForContainersKey:
            showLogsOnlyForContainers = Self.list(value)
        case Self.logRegexKey:
            try Self.checkRegex(value)
            logRegex = value
        case Self.logRegexSkipKey:
            try Self.checkRegex(value)
            logRegexSkip = value
        case Self.showLogsUntilKey:
            throw AnnotationProblem(expected: "", unsupported: true)
        default:
            if let container = Self.suffix(key, Self.ignoreReadinessProbeFailsPrefix) {
                guard let seconds = GoSyntax.parseDuration(value), seconds >= 0 else {
                    throw AnnotationProblem(expected: "a duration >= 0 such as 90s or 5m")
                }
                ignoreReadinessProbeFailsFor[container] = seconds
            } else if let container = Self.suffix(key, Self.logRegexSkipForPrefix) {
                try Self.checkRegex(value)
                logRegexSkipFor[container] = value
            } else if let container = Self.suffix(key, Self.logRegexForPrefix) {
                try Self.checkRegex(value)
                logRegexFor[container] = value
            }
        }
    }

    private static func checkRegex(_ value: String) throws(AnnotationProblem) {
        if (try? Regex(value)) == nil { throw AnnotationProblem(expected: "a valid regular expression") }
    }

    private static func suffix(_ key: String, _ prefix: String) -> String? {
        guard key.hasPrefix(prefix), key.count > prefix.count else { return nil }
        return String(key.dropFirst(prefix.count))
    }

    private static func list(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String { String(self).trimmingCharacters(in: set) }
}

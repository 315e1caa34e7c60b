import Foundation

/// What a pod's containers do, scripted by the annotation `kubesim.bosun.dev/behavior` on the pod
/// (or its template: controllers copy template annotations to pods).
///
/// Tokens are space separated and combine: `ready-after=2s log="hello" every=500ms`. A token
/// prefixed with `container=<name>:` applies to that container only (`container=web:crashloop`).
/// Durations are Go-style (`500ms`, `2s`, `1m`, `1.5s`) or bare seconds.
public struct PodBehavior: Sendable, Equatable {
    public static let annotation = "kubesim.bosun.dev/behavior"

    private var global: [String] = []
    private var perContainer: [String: [String]] = [:]
    /// `init-fail`: the first init container exits 1.
    public private(set) var initFail = false

    public init(_ text: String?) {
        for token in Self.tokenize(text ?? "") {
            if token.hasPrefix("container="), let colon = token.firstIndex(of: ":") {
                let name = String(token[token.index(token.startIndex, offsetBy: 10)..<colon])
                perContainer[name, default: []].append(String(token[token.index(after: colon)...]))
            } else if token == "init-fail" {
                initFail = true
            } else {
                global.append(token)
            }
        }
    }

    /// The behaviour of one container: the pod-wide tokens, then that container's own.
    public func container(_ name: String) -> ContainerBehavior {
        var behavior = ContainerBehavior()
        for token in global + (perContainer[name] ?? []) { behavior.apply(token) }
        return behavior
    }

    func perContainerTokens(_ name: String) -> [String] { perContainer[name] ?? [] }

    /// Split on spaces outside double quotes; quotes are removed, `\"` escapes a quote.
    static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = [], current = "", quoted = false, escaped = false, any = false
        for ch in text {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" && quoted { escaped = true; continue }
            if ch == "\"" { quoted.toggle(); any = true; continue }
            if ch.isWhitespace && !quoted {
                if !current.isEmpty || any { tokens.append(current) }
                current = ""; any = false
                continue
            }
            current.append(ch)
        }
        if !current.isEmpty || any { tokens.append(current) }
        return tokens
    }

    /// Go duration (`1m30s`, `500ms`, `2s`) or bare seconds, in seconds.
    static func duration(_ text: String) -> Double? {
        if let plain = Double(text) { return plain }
        var total = 0.0, number = "", unit = "", parsedAny = false
        func flush() -> Bool {
            guard let n = Double(number) else { return false }
            let factor: Double
            switch unit {
            case "ms": factor = 0.001
            case "s": factor = 1
            case "m": factor = 60
            case "h": factor = 3600
            case "us", "µs": factor = 0.000001
            default: return false
            }
            total += n * factor
            number = ""; unit = ""; parsedAny = true
            return true
        }
        for ch in text {
            if ch.isNumber || ch == "." {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(ch)
            } else {
                unit.append(ch)
            }
        }
        guard flush() || parsedAny else { return nil }
        return total
    }
}

/// One container's scripted behaviour.
public struct ContainerBehavior: Sendable, Equatable {
    /// Seconds after the container starts before it reports ready.
    public var readyAfter: Double = 0
    public var neverReady = false
    public var crashLoop = false
    public var imagePullError = false
    public var createConfigError = false
    /// The container exits with this code (after `exitAfter`).
    public var exitCode: Int?
    public var exitAfter: Double?
    public var logLines: [String] = []
    public var logEvery: Double?
    /// Seconds the container takes to exit after SIGTERM; nil: the pod's start delay. Infinity
    /// (`ignore-sigterm`) means it is killed when the grace period ends.
    public var shutdown: Double?

    public init() {}

    mutating func apply(_ token: String) {
        let parts = token.split(separator: "=", maxSplits: 1).map(String.init)
        let key = parts.first ?? "", value = parts.count > 1 ? parts[1] : ""
        switch key {
        case "ready-after": readyAfter = PodBehavior.duration(value) ?? readyAfter
        case "never-ready": neverReady = true
        case "crashloop": crashLoop = true
        case "image-pull-error": imagePullError = true
        case "create-config-error": createConfigError = true
        case "exit": exitCode = Int(value)
        case "after": exitAfter = PodBehavior.duration(value)
        case "log": logLines.append(value)
        case "every": logEvery = PodBehavior.duration(value).map { max($0, 0.01) }
        case "shutdown": shutdown = PodBehavior.duration(value)
        case "ignore-sigterm": shutdown = .infinity
        default: break  // unknown tokens are ignored, as annotations are free text
        }
    }
}

import Foundation
import Structured

/// A label selector: the `labelSelector` query string (`a=b,c!=d,e in (x,y),f notin (z),g,!h`) or a
/// `metav1.LabelSelector` object (matchLabels + matchExpressions). An empty selector matches all.
public struct LabelSelector: Sendable, Hashable {
    public enum Requirement: Sendable, Hashable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    public var requirements: [Requirement]
    /// A selector that matches nothing (a LabelSelector object that is null is "nothing" for some callers).
    public var matchesNothing = false

    public init(requirements: [Requirement] = []) { self.requirements = requirements }

    public static let everything = LabelSelector()

    /// Parse the query-string form. Errors are worded like the real server's.
    public init(parsing text: String) throws(APIError) {
        requirements = []
        var scanner = Substring(text)
        func skipSpace() { while scanner.first == " " { scanner.removeFirst() } }
        func readKey() -> String {
            skipSpace()
            var key = ""
            while let c = scanner.first, !" ,=!()".contains(c) { key.append(c); scanner.removeFirst() }
            return key
        }
        func readWord() -> String {
            skipSpace()
            var word = ""
            while let c = scanner.first, !" ,()".contains(c) { word.append(c); scanner.removeFirst() }
            return word
        }
        func readSet() throws(APIError) -> Set<String> {
            skipSpace()
            guard scanner.first == "(" else { throw APIError.badRequest("unable to parse requirement: found '\(scanner.prefix(1))', expected: '('") }
            scanner.removeFirst()
            var values = Set<String>()
            while true {
                let word = readWord()
                values.insert(word)
                skipSpace()
                if scanner.first == "," { scanner.removeFirst(); continue }
                if scanner.first == ")" { scanner.removeFirst(); break }
                throw APIError.badRequest("unable to parse requirement: found '\(scanner.prefix(1))', expected: ',' or ')'")
            }
            return values
        }
        while true {
            skipSpace()
            if scanner.isEmpty { break }
            if scanner.first == "!" {
                scanner.removeFirst()
                let key = readKey()
                requirements.append(.doesNotExist(key))
            } else {
                let key = readKey()
                guard !key.isEmpty else { throw APIError.badRequest("unable to parse requirement: found '\(scanner.prefix(1))', expected: identifier") }
                skipSpace()
                if scanner.hasPrefix("==") {
                    scanner.removeFirst(2); requirements.append(.equals(key, readWord()))
                } else if scanner.hasPrefix("!=") {
                    scanner.removeFirst(2); requirements.append(.notEquals(key, readWord()))
                } else if scanner.hasPrefix("=") {
                    scanner.removeFirst(); requirements.append(.equals(key, readWord()))
                } else if scanner.hasPrefix("in ") || scanner.hasPrefix("in(") {
                    scanner.removeFirst(2); requirements.append(.isIn(key, try readSet()))
                } else if scanner.hasPrefix("notin ") || scanner.hasPrefix("notin(") {
                    scanner.removeFirst(5); requirements.append(.notIn(key, try readSet()))
                } else {
                    requirements.append(.exists(key))
                }
            }
            skipSpace()
            if scanner.first == "," { scanner.removeFirst(); continue }
            if !scanner.isEmpty { throw APIError.badRequest("unable to parse requirement: found '\(scanner.prefix(1))', expected: ','") }
        }
    }

    /// From a `metav1.LabelSelector` value; nil or null means "nothing" when `nullMatchesNothing`.
    public init(object: Value?, nullMatchesNothing: Bool = true) {
        requirements = []
        guard let object, !object.isNull else { matchesNothing = nullMatchesNothing; return }
        for (k, v) in object["matchLabels"]?.objectValue ?? [:] { requirements.append(.equals(k, v.stringValue ?? "")) }
        for e in object["matchExpressions"]?.arrayValue ?? [] {
            let key = e["key"]?.stringValue ?? ""
            let values = Set(e["values"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            switch e["operator"]?.stringValue {
            case "In": requirements.append(.isIn(key, values))
            case "NotIn": requirements.append(.notIn(key, values))
            case "Exists": requirements.append(.exists(key))
            case "DoesNotExist": requirements.append(.doesNotExist(key))
            default: matchesNothing = true
            }
        }
    }

    public func matches(_ labels: [String: String]) -> Bool {
        if matchesNothing { return false }
        for r in requirements {
            switch r {
            case .equals(let k, let v): if labels[k] != v { return false }
            case .notEquals(let k, let v): if labels[k] == v { return false }
            case .isIn(let k, let vs): guard let l = labels[k], vs.contains(l) else { return false }
            case .notIn(let k, let vs): if let l = labels[k], vs.contains(l) { return false }
            case .exists(let k): if labels[k] == nil { return false }
            case .doesNotExist(let k): if labels[k] != nil { return false }
            }
        }
        return true
    }

    public func matches(object: Value) -> Bool { matches(object.labels) }
}

/// A field selector (`metadata.name=x,status.phase!=Running`). Only equality kinds exist.
public struct FieldSelector: Sendable {
    public var terms: [(path: String, value: String, equal: Bool)]

    public init(parsing text: String, type: ResourceType) throws(APIError) {
        terms = []
        for part in text.split(separator: ",") {
            let term = String(part).trimmingCharacters(in: .whitespaces)
            var path: String, value: String, equal: Bool
            if let r = term.range(of: "!=") {
                path = String(term[..<r.lowerBound]); value = String(term[r.upperBound...]); equal = false
            } else if let r = term.range(of: "==") {
                path = String(term[..<r.lowerBound]); value = String(term[r.upperBound...]); equal = true
            } else if let r = term.range(of: "=") {
                path = String(term[..<r.lowerBound]); value = String(term[r.upperBound...]); equal = true
            } else {
                throw APIError.badRequest("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            guard Self.supported(path, type) else {
                throw APIError.badRequest("field label not supported: \(path)")
            }
            terms.append((path, value, equal))
        }
    }

    static func supported(_ path: String, _ type: ResourceType) -> Bool {
        if path == "metadata.name" || path == "metadata.namespace" { return true }
        if type.isCustom { return false }
        switch type.plural {
        case "pods": return ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                             "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"].contains(path)
        case "events": return path.hasPrefix("involvedObject.") || ["reason", "source", "type", "reportingComponent", "regarding.kind", "regarding.name", "regarding.namespace", "regarding.uid"].contains(path) || path.hasPrefix("regarding.")
        case "secrets": return path == "type"
        case "namespaces": return path == "status.phase"
        case "nodes": return path == "spec.unschedulable"
        case "jobs": return path == "status.successful"
        case "replicasets", "replicationcontrollers": return path == "status.replicas"
        case "persistentvolumeclaims", "persistentvolumes": return path == "status.phase" || path == "spec.storageClassName"
        default: return false
        }
    }

    public func matches(_ object: Value) -> Bool {
        for term in terms {
            let actual = Self.fieldValue(object, term.path)
            if (actual == term.value) != term.equal { return false }
        }
        return true
    }

    static func fieldValue(_ object: Value, _ path: String) -> String {
        let value = object.value(at: path.split(separator: ".").map(String.init))
        switch value {
        case .string(let s)?: return s
        case .bool(let b)?: return b ? "true" : "false"
        case .int(let i)?: return String(i)
        default: return ""
        }
    }
}

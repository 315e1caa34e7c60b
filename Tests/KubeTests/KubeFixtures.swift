import Foundation
import Structured
import TestSupport

@testable import Kube

/// Shared helpers: the test PKI under Tests/Fixtures/Kube/pki and kubeconfig writers.
enum KubeFixtures {
    static let pki = Repository.root + "/Tests/Fixtures/Kube/pki"

    static func pem(_ name: String) throws -> String {
        try String(contentsOfFile: pki + "/" + name, encoding: .utf8)
    }

    static func base64(_ name: String) throws -> String {
        try Data(contentsOf: URL(fileURLWithPath: pki + "/" + name)).base64EncodedString()
    }

    /// Write `value` as a (JSON) kubeconfig at `directory/name`; returns the path.
    @discardableResult
    static func writeConfig(_ value: Value, in directory: String, name: String) throws -> String {
        let path = directory + "/" + name
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try WireJSON.encode(value).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func write(_ text: String, to path: String, executable: Bool = false) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
    }

    static func cluster(_ name: String, _ body: Value) -> Value { ["name": .string(name), "cluster": body] }
    static func user(_ name: String, _ body: Value) -> Value { ["name": .string(name), "user": body] }
    static func context(_ name: String, cluster: String, user: String, namespace: String? = nil) -> Value {
        var body: Value = ["cluster": .string(cluster), "user": .string(user)]
        if let namespace { body["namespace"] = .string(namespace) }
        return ["name": .string(name), "context": body]
    }

    static func config(
        clusters: [Value] = [], users: [Value] = [], contexts: [Value] = [], current: String? = nil
    ) -> Value {
        var value: Value = [
            "apiVersion": "v1", "kind": "Config", "clusters": .array(clusters), "users": .array(users),
            "contexts": .array(contexts),
        ]
        if let current { value["current-context"] = .string(current) }
        return value
    }
}

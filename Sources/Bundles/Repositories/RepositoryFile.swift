import Foundation
import OrderedCollections
import Structured

/// One entry of repositories.yaml (helm's `repo.Entry`).
public struct RepositoryEntry: Sendable, Equatable {
    public var name: String
    public var url: String
    public var username = ""
    public var password = ""
    public var certFile = ""
    public var keyFile = ""
    public var caFile = ""
    public var insecureSkipTLSVerify = false
    public var passCredentialsAll = false

    public init(name: String, url: String) {
        self.name = name
        self.url = url
    }

    var value: Value {
        // sigs.k8s.io/yaml sorts keys; every field is written (no omitempty in helm's Entry).
        .object([
            "caFile": .string(caFile), "certFile": .string(certFile), "insecure_skip_tls_verify": .bool(insecureSkipTLSVerify),
            "keyFile": .string(keyFile), "name": .string(name), "pass_credentials_all": .bool(passCredentialsAll),
            "password": .string(password), "url": .string(url), "username": .string(username),
        ])
    }

    init(_ value: Value) {
        name = value["name"]?.stringValue ?? ""
        url = value["url"]?.stringValue ?? ""
        username = value["username"]?.stringValue ?? ""
        password = value["password"]?.stringValue ?? ""
        certFile = value["certFile"]?.stringValue ?? ""
        keyFile = value["keyFile"]?.stringValue ?? ""
        caFile = value["caFile"]?.stringValue ?? ""
        insecureSkipTLSVerify = value["insecure_skip_tls_verify"]?.boolValue ?? false
        passCredentialsAll = value["pass_credentials_all"]?.boolValue ?? false
    }
}

/// repositories.yaml as helm reads and writes it.
public struct RepositoryFile: Sendable {
    public var entries: [RepositoryEntry] = []
    var apiVersion = ""
    var generated: Value = .string("0001-01-01T00:00:00Z")

    public init() {}

    /// A missing file is an empty list, as in helm.
    public static func load(_ path: String) throws(BundlesError) -> RepositoryFile {
        var file = RepositoryFile()
        guard let data = FileManager.default.contents(atPath: path) else { return file }
        let value: Value
        do { value = try YAML.decode(String(decoding: data, as: UTF8.self), file: path) } catch {
            throw BundlesError("couldn't load repositories file (\(path)): \(error.message)")
        }
        file.apiVersion = value["apiVersion"]?.stringValue ?? ""
        if let generated = value["generated"], !generated.isNull { file.generated = generated }
        file.entries = (value["repositories"]?.arrayValue ?? []).map(RepositoryEntry.init)
        return file
    }

    public func entry(named name: String) -> RepositoryEntry? { entries.first { $0.name == name } }

    public func save(_ path: String) throws(BundlesError) {
        let document: Value = .object([
            "apiVersion": .string(apiVersion), "generated": generated, "repositories": .array(entries.map(\.value)),
        ])
        do {
            let text = try YAML.encode(document)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch let error as StructuredError {
            throw BundlesError("writing \(path): \(error.message)")
        } catch {
            throw BundlesError("writing \(path): \(error.localizedDescription)")
        }
    }
}

import Foundation
import OrderedCollections
import Structured

/// Registry credentials in docker's `config.json` format, the file `helm registry login` writes
/// (`$HELM_REGISTRY_CONFIG`, default `$HELM_CONFIG_HOME/registry/config.json`), falling back to
/// docker's own (`$DOCKER_CONFIG/config.json`, default `~/.docker/config.json`).
/// Only inline `auths` entries are used: credential helpers (`credsStore`, `credHelpers`) are not run.
public struct RegistryCredentials: Sendable {
    public struct Entry: Sendable, Equatable {
        public var username: String
        public var password: String
    }

    /// Files read in order; the first with an entry for a host wins.
    public var files: [String]

    public init(files: [String]) { self.files = files }

    /// Helm's registry config, then docker's.
    public static func standard(registryConfig: String? = nil) -> RegistryCredentials {
        let env = ProcessInfo.processInfo.environment
        let docker = (env["DOCKER_CONFIG"] ?? NSHomeDirectory() + "/.docker") + "/config.json"
        return RegistryCredentials(files: [registryConfig ?? HelmPaths.current().registryConfig, docker])
    }

    public func credentials(for host: String) -> Entry? {
        for file in files {
            guard let auths = Self.read(file)?["auths"]?.objectValue else { continue }
            let candidates = [host, "https://" + host, "http://" + host, "https://" + host + "/v1/", "https://" + host + "/v2/"]
            for key in candidates {
                guard let entry = auths[key] else { continue }
                if let auth = entry["auth"]?.stringValue, let decoded = Data(base64Encoded: auth),
                   let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":") {
                    return Entry(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
                }
                if let user = entry["username"]?.stringValue, let password = entry["password"]?.stringValue {
                    return Entry(username: user, password: password)
                }
                if let token = entry["identitytoken"]?.stringValue, !token.isEmpty {
                    return Entry(username: "<token>", password: token)
                }
            }
        }
        return nil
    }

    static func read(_ file: String) -> Value? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        return try? JSON.decode(String(decoding: data, as: UTF8.self))
    }

    /// `registry login`: store `auth` for the host in the first file, as helm does (tab-indented JSON).
    public static func store(host: String, username: String, password: String, in file: String) throws(BundlesError) {
        try update(file) { auths in
            auths[host] = .object(["auth": .string(Data((username + ":" + password).utf8).base64EncodedString())])
        }
    }

    /// `registry logout`: remove the host; fails when there was nothing stored.
    public static func remove(host: String, from file: String) throws(BundlesError) {
        var found = false
        try update(file) { auths in found = auths.removeValue(forKey: host) != nil }
        if !found { throw BundlesError("not logged in to \(host)") }
    }

    private static func update(_ file: String, _ change: (inout OrderedDictionaryOfValues) -> Void) throws(BundlesError) {
        var document = read(file) ?? .emptyObject
        var auths = document["auths"]?.objectValue ?? [:]
        change(&auths)
        document["auths"] = .object(auths)
        let text = JSON.encode(document, sortKeys: true, escapeHTML: false, indent: "\t")
        do {
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        } catch {
            throw BundlesError("writing \(file): \(error.localizedDescription)")
        }
    }
}

typealias OrderedDictionaryOfValues = OrderedDictionary<String, Value>

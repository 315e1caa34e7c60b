import Foundation

/// Discovery documents on disk, laid out like kubectl's cache:
/// `<root>/<host_port>/servergroups.json` and `<root>/<host_port>/<group>/<version>/serverresources.json`
/// (core: `<root>/<host_port>/v1/serverresources.json`). Entries older than `ttl` are ignored.
struct DiscoveryCache: Sendable {
    let directory: String
    let ttl: Duration

    /// kubectl's rule for the per-server directory: scheme dropped, then every character outside
    /// `[\w/.()]` replaced by `_` (so `127.0.0.1:6443` -> `127.0.0.1_6443`).
    init(root: String, server: String, ttl: Duration) {
        var host = server
        for prefix in ["https://", "http://"] where host.hasPrefix(prefix) {
            host = String(host.dropFirst(prefix.count))
            break
        }
        let safe = String(
            host.map { c -> Character in
                c.isLetter || c.isNumber || c == "_" || c == "/" || c == "." || c == "(" || c == ")" ? c : "_"
            })
        directory = (root as NSString).appendingPathComponent(safe)
        self.ttl = ttl
    }

    func groupsPath() -> String { (directory as NSString).appendingPathComponent("servergroups.json") }

    func resourcesPath(groupVersion: String) -> String {
        (directory as NSString).appendingPathComponent(groupVersion + "/serverresources.json")
    }

    /// Bytes of a fresh entry, nil when absent or expired.
    func read(_ path: String, now: Date = Date()) -> [UInt8]? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let modified = attributes[.modificationDate] as? Date,
            now.timeIntervalSince(modified) < ttl.seconds,
            let data = FileManager.default.contents(atPath: path)
        else { return nil }
        return [UInt8](data)
    }

    /// Best effort: a cache that cannot be written only costs a refetch.
    func write(_ path: String, _ bytes: [UInt8]) {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else { return }
        if rename(temporary, path) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
    }

    func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }
}

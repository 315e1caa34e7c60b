import Foundation

/// Who runs a deploy: shown to whoever finds the release locked.
public struct LockHolder: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var pid: Int
    /// Distinguishes two runs that share user, host and pid (containers often all run as pid 1).
    public var token: String

    public init(user: String, host: String, pid: Int, token: String = String(UUID().uuidString.prefix(8)).lowercased()) {
        self.user = user
        self.host = host
        self.pid = pid
        self.token = token
    }

    /// This process.
    public static func current() -> LockHolder {
        let env = ProcessInfo.processInfo.environment
        return LockHolder(
            user: env["USER"] ?? env["LOGNAME"] ?? "unknown", host: ProcessInfo.processInfo.hostName,
            pid: Int(ProcessInfo.processInfo.processIdentifier))
    }

    /// The Lease's `spec.holderIdentity`.
    public var identity: String { "\(user)@\(host) pid \(pid) (\(token))" }

    public var description: String { "\(user)@\(host) (pid \(pid))" }

    /// Read back from a Lease; nil when the identity is empty (released).
    init?(identity: String) {
        guard !identity.isEmpty else { return nil }
        // "user@host pid N (token)"; anything else (another tool's identity) is kept whole as the host.
        let parts = identity.split(separator: " ")
        if parts.count == 4, parts[1] == "pid", let pid = Int(parts[2]), let at = parts[0].firstIndex(of: "@") {
            user = String(parts[0][..<at])
            host = String(parts[0][parts[0].index(after: at)...])
            self.pid = pid
            token = String(parts[3].dropFirst().dropLast())
        } else {
            user = ""
            host = identity
            pid = 0
            token = ""
        }
    }
}

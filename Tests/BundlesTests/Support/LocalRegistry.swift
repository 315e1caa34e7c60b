@testable import Charts
import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Debian's `docker-registry` (distribution v2) on a free loopback port with a generated config,
/// optionally behind htpasswd basic auth. `scripts/install-registry.sh` (run by scripts/test.sh)
/// installs it; a missing binary is a failure.
final class LocalRegistry: @unchecked Sendable {
    let host: String
    let storage: String
    let directory: String
    private let process: Process

    static let username = "alice"
    static let password = "s3cret-pass"

    /// `tls`: PEM certificate and key files to serve HTTPS with.
    init(basicAuth: Bool = false, tls: (certificate: String, key: String)? = nil) throws {
        let binary = ["/usr/bin/docker-registry", "/usr/local/bin/docker-registry", "/usr/bin/registry"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let binary else { throw RegistryMissing() }
        directory = try makeTemporaryDirectory("bosun-registry")
        storage = directory + "/data"
        let port = try freePort()
        host = "127.0.0.1:\(port)"
        var config = """
        version: 0.1
        log:
          level: error
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: \(storage)
          delete:
            enabled: true
        http:
          addr: \(host)

        """
        if let tls {
            config += """
              tls:
                certificate: \(tls.certificate)
                key: \(tls.key)

            """
        }
        if basicAuth {
            let hash = try Bcrypt.hash(Array(Self.password.utf8), cost: 4)
            try "\(Self.username):\(hash)\n".write(toFile: directory + "/htpasswd", atomically: true, encoding: .utf8)
            config += """
            auth:
              htpasswd:
                realm: bosun-test
                path: \(directory)/htpasswd

            """
        }
        try config.write(toFile: directory + "/config.yml", atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", directory + "/config.yml"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // Wait until it accepts connections.
        for _ in 0..<400 {
            if Self.accepts(port: port) { return }
            usleep(25_000)
        }
        process.terminate()
        throw RegistryFailedToStart(host: host)
    }

    struct RegistryFailedToStart: Error { var host: String }

    deinit {
        // SIGKILL: children started by Foundation may have SIGTERM blocked.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The file that holds a blob in the registry's filesystem storage (to tamper with it).
    func blobPath(_ digest: String) -> String {
        let hex = String(digest.dropFirst("sha256:".count))
        return storage + "/docker/registry/v2/blobs/sha256/\(hex.prefix(2))/\(hex)/data"
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

struct RegistryMissing: Error, CustomStringConvertible {
    var description: String { "docker-registry not installed: run scripts/install-registry.sh (scripts/test.sh does)" }
}

/// A loopback TCP port nobody listens on right now.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

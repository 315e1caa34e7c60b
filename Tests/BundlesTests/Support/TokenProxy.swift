import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `Tests/Fixtures/Bundles/token-proxy.py` in front of a registry: anonymous bearer tokens.
final class TokenProxy: @unchecked Sendable {
    let host: String
    private let process: Process

    init(upstream: String) throws {
        let port = try freePort()
        host = "127.0.0.1:\(port)"
        process = Process()
        process.executableURL = URL(fileURLWithPath: try ChartRepositoryServer.python())
        process.arguments = [Repository.root + "/Tests/Fixtures/Bundles/token-proxy.py", String(port), upstream]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        for _ in 0..<400 {
            if LocalRegistry.accepts(port: port) { return }
            usleep(25_000)
        }
        throw LocalRegistry.RegistryFailedToStart(host: host)
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

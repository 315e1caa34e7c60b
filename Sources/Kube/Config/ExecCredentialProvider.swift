import Foundation
import NIOSSL
import Structured

/// Credentials printed by an exec plugin.
public struct ExecCredential: Sendable {
    public var token: String?
    public var clientCertificate: [NIOSSLCertificate]?
    public var clientKey: NIOSSLPrivateKey?
    public var expiration: Date?
    /// Changes each time the plugin runs, so a 401 only invalidates the credential that failed.
    var generation: Int
}

/// Runs a kubeconfig `exec` plugin and caches what it prints until `expirationTimestamp`
/// (or until the server rejects it with 401), like client-go's exec authenticator.
public actor ExecCredentialProvider {
    public let config: ExecConfig
    private let clusterInfo: Value
    private let baseEnvironment: [String: String]
    private var cached: ExecCredential?
    private var generation = 0
    private var running: Task<ExecCredential, any Error>?
    /// Times the plugin has been run (for tests and diagnostics).
    public private(set) var invocations = 0

    public init(config: ExecConfig, clusterInfo: Value, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.config = config
        self.clusterInfo = clusterInfo
        self.baseEnvironment = environment
    }

    /// The current credential, running the plugin when none is cached or it expired.
    public func credential(now: Date = Date()) async throws(KubeError) -> ExecCredential {
        if let cached, cached.expiration.map({ $0 > now }) ?? true { return cached }
        // Concurrent callers share one run of the plugin.
        if let running {
            do { return try await running.value } catch { throw error as? KubeError ?? KubeError(.execPlugin, "\(error)") }
        }
        let task = Task { [config, clusterInfo, baseEnvironment] () async throws -> ExecCredential in
            try await Self.run(config: config, clusterInfo: clusterInfo, environment: baseEnvironment)
        }
        running = task
        defer { running = nil }
        do {
            var credential = try await task.value
            invocations += 1
            generation += 1
            credential.generation = generation
            cached = credential
            return credential
        } catch {
            invocations += 1
            throw error as? KubeError ?? KubeError(.execPlugin, "\(error)")
        }
    }

    /// The server refused `credential`: forget it so the next request runs the plugin again.
    public func invalidate(_ credential: ExecCredential) {
        if cached?.generation == credential.generation { cached = nil }
    }

    static func run(config: ExecConfig, clusterInfo: Value, environment: [String: String]) async throws -> ExecCredential {
        let who = "exec plugin \(config.command) for user \"\(config.user)\""
        if config.interactiveMode == .always {
            throw KubeError(.execPlugin, "\(who) requires an interactive terminal (interactiveMode: Always), which bosun never provides")
        }
        var spec: Value = ["interactive": false]
        if config.provideClusterInfo { spec["cluster"] = clusterInfo }
        let info: Value = ["kind": "ExecCredential", "apiVersion": .string(config.apiVersion), "spec": spec]
        var env = environment
        for variable in config.env { env[variable.name] = variable.value }
        env["KUBERNETES_EXEC_INFO"] = WireJSON.encode(info)

        let process = Process()
        if config.command.contains("/") {
            process.executableURL = URL(fileURLWithPath: config.command)
            process.arguments = config.args
        } else {
            guard let found = searchPath(config.command, path: env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") else {
                var message = "\(who): executable \(config.command) not found"
                if let hint = config.installHint, !hint.isEmpty { message += "\n\n" + hint }
                throw KubeError(.execPlugin, message)
            }
            process.executableURL = URL(fileURLWithPath: found)
            process.arguments = config.args
        }
        process.environment = env
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let output = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Int32, Data, Data), any Error>) in
            // Drain both pipes off the cooperative pool; plugins may print more than a pipe buffer holds.
            DispatchQueue.global().async {
                do {
                    // A plugin written a moment ago can still be open for writing in a child forked
                    // meanwhile (ETXTBSY); a short retry rides that out.
                    var tries = 0
                    while true {
                        do {
                            try process.run()
                            break
                        } catch {
                            tries += 1
                            let busy = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(ETXTBSY)
                                || (error as NSError).code == 256
                            if !busy || tries >= 5 { throw error }
                            usleep(20_000 * UInt32(tries))
                        }
                    }
                } catch {
                    var message = "\(who): unable to run: \(error.localizedDescription)"
                    if let hint = config.installHint, !hint.isEmpty { message += "\n\n" + hint }
                    continuation.resume(throwing: KubeError(.execPlugin, message))
                    return
                }
                let errBox = DataBox()
                let group = DispatchGroup()
                DispatchQueue.global().async(group: group) { errBox.data = stderr.fileHandleForReading.readDataToEndOfFile() }
                let out = stdout.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, out, errBox.data))
            }
        }
        let (status, out, err) = output
        guard status == 0 else {
            let detail = String(decoding: err, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw KubeError(.execPlugin, "\(who) failed with exit code \(status)" + (detail.isEmpty ? "" : ": \(detail)"))
        }
        return try parse(Array(out), config: config, who: who)
    }

    static func parse(_ bytes: [UInt8], config: ExecConfig, who: String) throws(KubeError) -> ExecCredential {
        let value: Value
        do { value = try WireJSON.decode(bytes) } catch {
            throw KubeError(.execPlugin, "\(who) printed something that is not an ExecCredential: \(error.message)")
        }
        guard value["kind"]?.stringValue == "ExecCredential" else {
            throw KubeError(.execPlugin, "\(who) printed kind \"\(value["kind"]?.stringValue ?? "")\", want ExecCredential")
        }
        let version = value["apiVersion"]?.stringValue ?? ""
        guard version == config.apiVersion else {
            throw KubeError(
                .execPlugin, "\(who) is configured to use API version \(config.apiVersion), plugin returned version \(version)")
        }
        guard let status = value["status"], status.objectValue != nil else {
            throw KubeError(.execPlugin, "\(who) printed an ExecCredential without status")
        }
        var credential = ExecCredential(generation: 0)
        if let raw = status["expirationTimestamp"]?.stringValue, !raw.isEmpty {
            guard let date = parseRFC3339(raw) else {
                throw KubeError(.execPlugin, "\(who): invalid expirationTimestamp \"\(raw)\"")
            }
            credential.expiration = date
        }
        let token = status["token"]?.stringValue ?? ""
        let certData = status["clientCertificateData"]?.stringValue ?? ""
        let keyData = status["clientKeyData"]?.stringValue ?? ""
        if !certData.isEmpty || !keyData.isEmpty {
            guard !certData.isEmpty, !keyData.isEmpty else {
                throw KubeError(.execPlugin, "\(who): clientCertificateData and clientKeyData must both be set or both be empty")
            }
            credential.clientCertificate = try TLSMaterial.certificates(
                pem: Array(certData.utf8), what: "\(who): clientCertificateData")
            credential.clientKey = try TLSMaterial.privateKey(pem: Array(keyData.utf8), what: "\(who): clientKeyData")
        }
        if !token.isEmpty { credential.token = token }
        guard credential.token != nil || credential.clientCertificate != nil else {
            throw KubeError(.execPlugin, "\(who) printed neither status.token nor clientCertificateData/clientKeyData")
        }
        return credential
    }
}

private final class DataBox: @unchecked Sendable { var data = Data() }

func searchPath(_ command: String, path: String) -> String? {
    for directory in path.split(separator: ":") {
        let candidate = String(directory) + "/" + command
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// RFC 3339 timestamps as Kubernetes writes them (`2026-01-02T03:04:05Z`, optional fraction and offset).
func parseRFC3339(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
}

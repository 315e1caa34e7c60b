import ArgumentParser
import Bundles
import Foundation

/// How to reach an OCI registry: shared by bundle, registry and dependency commands.
struct RegistryConnectionOptions: ParsableArguments, Sendable {
    @Flag(name: [.customLong("plain-http"), .customLong("insecure-registry")], help: "Use plain HTTP instead of HTTPS.")
    var plainHTTP = false
    @Flag(name: .customLong("insecure-skip-tls-verify"), help: "Skip TLS certificate verification of the registry.")
    var insecureSkipTLSVerify = false
    @Option(name: .customLong("ca-file"), help: "Verify the registry's certificate with this CA bundle (PEM).") var caFile: String?
    @Option(name: .customLong("cert-file"), help: "Client certificate (PEM) for mutual TLS.") var certFile: String?
    @Option(name: .customLong("key-file"), help: "Client key (PEM) for mutual TLS.") var keyFile: String?
    @Option(name: .customLong("registry-config"), help: "Registry credentials file (default: helm's registry/config.json).")
    var registryConfig: String?

    var registryOptions: RegistryOptions {
        var options = RegistryOptions()
        options.plainHTTP = plainHTTP
        options.insecureSkipTLSVerify = insecureSkipTLSVerify
        options.caFile = caFile
        options.certFile = certFile
        options.keyFile = keyFile
        options.credentials = RegistryCredentials.standard(registryConfig: registryConfig)
        return options
    }

    /// Run `body` with a client that is shut down afterwards.
    func withClient<T: Sendable>(_ body: @escaping @Sendable (RegistryClient) async throws -> T) throws -> T {
        let options = registryOptions
        return try ReleaseCommandBridge.run {
            let client = try RegistryClient(options: options)
            do {
                let result = try await body(client)
                await client.shutdown()
                return result
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }
}

/// Print helm's `Error: ...` line and exit 1.
func failCommand(_ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
    return ExitCode(1)
}

/// `bosun registry login|logout`: credentials in helm's registry config.json.
struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry", abstract: "Log in to or out of an OCI registry.",
        subcommands: [RegistryLoginCommand.self, RegistryLogoutCommand.self])
}

struct RegistryLoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "login", abstract: "Log in to a registry (as `helm registry login`).")

    @Argument(help: "Registry host[:port].") var host: String
    @Option(name: [.short, .long], help: "Registry username.") var username: String?
    @Option(name: [.short, .long], help: "Registry password or identity token.") var password: String?
    @Flag(help: "Read the password from standard input.") var passwordStdin = false
    @OptionGroup var connection: RegistryConnectionOptions

    func run() throws {
        var secret = password
        if passwordStdin {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        guard let username, let secret else { throw failCommand(BundlesError("username and password are required (-u, -p or --password-stdin)")) }
        var options = connection.registryOptions
        options.username = username
        options.password = secret
        let host = self.host.replacingOccurrences(of: "oci://", with: "")
        let loginOptions = options
        do {
            try ReleaseCommandBridge.run {
                let client = try RegistryClient(options: loginOptions)
                do { try await client.ping(host) } catch {
                    await client.shutdown()
                    throw error
                }
                await client.shutdown()
            }
            let file = connection.registryConfig ?? HelmPaths.current().registryConfig
            try RegistryCredentials.store(host: host, username: username, password: secret, in: file)
        } catch {
            throw failCommand(error)
        }
        FileHandle.standardError.write(Data("Login Succeeded\n".utf8))
    }
}

struct RegistryLogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "Remove stored credentials of a registry.")

    @Argument(help: "Registry host[:port].") var host: String
    @Option(name: .customLong("registry-config"), help: "Registry credentials file.") var registryConfig: String?

    func run() throws {
        let host = self.host.replacingOccurrences(of: "oci://", with: "")
        do { try RegistryCredentials.remove(host: host, from: registryConfig ?? HelmPaths.current().registryConfig) } catch {
            throw failCommand(error)
        }
        FileHandle.standardError.write(Data("Removing login credentials for \(host)\n".utf8))
    }
}

import Foundation
import Testing
import TestSupport

/// `bosun registry login|logout` through the binary, against an htpasswd registry, beside helm's.
@Suite struct RegistryCommandTests {
    let bosun = Repository.root + "/.build/debug/bosun"

    @Test func loginPublishLogout() throws {
        #expect(FileManager.default.isExecutableFile(atPath: bosun), "build bosun first (scripts/test.sh does)")
        let registry = try LocalRegistry(basicAuth: true)
        let helm = try HelmSandbox()
        let config = helm.home + "/bosun-registry.json"
        let wrong = try runProcess(bosun, ["registry", "login", registry.host, "-u", LocalRegistry.username, "--password-stdin",
                                           "--plain-http", "--registry-config", config], input: "nope\n", environment: helm.environment)
        #expect(!wrong.succeeded)
        #expect(wrong.stderr.contains("unauthorized"))
        #expect(!FileManager.default.fileExists(atPath: config))

        let login = try runProcess(bosun, ["registry", "login", registry.host, "-u", LocalRegistry.username, "--password-stdin",
                                           "--plain-http", "--registry-config", config], input: LocalRegistry.password + "\n",
                                   environment: helm.environment)
        #expect(login.succeeded, "\(login.stderr)")
        #expect(login.stderr == "Login Succeeded\n")

        let publish = try runProcess(bosun, ["bundle", "publish", Repository.root + "/Tests/Fixtures/Bundles/parent", "--repo",
                                             "oci://\(registry.host)/private/app", "--tag", "0.5.0", "--plain-http", "--registry-config", config],
                                     environment: helm.environment)
        #expect(publish.succeeded, "\(publish.stderr)")
        #expect(publish.stdout.hasPrefix("Pushed: \(registry.host)/private/app:0.5.0\nDigest: sha256:"))
        // helm reads the file bosun wrote.
        try helm.run(["show", "chart", "oci://\(registry.host)/private/app", "--version", "0.5.0", "--plain-http", "--registry-config", config])

        let logout = try runProcess(bosun, ["registry", "logout", registry.host, "--registry-config", config], environment: helm.environment)
        #expect(logout.stderr == "Removing login credentials for \(registry.host)\n")
        let again = try runProcess(bosun, ["bundle", "publish", Repository.root + "/Tests/Fixtures/Bundles/parent", "--repo",
                                           "oci://\(registry.host)/private/app", "--tag", "0.5.1", "--plain-http", "--registry-config", config],
                                   environment: helm.environment)
        #expect(!again.succeeded)
        #expect(again.stderr.contains("authentication required"))
    }
}

import Foundation
import Structured
import Testing
import TestSupport

@testable import Kube

@Suite struct ExecCredentialProviderTests {
    typealias F = KubeFixtures

    /// A plugin that counts its runs in `count`, saves its KUBERNETES_EXEC_INFO and environment,
    /// and prints a token credential expiring at `$EXPIRY` (none when empty).
    func plugin(in dir: String, apiVersion: String = ExecConfig.v1, body: String? = nil) throws -> String {
        let path = dir + "/plugin-\(UUID().uuidString.prefix(8)).sh"
        let output = body.map { "cat <<'JSON'\n\($0)\nJSON" } ?? """
            if [ -n "$EXPIRY" ]; then exp=",\\"expirationTimestamp\\":\\"$EXPIRY\\""; else exp=""; fi
            cat <<JSON
            {"apiVersion":"\(apiVersion)","kind":"ExecCredential","status":{"token":"tok-$n"$exp}}
            JSON
            """
        try F.write(
            """
            #!/bin/sh
            n=$(( $(cat "\(dir)/count" 2>/dev/null || echo 0) + 1 ))
            echo $n > "\(dir)/count"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "\(dir)/info.json"
            echo "$PLUGIN_VAR $1" > "\(dir)/env.txt"
            \(output)

            """, to: path, executable: true)
        return path
    }

    @Test func runsCachesUntilExpiryAndPassesClusterInfo() async throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let expiry = "2030-01-01T00:00:00Z"
        let config = ExecConfig(
            command: try plugin(in: dir), args: ["arg1"], env: [.init(name: "PLUGIN_VAR", value: "hello")],
            interactiveMode: .ifAvailable, provideClusterInfo: true, user: "u")
        let provider = ExecCredentialProvider(
            config: config, clusterInfo: ["server": "https://k:6443", "insecure-skip-tls-verify": false],
            environment: ["PATH": "/usr/bin:/bin", "EXPIRY": expiry])
        let first = try await provider.credential()
        #expect(first.token == "tok-1")
        #expect(first.expiration == parseRFC3339(expiry))
        let again = try await provider.credential()
        #expect(again.token == "tok-1")
        #expect(await provider.invocations == 1)
        // Past the expiry the plugin runs again.
        let later = try await provider.credential(now: parseRFC3339("2030-01-01T00:00:01Z")!)
        #expect(later.token == "tok-2")
        // A 401 on the current credential forgets it; a stale one does not matter.
        await provider.invalidate(first)
        #expect(try await provider.credential().token == "tok-2")
        await provider.invalidate(later)
        #expect(try await provider.credential().token == "tok-3")

        let info = try WireJSON.decode(try String(contentsOfFile: dir + "/info.json", encoding: .utf8))
        #expect(info["kind"] == "ExecCredential")
        #expect(info["apiVersion"] == .string(ExecConfig.v1))
        #expect(info[path: "spec", "interactive"] == .bool(false))
        #expect(info[path: "spec", "cluster", "server"] == "https://k:6443")
        #expect(try String(contentsOfFile: dir + "/env.txt", encoding: .utf8) == "hello arg1\n")
    }

    @Test func concurrentCallersShareOneRun() async throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let provider = ExecCredentialProvider(
            config: ExecConfig(command: try plugin(in: dir, apiVersion: ExecConfig.v1beta1), apiVersion: ExecConfig.v1beta1),
            clusterInfo: [:], environment: ["PATH": "/usr/bin:/bin"])
        try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<8 { group.addTask { try await provider.credential().token } }
            for try await token in group { #expect(token == "tok-1") }
        }
        #expect(await provider.invocations == 1)
        let info = try WireJSON.decode(try String(contentsOfFile: dir + "/info.json", encoding: .utf8))
        #expect(info[path: "spec", "cluster"] == nil)
    }

    func expectFailure(_ config: ExecConfig, _ message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) async {
        let provider = ExecCredentialProvider(config: config, clusterInfo: [:], environment: ["PATH": "/usr/bin:/bin"])
        do {
            _ = try await provider.credential()
            Issue.record("expected failure", sourceLocation: sourceLocation)
        } catch {
            #expect(error.description == message, sourceLocation: sourceLocation)
        }
    }

    @Test func pluginFailuresAreExplained() async throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let failing = dir + "/fail.sh"
        try F.write("#!/bin/sh\necho 'token expired, run: login' >&2\nexit 3\n", to: failing, executable: true)
        await expectFailure(
            ExecConfig(command: failing, user: "u"), "exec plugin \(failing) for user \"u\" failed with exit code 3: token expired, run: login")
        await expectFailure(
            ExecConfig(command: "no-such-plugin-xyz", installHint: "install it with brew", user: "u"),
            "exec plugin no-such-plugin-xyz for user \"u\": executable no-such-plugin-xyz not found\n\ninstall it with brew")
        let wrongVersion = try plugin(in: dir, body: #"{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}}"#)
        await expectFailure(
            ExecConfig(command: wrongVersion, user: "u"),
            "exec plugin \(wrongVersion) for user \"u\" is configured to use API version client.authentication.k8s.io/v1, plugin returned version client.authentication.k8s.io/v1beta1")
        let empty = dir + "/empty.sh"
        try F.write(
            "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{}}'\n",
            to: empty, executable: true)
        await expectFailure(
            ExecConfig(command: empty, user: "u"),
            "exec plugin \(empty) for user \"u\" printed neither status.token nor clientCertificateData/clientKeyData")
        await expectFailure(
            ExecConfig(command: empty, interactiveMode: .always, user: "u"),
            "exec plugin \(empty) for user \"u\" requires an interactive terminal (interactiveMode: Always), which bosun never provides")
    }

    @Test func parsesClientCertificateCredentials() throws {
        let status: Value = [
            "clientCertificateData": .string(try F.pem("client-ec.crt")), "clientKeyData": .string(try F.pem("client-ec-sec1.key")),
        ]
        let doc: Value = ["apiVersion": .string(ExecConfig.v1), "kind": "ExecCredential", "status": status]
        let credential = try ExecCredentialProvider.parse(
            Array(WireJSON.encode(doc).utf8), config: ExecConfig(command: "x"), who: "plugin")
        #expect(credential.clientCertificate?.count == 1)
        #expect(credential.clientKey != nil)
        #expect(credential.token == nil)
    }
}

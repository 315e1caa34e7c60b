import Foundation
import KubeSim
import Structured
import Testing
import TestSupport

@testable import Kube

/// Authentication modes, TLS, connection errors and retries against kubesim over TLS.
@Suite struct HTTPTransportTests {
    typealias F = KubeFixtures
    let ns = ObjectReference(apiVersion: "v1", kind: "Namespace", name: "default")

    @Test func clientCertificateAndTokenAuth() async throws {
        try await SimHarness.with { sim in
            try await withClient(try sim.client()) { client async throws in
                #expect(try await client.get(ns)[path: "metadata", "name"] == "default")
            }
            let token = try sim.writeKubeconfig(user: ["token": .string(sim.server.token!)], name: "token.json")
            try await withClient(try sim.client(kubeconfig: token)) { client async throws in
                #expect(try await client.get(ns)[path: "metadata", "name"] == "default")
            }
            // kubesim's own YAML kubeconfig goes through Structured's YAML decoder.
            try await withClient(try sim.client(kubeconfig: sim.server.kubeconfigPath!)) { client async throws in
                #expect(try await client.get(ns)[path: "metadata", "name"] == "default")
            }
            let users = try sim.audit().compactMap { $0["user"]?.stringValue }
            #expect(users.contains("kubesim-admin"))
        }
    }

    @Test func basicAuth() async throws {
        // A colon in the password: only the first one separates the user name.
        try await SimHarness.with(basicAuth: ["alice": "s3cr:et"]) { sim in
            let good = try sim.writeKubeconfig(user: ["username": "alice", "password": "s3cr:et"], name: "basic.json")
            try await withClient(try sim.client(kubeconfig: good)) { client async throws in
                #expect(try await client.get(ns)[path: "metadata", "name"] == "default")
            }
            #expect(try sim.audit().last?["user"] == "alice")
            let bad = try sim.writeKubeconfig(user: ["username": "alice", "password": "guess"], name: "basic-bad.json")
            try await withClient(try sim.client(kubeconfig: bad)) { client async throws in
                do {
                    _ = try await client.get(ns)
                    Issue.record("expected 401 with the wrong password")
                } catch let error as KubeError {
                    #expect(error.description == "Unauthorized: the server rejected the credentials of user \"me\" (context \"sim\")")
                }
            }
        }
    }

    /// Local ports of this process's established loopback connections to `serverPort` (from
    /// /proc/net/tcp: each connection appears once from each end; the client end has the server's
    /// port as its remote port).
    static func clientPorts(to serverPort: Int) throws -> Set<Int> {
        // Read to the end: /proc files report size 0, so a stat-sized read gets nothing.
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/net/tcp"))
        defer { try? handle.close() }
        let table = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        var ports = Set<Int>()
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 3, fields[3] == "01" else { continue }  // ESTABLISHED
            let local = fields[1].split(separator: ":"), remote = fields[2].split(separator: ":")
            if let remotePort = Int(remote[1], radix: 16), remotePort == serverPort, let port = Int(local[1], radix: 16) {
                ports.insert(port)
            }
        }
        return ports
    }

    /// One keep-alive connection serves discovery, gets, watches the server ends and logs, one after
    /// another; a watch we cancel closes its connection instead.
    @Test func keepAliveConnectionIsReusedAfterStreams() async throws {
        try await SimHarness.with(clockScale: 10) { sim in
            try await withClient(try sim.client()) { client async throws in
                var ports = Set<Int>()
                func sample() throws { ports.formUnion(try Self.clientPorts(to: sim.server.port)) }
                _ = try await client.get(ns)
                try sample()
                #expect(ports.count == 1)
                let configMaps = ResourceSelector(apiVersion: "v1", kind: "ConfigMap", namespace: "default")
                for round in 0..<2 {
                    _ = try await client.create(configMap("c\(round)"))
                    var events = 0
                    for try await _ in client.watch(configMaps, options: WatchOptions(timeoutSeconds: 1)) {
                        events += 1
                        try sample()
                    }
                    #expect(events >= round + 1)
                    try sample()
                    _ = try await client.list(configMaps)
                    try sample()
                }
                _ = try await client.create([
                    "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "default"],
                    "spec": ["containers": [["name": "c", "image": "nginx"]]],
                ])
                let deadline = ContinuousClock.now + .seconds(10)
                var logged: [String] = []
                while logged.isEmpty && ContinuousClock.now < deadline {
                    logged = (try? await HTTPKubeClientLogsTests.collect(client.podLogs(namespace: "default", pod: "p"))) ?? []
                    try sample()
                }
                #expect(logged.count == 1)
                _ = try await client.get(ns)
                try sample()
                #expect(ports.count == 1, "connections used: \(ports.count)")

                // Cancelling a watch the server is still serving closes that connection: the next
                // request goes over another one.
                for try await _ in client.watch(configMaps) { break }
                _ = try await client.get(ns)
                try sample()
                #expect(ports.count == 2)
            }
        }
    }

    @Test func wrongTokenIsUnauthorizedNamingUserAndContext() async throws {
        try await SimHarness.with { sim in
            let path = try sim.writeKubeconfig(user: ["token": "wrong"], name: "bad.json")
            try await withClient(try sim.client(kubeconfig: path)) { client async throws in
                do {
                    _ = try await client.get(ns)
                    Issue.record("expected 401")
                } catch let error as KubeError {
                    #expect(error.isUnauthorized)
                    #expect(error.description == "Unauthorized: the server rejected the credentials of user \"me\" (context \"sim\")")
                    #expect(error.kubectlLine.hasPrefix("error: You must be logged in to the server (Unauthorized"))
                }
            }
        }
    }

    @Test func tokenFileIsReReadAfter401() async throws {
        try await SimHarness.with { sim in
            let tokenPath = sim.directory + "/token"
            try F.write("stale\n", to: tokenPath)
            let path = try sim.writeKubeconfig(user: ["tokenFile": "token"], name: "tf.json")
            try await withClient(try sim.client(kubeconfig: path)) { client async throws in
                do {
                    _ = try await client.get(ns)
                    Issue.record("expected 401 with the stale token")
                } catch let error as KubeError {
                    #expect(error.isUnauthorized)
                }
                // Rotated on disk: the cached stale token gets a 401, the file is re-read, the request retried.
                try F.write(sim.server.token! + "\n", to: tokenPath)
                #expect(try await client.get(ns)[path: "metadata", "name"] == "default")
            }
        }
    }

    /// A plugin printing `tok-<n>` for its n-th run, or the server's token from run `goodFrom` on.
    func execUser(_ sim: SimHarness, goodFrom: Int, expiresIn: Int? = nil, apiVersion: String = ExecConfig.v1) throws -> Value {
        let script = sim.directory + "/plugin.sh"
        let expiry = expiresIn.map { ",\\\"expirationTimestamp\\\":\\\"$(date -u -d @$(( $(date +%s) + \($0) )) +%Y-%m-%dT%H:%M:%SZ)\\\"" } ?? ""
        try F.write(
            """
            #!/bin/sh
            n=$(( $(cat "\(sim.directory)/count" 2>/dev/null || echo 0) + 1 ))
            echo $n > "\(sim.directory)/count"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "\(sim.directory)/info.json"
            if [ $n -ge \(goodFrom) ]; then tok="\(sim.server.token!)"; else tok="tok-$n"; fi
            echo "{\\"apiVersion\\":\\"\(apiVersion)\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"$tok\\"\(expiry)}}"

            """, to: script, executable: true)
        return ["exec": ["command": "./plugin.sh", "apiVersion": .string(apiVersion), "interactiveMode": "Never", "provideClusterInfo": true]]
    }

    func runs(_ sim: SimHarness) -> Int {
        Int((try? String(contentsOfFile: sim.directory + "/count", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "0") ?? 0
    }

    @Test func execPluginIsCachedAndReRunOn401() async throws {
        try await SimHarness.with { sim in
            let path = try sim.writeKubeconfig(user: try execUser(sim, goodFrom: 2), name: "exec.json")
            try await withClient(try sim.client(kubeconfig: path)) { client async throws in
                // Run 1 prints a token the server refuses; the 401 re-runs the plugin once.
                #expect(try await client.get(ns)[path: "metadata", "name"] == "default")
                #expect(runs(sim) == 2)
                for _ in 0..<5 { _ = try await client.get(ns) }
                #expect(runs(sim) == 2)
                #expect(await client.execCredentialProvider?.invocations == 2)
            }
            let info = try WireJSON.decode(try String(contentsOfFile: sim.directory + "/info.json", encoding: .utf8))
            #expect(info[path: "spec", "cluster", "server"] == .string(sim.server.url))
            #expect(info[path: "spec", "cluster", "certificate-authority-data"] == .string(sim.caData))
            #expect(info[path: "spec", "interactive"] == false)
        }
    }

    @Test func execPluginRunsAgainAfterExpiry() async throws {
        try await SimHarness.with { sim in
            let path = try sim.writeKubeconfig(
                user: try execUser(sim, goodFrom: 1, expiresIn: 8, apiVersion: ExecConfig.v1beta1), name: "exec.json")
            try await withClient(try sim.client(kubeconfig: path)) { client async throws in
                // The plugin stamps whole seconds: the credential lives 7 to 8 s from its run.
                _ = try await client.get(ns)
                let issued = ContinuousClock.now  // the plugin ran before this
                _ = try await client.get(ns)
                #expect(runs(sim) == 1)
                try await Task.sleep(until: issued + .milliseconds(8300))
                _ = try await client.get(ns)
                #expect(runs(sim) == 2)
            }
        }
    }

    @Test func execPluginClientCertificate() async throws {
        try await SimHarness.with { sim in
            let script = sim.directory + "/cert-plugin.sh"
            let credential: Value = [
                "apiVersion": .string(ExecConfig.v1), "kind": "ExecCredential",
                "status": ["clientCertificateData": .string(sim.ca.clientCertificatePEM), "clientKeyData": .string(sim.ca.clientKeyPEM)],
            ]
            try F.write(sim.directory + "/cred.json", to: sim.directory + "/unused")
            try WireJSON.encode(credential).write(toFile: sim.directory + "/cred.json", atomically: true, encoding: .utf8)
            try F.write("#!/bin/sh\ncat \"\(sim.directory)/cred.json\"\n", to: script, executable: true)
            let path = try sim.writeKubeconfig(
                user: ["exec": ["command": .string(script), "apiVersion": .string(ExecConfig.v1), "interactiveMode": "IfAvailable"]],
                name: "exec-cert.json")
            try await withClient(try sim.client(kubeconfig: path)) { client async throws in
                #expect(try await client.get(ns)[path: "metadata", "name"] == "default")
            }
            #expect(try sim.audit().last?["user"] == "kubesim-admin")
        }
    }

    @Test func tlsServerNameAndTrust() async throws {
        try await SimHarness.with { sim in
            // The URL carries kubernetes.default.svc (not resolvable here): the connection must still go to
            // 127.0.0.1 while SNI and verification use the name. (NIOSSL also accepts a certificate whose IP
            // SAN matches the peer address, so a wrong name cannot be shown to fail against kubesim's cert.)
            let named = try sim.writeKubeconfig(
                user: sim.certificateUser, name: "named.json", cluster: ["tls-server-name": "kubernetes.default.svc"])
            try await withClient(try sim.client(kubeconfig: named)) { client async throws in
                #expect(try await client.get(ns)[path: "metadata", "name"] == "default")
            }
            // A CA that did not sign the server's certificate.
            let otherCA = try sim.writeKubeconfig(
                user: ["token": .string(sim.server.token!)], name: "other-ca.json",
                cluster: ["certificate-authority-data": .string(try F.base64("ca.crt"))])
            try await withClient(try sim.client(kubeconfig: otherCA)) { client async throws in
                do {
                    _ = try await client.get(ns)
                    Issue.record("expected a TLS failure")
                } catch let error as KubeError {
                    #expect(error.description.hasPrefix("unable to connect to the server \(sim.server.url) (context \"sim\"): TLS handshake failed"))
                }
            }
            // insecure-skip-tls-verify without a CA.
            let insecure = try F.writeConfig(
                F.config(
                    clusters: [F.cluster("sim", ["server": .string(sim.server.url), "insecure-skip-tls-verify": true])],
                    users: [F.user("me", ["token": .string(sim.server.token!)])],
                    contexts: [F.context("sim", cluster: "sim", user: "me")], current: "sim"),
                in: sim.directory, name: "insecure.json")
            try await withClient(try sim.client(kubeconfig: insecure)) { client async throws in
                #expect(try await client.get(ns)[path: "metadata", "name"] == "default")
            }
        }
    }

    @Test func connectionRefusedNamesServerAndContext() async throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Port 1 on loopback: nothing listens there.
        let path = try F.writeConfig(
            F.config(
                clusters: [F.cluster("gone", ["server": "https://127.0.0.1:1", "insecure-skip-tls-verify": true])],
                users: [F.user("u", ["token": "t"])], contexts: [F.context("prod", cluster: "gone", user: "u")], current: "prod"),
            in: dir, name: "config.json")
        let connection = try KubeConfigLoader(kubeconfig: path, environment: [:]).load()
        var options = SimHarness.fastOptions
        options.retry = RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(1), maxDelay: .milliseconds(2))
        try await withClient(try HTTPKubeClient(connection: connection, options: options, discoveryCacheDirectory: nil)) { client async throws in
            do {
                _ = try await client.get(ns)
                Issue.record("expected a connection failure")
            } catch let error as KubeError {
                #expect(error.description == "unable to connect to the server https://127.0.0.1:1 (context \"prod\"): connection refused after 3 attempts")
            }
        }
    }

    static func exerciseAll(_ client: HTTPKubeClient) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<20 { group.addTask { try await exercise(client, i) } }
            try await group.waitForAll()
        }
    }

    /// create, apply, get, delete of one pair of objects.
    static func exercise(_ client: HTTPKubeClient, _ i: Int) async throws {
        _ = try await client.create(configMap("c-\(i)"))
        _ = try await client.apply(configMap("a-\(i)", data: ["n": .string("\(i)")]), options: ApplyOptions(force: true))
        let got = try await client.get(ObjectReference(apiVersion: "v1", kind: "ConfigMap", name: "a-\(i)"))
        #expect(got[path: "data", "n"] == .string("\(i)"))
        _ = try await client.delete(ObjectReference(apiVersion: "v1", kind: "ConfigMap", name: "c-\(i)"))
    }

    @Test func retriesUnder429And503WithoutDuplicateWrites() async throws {
        let faults = FaultPlan(
            seed: 7,
            errors: [
                .init(verb: "create", resource: "configmaps", rate: 0.4, code: 429, retryAfterSeconds: 0),
                .init(verb: "patch", resource: "configmaps", rate: 0.4, code: 503),
                .init(verb: "get", resource: "configmaps", rate: 0.3, code: 500),
                .init(verb: "delete", resource: "configmaps", rate: 0.3, code: 504),
            ])
        try await SimHarness.with(faults: faults) { sim in
            // Up to 20 attempts: with 8, a request meeting 40% faults fails for good once in ~1,500 (0.4^8),
            // and the test makes about 100 of them.
            var options = SimHarness.fastOptions
            options.retry = RetryPolicy(maxAttempts: 20, initialDelay: .milliseconds(5), maxDelay: .milliseconds(50))
            let client = try sim.client(options: options)
            do { try await Self.exerciseAll(client) } catch {
                await client.shutdown()
                throw error
            }
            await client.shutdown()
            let audit = try sim.audit().filter { $0["resource"] == "configmaps" }
            // Creates carry no name in the URL: count them. Every 429 was retried; exactly 20 reached the store.
            let creates = audit.filter { $0["verb"] == "create" }
            #expect(creates.filter { $0["code"] == 201 }.count == 20)
            #expect(creates.allSatisfy { $0["code"] == 201 || $0["code"] == 429 })
            for i in 0..<20 {
                let deletes = audit.filter { $0["verb"] == "delete" && $0["name"] == .string("c-\(i)") }
                #expect(deletes.filter { $0["code"] == 200 }.count == 1)
                #expect(deletes.allSatisfy { $0["code"] == 200 || $0["code"] == 504 })
            }
            #expect(audit.contains { $0["code"] == 429 } && audit.contains { $0["code"] == 503 } && audit.contains { $0["code"] == 500 })
        }
    }

    @Test func createIsNotRetriedOnServerErrors() async throws {
        let faults = FaultPlan(errors: [.init(verb: "create", resource: "configmaps", rate: 1, code: 503)])
        try await SimHarness.with(faults: faults) { sim in
            try await withClient(try sim.client()) { client async throws in
                do {
                    _ = try await client.create(configMap("once"))
                    Issue.record("expected 503")
                } catch let error as KubeError {
                    #expect(error.code == 503)
                    #expect(error.description == "the server is currently unable to handle the request")
                }
            }
            #expect(try sim.audit().filter { $0["verb"] == "create" }.count == 1)
        }
    }

    @Test func giveUpAfterMaxAttempts() async throws {
        let faults = FaultPlan(errors: [.init(verb: "get", resource: "namespaces", rate: 1, code: 500)])
        try await SimHarness.with(faults: faults) { sim in
            var options = SimHarness.fastOptions
            options.retry.maxAttempts = 4
            try await withClient(try sim.client(options: options)) { client async throws in
                do {
                    _ = try await client.get(ns)
                    Issue.record("expected 500")
                } catch let error as KubeError {
                    #expect(error.code == 500)
                    #expect(error.reason == "InternalError")
                }
            }
            #expect(try sim.audit().filter { $0["verb"] == "get" && $0["resource"] == "namespaces" }.count == 4)
        }
    }

    @Test func rateLimiterBoundsRequestRate() async throws {
        try await SimHarness.with { sim in
            var options = SimHarness.fastOptions
            options.qps = 40
            options.burst = 5
            try await withClient(try sim.client(options: options)) { client async throws in
                _ = try await client.get(ns)  // discovery + get: 2 tokens
                let start = ContinuousClock.now
                try await withThrowingTaskGroup(of: Void.self) { group in
                    let ns = self.ns
                    for _ in 0..<23 { group.addTask { _ = try await client.get(ns) } }
                    try await group.waitForAll()
                }
                // 3 tokens left in the burst, 20 more at 40/s: at least half a second.
                #expect(ContinuousClock.now - start >= .milliseconds(450))
            }
        }
    }
}

@Suite struct HTTPTransportTimingTests {
    let ns = ObjectReference(apiVersion: "v1", kind: "Namespace", name: "default")

    @Test func retryAfterIsHonoured() async throws {
        let faults = FaultPlan(errors: [.init(verb: "get", resource: "namespaces", rate: 1, code: 429, retryAfterSeconds: 1)])
        try await SimHarness.with(faults: faults) { sim in
            let client = try sim.client()
            _ = try await client.resource(apiVersion: "v1", kind: "Namespace")
            // Heal once the server has answered 429 (not after a fixed time: a loaded machine may be slower).
            let healer = Task {
                while try !sim.audit().contains(where: { $0["code"] == 429 }) { try await Task.sleep(for: .milliseconds(20)) }
                await sim.server.setFaults(FaultPlan())
            }
            let start = ContinuousClock.now
            let live = try await client.get(ns)
            let elapsed = ContinuousClock.now - start
            _ = try await healer.value
            await client.shutdown()
            #expect(live[path: "metadata", "name"] == "default")
            // The fast test backoff is 5 ms; only the server's Retry-After explains a one-second wait.
            #expect(elapsed >= .milliseconds(950))
            let codes = try sim.audit().filter { $0["verb"] == "get" && $0["resource"] == "namespaces" }.map { $0["code"] }
            #expect(codes == [429, 200])
        }
    }

    @Test func slowServerTimesOut() async throws {
        try await SimHarness.with(faults: FaultPlan(latencyMs: 1500)) { sim in
            var options = SimHarness.fastOptions
            options.requestTimeout = .milliseconds(300)
            let client = try sim.client(options: options)
            do {
                _ = try await client.get(ns)
                Issue.record("expected a timeout")
            } catch let error as KubeError {
                #expect(error.kind == .timeout)
                #expect(error.description == "request to \(sim.server.url) (context \"sim\") timed out after 300ms")
            }
            await client.shutdown()
        }
    }
}

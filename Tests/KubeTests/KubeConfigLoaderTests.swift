import Foundation
import Structured
import Testing
import TestSupport

@testable import Kube

@Suite struct KubeConfigLoaderTests {
    typealias F = KubeFixtures

    func loader(_ dir: String, kubeconfig: String? = nil, env: [String: String] = [:], context: String? = nil)
        -> KubeConfigLoader
    {
        KubeConfigLoader(
            kubeconfig: kubeconfig, context: context, environment: env, homeDirectory: dir + "/home",
            inClusterRoot: dir + "/sa")
    }

    func expectError(_ loader: KubeConfigLoader, _ message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        do {
            let connection = try loader.load()
            Issue.record("expected failure, got \(connection.server)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.description == message, sourceLocation: sourceLocation)
        }
    }

    @Test func mergesKubeconfigListFirstFileWins() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try F.writeConfig(
            F.config(
                clusters: [F.cluster("shared", ["server": "https://a.example:6443", "insecure-skip-tls-verify": true])],
                users: [F.user("u", ["token": "token-a"])],
                contexts: [F.context("one", cluster: "shared", user: "u", namespace: "from-a")]),
            in: dir, name: "a.json")
        let b = try F.writeConfig(
            F.config(
                clusters: [
                    F.cluster("shared", ["server": "https://b.example:6443"]),
                    F.cluster("only-b", ["server": "https://only-b.example", "insecure-skip-tls-verify": true]),
                ],
                users: [F.user("u", ["token": "token-b"])],
                contexts: [F.context("one", cluster: "only-b", user: "u"), F.context("two", cluster: "only-b", user: "u")],
                current: "one"),
            in: dir, name: "b.json")
        let c = try F.writeConfig(F.config(current: "two"), in: dir, name: "c.json")
        let l = loader(dir, env: ["KUBECONFIG": "\(dir)/missing.json:\(a):\(b):\(c)"])
        let config = try l.loadConfig()
        #expect(config.files == [a, b, c])
        #expect(config.currentContext == "one")  // c sets it too, but b came first
        #expect(config.clusters["shared"]?.server == "https://a.example:6443")
        #expect(config.clusters["only-b"]?.server == "https://only-b.example")
        #expect(config.contexts["one"]?.cluster == "shared")
        let connection = try l.load()
        #expect(connection.server == "https://a.example:6443")
        #expect(connection.contextName == "one")
        #expect(connection.namespace == "from-a")
        guard case .bearerToken("token-a") = connection.authentication else {
            Issue.record("expected token-a, got \(connection.authentication)")
            return
        }
        let two = try loader(dir, env: ["KUBECONFIG": "\(a):\(b)"], context: "two").load()
        #expect(two.server == "https://only-b.example")
        #expect(two.namespace == "default")
    }

    @Test func currentContextFromFirstFileThatSetsIt() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try F.writeConfig(F.config(clusters: [F.cluster("c", ["server": "http://127.0.0.1:1"])]), in: dir, name: "a.json")
        let b = try F.writeConfig(
            F.config(contexts: [F.context("ctx", cluster: "c", user: "")], current: "ctx"), in: dir, name: "b.json")
        let connection = try loader(dir, env: ["KUBECONFIG": "\(a):\(b)"]).load()
        #expect(connection.contextName == "ctx")
        #expect(connection.server == "http://127.0.0.1:1")
    }

    @Test func relativePathsResolveAgainstTheirOwnFile() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/sub/pki", withIntermediateDirectories: true)
        for name in ["ca.crt", "client-rsa.crt", "client-rsa-pkcs1.key"] {
            try FileManager.default.copyItem(atPath: F.pki + "/" + name, toPath: dir + "/sub/pki/" + name)
        }
        try F.write("tok-from-file\n", to: dir + "/sub/pki/token")
        let usersFile = try F.writeConfig(
            F.config(users: [
                F.user("cert", ["client-certificate": "pki/client-rsa.crt", "client-key": "pki/client-rsa-pkcs1.key"]),
                F.user("tf", ["tokenFile": "pki/token"]),
                F.user("ex", ["exec": ["command": "./bin/plugin", "apiVersion": "client.authentication.k8s.io/v1beta1"]]),
                F.user("ex-path", ["exec": ["command": "gcloud", "apiVersion": "client.authentication.k8s.io/v1beta1"]]),
            ]), in: dir, name: "sub/users.json")
        let main = try F.writeConfig(
            F.config(
                clusters: [F.cluster("c", ["server": "https://k.example", "certificate-authority": "sub/pki/ca.crt"])],
                contexts: [F.context("ctx", cluster: "c", user: "cert")], current: "ctx"),
            in: dir, name: "main.json")
        let l = loader(dir, env: ["KUBECONFIG": "\(main):\(usersFile)"])
        let config = try l.loadConfig()
        #expect(config.clusters["c"]?.certificateAuthority == dir + "/sub/pki/ca.crt")
        #expect(config.users["cert"]?.clientCertificate == dir + "/sub/pki/client-rsa.crt")
        #expect(config.users["tf"]?.tokenFile == dir + "/sub/pki/token")
        #expect(config.users["ex"]?.exec?.command == dir + "/sub/./bin/plugin")
        #expect(config.users["ex-path"]?.exec?.command == "gcloud")
        let connection = try l.load()
        #expect(connection.tls.certificateAuthorities?.count == 1)
        #expect(connection.tls.clientCertificateChain?.count == 1)
        #expect(connection.tls.clientKey != nil)
    }

    @Test(arguments: ["client-rsa-pkcs1.key", "client-rsa-pkcs8.key", "client-ec-sec1.key", "client-ec-pkcs8.key"])
    func loadsEveryKeyFormatFromData(_ keyFile: String) throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cert = keyFile.hasPrefix("client-ec") ? "client-ec.crt" : "client-rsa.crt"
        let path = try F.writeConfig(
            F.config(
                clusters: [F.cluster("c", ["server": "https://k.example:6443", "certificate-authority-data": .string(try F.base64("ca.crt"))])],
                users: [F.user("u", ["client-certificate-data": .string(try F.base64(cert)), "client-key-data": .string(try F.base64(keyFile))])],
                contexts: [F.context("ctx", cluster: "c", user: "u")], current: "ctx"),
            in: dir, name: "config")
        let connection = try loader(dir, kubeconfig: path).load()
        #expect(connection.tls.clientKey != nil)
        #expect(connection.tls.certificateAuthorityPEM == Array(try F.pem("ca.crt").utf8))
        #expect(connection.execClusterInfo["certificate-authority-data"]?.stringValue == (try F.base64("ca.crt")))
    }

    @Test func defaultPathAndEmptyNamespace() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try F.writeConfig(
            F.config(
                clusters: [F.cluster("c", ["server": "https://10.0.0.1:443/prefix/", "tls-server-name": "kube.internal"])],
                users: [F.user("u", ["username": "admin", "password": "s3cret"])],
                contexts: [F.context("ctx", cluster: "c", user: "u", namespace: "")], current: "ctx"),
            in: dir, name: "home/.kube/config")
        let connection = try loader(dir).load()
        #expect(connection.server == "https://10.0.0.1/prefix")
        #expect(connection.namespace == "default")
        #expect(connection.tls.serverName == "kube.internal")
        guard case .basic("admin", "s3cret") = connection.authentication else {
            Issue.record("expected basic auth")
            return
        }
    }

    @Test func errorsNameTheFileAndField() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try F.writeConfig(
            F.config(
                clusters: [F.cluster("c", ["server": "https://k.example"])],
                users: [
                    F.user("u", ["client-certificate": "/x", "client-key": "/y"]),
                    F.user("v", ["token": "t", "username": "a"]),
                    F.user("p", ["auth-provider": ["name": "gcp"]]),
                ],
                contexts: [
                    F.context("dev", cluster: "c", user: "u"), F.context("both", cluster: "c", user: "v"),
                    F.context("prov", cluster: "c", user: "p"), F.context("nouser", cluster: "c", user: "ghost"),
                    F.context("nocluster", cluster: "ghost", user: "u"),
                ], current: "dev"),
            in: dir, name: "a.yaml")
        let b = try F.writeConfig(F.config(), in: dir, name: "b.yaml")
        let env = ["KUBECONFIG": "\(a):\(b)"]
        expectError(
            loader(dir, env: env, context: "prod"), "context \"prod\" not found in kubeconfig (files: \(a), \(b))")
        expectError(loader(dir, env: env), "unable to read client-cert /x for user \"u\": no such file")
        expectError(
            loader(dir, env: env, context: "both"),
            "\(a): user \"v\": more than one authentication method found (token, basic auth, exec); choose one")
        expectError(
            loader(dir, env: env, context: "prov"),
            "\(a): user \"p\" uses auth-provider \"gcp\", which is not supported; use an exec credential plugin instead")
        expectError(
            loader(dir, env: env, context: "nouser"),
            "user \"ghost\" of context \"nouser\" not found in kubeconfig (files: \(a), \(b))")
        expectError(
            loader(dir, env: env, context: "nocluster"),
            "cluster \"ghost\" of context \"nocluster\" not found in kubeconfig (files: \(a), \(b))")
        expectError(
            loader(dir, kubeconfig: dir + "/nope.yaml"), "kubeconfig \(dir)/nope.yaml does not exist (given by --kubeconfig)")
        expectError(
            loader(dir), "no kubeconfig found (looked for \(dir)/home/.kube/config) and not running in a cluster; pass --kubeconfig or set KUBECONFIG")
    }

    @Test func fieldErrors() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func check(_ config: Value, _ message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            var config = config
            if config["users"] == .array([]) { config["users"] = [F.user("u", [:])] }
            let path = try F.writeConfig(config, in: dir, name: "bad.json")
            expectError(loader(dir, kubeconfig: path), message.replacingOccurrences(of: "$F", with: path), sourceLocation: sourceLocation)
        }
        let ctx = [F.context("x", cluster: "c", user: "u")]
        try check(
            F.config(clusters: [F.cluster("c", ["server": "https://k", "certificate-authority-data": "%%%"])], contexts: ctx, current: "x"),
            "$F: clusters[0].cluster.certificate-authority-data: illegal base64 data")
        try check(
            F.config(clusters: [F.cluster("c", ["server": "https://k", "insecure-skip-tls-verify": "maybe"])], contexts: ctx, current: "x"),
            "$F: clusters[0].cluster.insecure-skip-tls-verify: expected true or false")
        try check(
            F.config(clusters: [F.cluster("c", [:])], contexts: ctx, current: "x"), "$F: cluster \"c\" has no server")
        try check(
            F.config(clusters: [F.cluster("c", ["server": "ftp://k"])], contexts: ctx, current: "x"),
            "$F: cluster \"c\": invalid server URL \"ftp://k\"")
        try check(
            F.config(
                clusters: [F.cluster("c", ["server": "https://k"])],
                users: [F.user("u", ["exec": ["command": "p", "apiVersion": "client.authentication.k8s.io/v1"]])], contexts: ctx,
                current: "x"),
            "$F: users[0].user.exec.interactiveMode: interactiveMode must be specified for user \"u\" to use exec authentication plugin")
        try check(
            F.config(
                clusters: [F.cluster("c", ["server": "https://k"])],
                users: [F.user("u", ["exec": ["command": "p", "apiVersion": "client.authentication.k8s.io/v1alpha1"]])],
                contexts: ctx, current: "x"),
            "$F: users[0].user.exec.apiVersion: exec plugin for user \"u\": unsupported apiVersion \"client.authentication.k8s.io/v1alpha1\" (want client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1)")
        try check(
            F.config(
                clusters: [F.cluster("c", ["server": "https://k", "certificate-authority-data": .string(try F.base64("ca.crt")), "insecure-skip-tls-verify": true])],
                contexts: ctx, current: "x"),
            "$F: cluster \"c\": specifying a root certificates file with the insecure flag is not allowed")
        try check(
            F.config(
                clusters: [F.cluster("c", ["server": "https://k"])],
                users: [F.user("u", ["client-certificate-data": .string(try F.base64("client-rsa.crt"))])], contexts: ctx,
                current: "x"),
            "$F: user \"u\" has a client certificate but no client-key")
        try check(
            F.config(
                clusters: [F.cluster("c", ["server": "https://k"])],
                users: [F.user("u", ["client-certificate-data": .string(try F.base64("client-rsa.crt")), "client-key-data": .string(try F.base64("ca.crt"))])],
                contexts: ctx, current: "x"),
            "unable to load client-key-data for user \"u\": no PEM private key found")
        try check(F.config(clusters: [F.cluster("c", ["server": "https://k"])], contexts: ctx),
            "no current-context is set in kubeconfig (files: $F); pass --kube-context")
        try check(["clusters": "oops"], "$F: clusters: expected a list")
    }

    @Test func inClusterConfigWithInjectedRoot() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try F.write("sa-token\n", to: dir + "/sa/token")
        try F.write(try F.pem("ca.crt"), to: dir + "/sa/ca.crt")
        try F.write("team-a\n", to: dir + "/sa/namespace")
        let env = ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"]
        let connection = try loader(dir, env: env).load()
        #expect(connection.server == "https://[fd00::1]:443")
        #expect(connection.namespace == "team-a")
        #expect(connection.contextName == "in-cluster")
        guard case .tokenFile(let path) = connection.authentication else {
            Issue.record("expected a token file")
            return
        }
        #expect(path == dir + "/sa/token")
        try FileManager.default.removeItem(atPath: dir + "/sa/token")
        expectError(loader(dir, env: env), "unable to read token \(dir)/sa/token for the in-cluster service account: no such file")
    }
}

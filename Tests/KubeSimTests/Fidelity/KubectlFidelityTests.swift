import Foundation
import Structured
import Testing
import TestSupport
@testable import KubeSim

/// Real kubectl 1.35 against kubesim. Each expectation is what a real API server makes kubectl
/// print or return (checked against a kind cluster when the case was written).
@Suite(.serialized) struct KubectlFidelityTests {
    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels:
            app: web
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
                - name: web
                  image: nginx:1.27
                  env:
                    - name: A
                      value: "1"
                    - name: B
                      value: "2"
        """

    @Test func createNamespaceAndGetTables() async throws {
        try await SimCluster.with { sim in
            let created = try await sim.kubectl("create", "namespace", "demo")
            #expect(created.stdout == "namespace/demo created\n", "\(created.stderr)")
            let table = try await sim.kubectl("get", "namespace", "demo")
            let lines = table.stdout.split(separator: "\n")
            #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == ["NAME", "STATUS", "AGE"])
            #expect(lines.count == 2 && lines[1].hasPrefix("demo   Active   "))
            // A second create is AlreadyExists, worded by kubectl from the Status the server sends.
            let again = try await sim.kubectl("create", "namespace", "demo")
            #expect(again.status == 1)
            #expect(again.stderr == "Error from server (AlreadyExists): namespaces \"demo\" already exists\n")
            let missing = try await sim.kubectl("get", "configmap", "nope", "-n", "demo")
            #expect(missing.stderr == "Error from server (NotFound): configmaps \"nope\" not found\n")
            let none = try await sim.kubectl("get", "secrets", "-n", "demo")
            #expect(none.stdout == "" && none.stderr == "No resources found in demo namespace.\n")
        }
    }

    @Test func serverSideApplyAndConflicts() async throws {
        try await SimCluster.with { sim in
            let file = try sim.write("deploy.yaml", Self.deployment)
            let first = try await sim.kubectl("apply", "--server-side", "-f", file)
            #expect(first.stdout == "deployment.apps/web serverside-applied\n", "\(first.stderr)")
            let again = try await sim.kubectl("apply", "--server-side", "-f", file)
            #expect(again.stdout == "deployment.apps/web serverside-applied\n")
            let live = try await sim.kubectlJSON("get", "deployment", "web", "--show-managed-fields")
            #expect(live[path: "metadata", "generation"] == 1)  // the second apply changed nothing
            let managed = live[path: "metadata", "managedFields"]?.arrayValue ?? []
            #expect(managed.count == 1)
            #expect(managed.first?["manager"] == "kubectl" && managed.first?["operation"] == "Apply")
            #expect(live[path: "spec", "strategy", "type"] == "RollingUpdate")
            #expect(live[path: "spec", "revisionHistoryLimit"] == 10)

            let changed = try sim.write("deploy2.yaml", Self.deployment.replacingOccurrences(of: "replicas: 1", with: "replicas: 3"))
            let conflict = try await sim.kubectl("apply", "--server-side", "--field-manager=other", "-f", changed)
            #expect(conflict.status == 1)
            #expect(conflict.stderr.hasPrefix("error: Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas\n"))
            let forced = try await sim.kubectl("apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", changed)
            #expect(forced.succeeded, "\(forced.stderr)")
            let after = try await sim.kubectlJSON("get", "deployment", "web")
            #expect(after[path: "spec", "replicas"] == 3)
            #expect(after[path: "metadata", "generation"] == 2)
        }
    }

    @Test func clientSideApplyThreeWayMerge() async throws {
        try await SimCluster.with { sim in
            let file = try sim.write("deploy.yaml", Self.deployment)
            let first = try await sim.kubectl("apply", "-f", file)
            #expect(first.stdout == "deployment.apps/web created\n", "\(first.stderr)")
            let unchanged = try await sim.kubectl("apply", "-f", file)
            #expect(unchanged.stdout == "deployment.apps/web unchanged\n", "\(unchanged.stderr)")
            // Change one env value, drop the other: the three-way patch removes B and keeps server defaults.
            let edited = Self.deployment
                .replacingOccurrences(of: "value: \"1\"", with: "value: \"10\"")
                .replacingOccurrences(of: #"\n\s*- name: B\n\s*value: "2""#, with: "", options: .regularExpression)
            let second = try await sim.kubectl("apply", "-f", sim.write("deploy.yaml", edited))
            #expect(second.stdout == "deployment.apps/web configured\n", "\(second.stderr)")
            let live = try await sim.kubectlJSON("get", "deployment", "web")
            let env = live[path: "spec", "template", "spec", "containers"]?.arrayValue?.first?["env"]
            #expect(env == [["name": "A", "value": "10"]])
            #expect(live[path: "spec", "template", "spec", "containers"]?.arrayValue?.first?["imagePullPolicy"] == "IfNotPresent")
            #expect(live[path: "metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"] != nil)
            #expect(live[path: "metadata", "generation"] == 2)
        }
    }

    @Test func getYAMLAndJSON() async throws {
        try await SimCluster.with { sim in
            _ = try await sim.kubectl("create", "configmap", "settings", "--from-literal=a=1")
            let yaml = try await sim.kubectl("get", "configmap", "settings", "-o", "yaml")
            #expect(yaml.stdout.hasPrefix("apiVersion: v1\ndata:\n  a: \"1\"\nkind: ConfigMap\nmetadata:\n  creationTimestamp: \""), "\(yaml.stdout)")
            #expect(yaml.stdout.contains("\n  name: settings\n  namespace: default\n  resourceVersion: \""))
            let json = try await sim.kubectlJSON("get", "configmaps")
            #expect(json["kind"] == "List")
            #expect(json["items"]?.arrayValue?.map { $0.name } == ["kube-root-ca.crt", "settings"])
            let name = try await sim.kubectl("get", "configmap", "settings", "-o", "name")
            #expect(name.stdout == "configmap/settings\n")
            let jsonpath = try await sim.kubectl("get", "configmap", "settings", "-o", "jsonpath={.data.a}")
            #expect(jsonpath.stdout == "1")
        }
    }

    @Test func deleteCascadeForeground() async throws {
        try await SimCluster.with { sim in
            _ = try await sim.kubectl("apply", "--server-side", "-f", sim.write("deploy.yaml", Self.deployment))
            let owner = try await sim.kubectlJSON("get", "deployment", "web")
            let rs = """
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: web-1
                  ownerReferences:
                    - apiVersion: apps/v1
                      kind: Deployment
                      name: web
                      uid: \(owner.uid)
                      controller: true
                      blockOwnerDeletion: true
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: nginx}]}
                """
            let created = try await sim.kubectl("create", "-f", sim.write("rs.yaml", rs))
            #expect(created.succeeded, "\(created.stderr)")
            let deleted = try await sim.kubectl("delete", "deployment", "web", "--cascade=foreground")
            #expect(deleted.stdout == "deployment.apps \"web\" deleted\n" || deleted.stdout == "deployment.apps \"web\" deleted from default namespace\n", "\(deleted.stderr)")
            let left = try await sim.kubectl("get", "replicasets")
            #expect(left.stderr == "No resources found in default namespace.\n")
        }
    }

    @Test func diffShowsChanges() async throws {
        try await SimCluster.with { sim in
            let file = try sim.write("deploy.yaml", Self.deployment)
            _ = try await sim.kubectl("apply", "--server-side", "-f", file)
            let same = try await sim.kubectl("diff", "--server-side", "-f", file)
            #expect(same.status == 0 && same.stdout.isEmpty, "\(same.stderr)")
            let changed = try sim.write("deploy2.yaml", Self.deployment.replacingOccurrences(of: "replicas: 1", with: "replicas: 2"))
            let diff = try await sim.kubectl("diff", "--server-side", "-f", changed)
            #expect(diff.status == 1, "\(diff.stderr)")
            #expect(diff.stdout.contains("\n-  replicas: 1\n+  replicas: 2\n"))
            #expect(diff.stdout.contains("-  generation: 1\n+  generation: 2\n"))
            // Nothing was written by the dry run.
            let live = try await sim.kubectlJSON("get", "deployment", "web")
            #expect(live[path: "spec", "replicas"] == 1)
        }
    }

    @Test func invalidObjectsAndServerDryRun() async throws {
        try await SimCluster.with { sim in
            let bad = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: other}}
                    spec: {containers: [{name: web, image: nginx}]}
                """
            let rejected = try await sim.kubectl("apply", "-f", sim.write("bad.yaml", bad))
            #expect(rejected.status == 1)
            #expect(rejected.stderr.hasPrefix("The Deployment \"web\" is invalid: spec.template.metadata.labels: Invalid value: "), "\(rejected.stderr)")
            #expect(rejected.stderr.contains("`selector` does not match template `labels`"))
            let dry = try await sim.kubectl("apply", "--server-side", "--dry-run=server", "-f", sim.write("d.yaml", Self.deployment))
            #expect(dry.stdout == "deployment.apps/web serverside-applied (server dry run)\n", "\(dry.stderr)")
            let absent = try await sim.kubectl("get", "deployments")
            #expect(absent.stderr == "No resources found in default namespace.\n")
            let badName = try await sim.kubectl("create", "configmap", "Bad_Name")
            #expect(badName.stderr.hasPrefix("error: failed to create configmap: ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of"), "\(badName.stderr)")
        }
    }

    /// Server-side apply of fields the schema does not declare fails the typed conversion on a real
    /// 1.35 server: a 500 without reason (kubernetes/kubernetes#122480, still open in 1.35), which
    /// kubectl prints as "Error from server: ..."; nothing is stored, whatever --validate says.
    @Test func serverSideApplyRejectsUndeclaredFields() async throws {
        try await SimCluster.with { sim in
            let one = Self.deployment.replacingOccurrences(of: "  replicas: 1", with: "  replicas: 1\n  foo: bar")
            let rejected = try await sim.kubectl("apply", "--server-side", "-f", sim.write("one.yaml", one))
            #expect(rejected.status == 1)
            #expect(rejected.stderr == "Error from server: failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema\n", "\(rejected.stderr)")
            let two = one.replacingOccurrences(of: "image: nginx:1.27", with: "image: nginx:1.27\n          imagePullPolicyy: Always")
            let both = try await sim.kubectl("apply", "--server-side", "--validate=false", "-f", sim.write("two.yaml", two))
            #expect(both.stderr == """
                Error from server: failed to create typed patch object (default/web; apps/v1, Kind=Deployment): errors:
                  .spec.foo: field not declared in schema
                  .spec.template.spec.containers[name="web"].imagePullPolicyy: field not declared in schema

                """, "\(both.stderr)")
            let absent = try await sim.kubectl("get", "deployments")
            #expect(absent.stderr == "No resources found in default namespace.\n")
        }
    }

    @Test func namespaceDeletionScaleAndPagination() async throws {
        try await SimCluster.with { sim in
            _ = try await sim.kubectl("create", "namespace", "gone")
            _ = try await sim.kubectl("create", "configmap", "c1", "-n", "gone")
            let deleted = try await sim.kubectl("delete", "namespace", "gone")
            #expect(deleted.stdout == "namespace \"gone\" deleted\n", "\(deleted.stderr)")
            let missing = try await sim.kubectl("get", "namespace", "gone")
            #expect(missing.stderr == "Error from server (NotFound): namespaces \"gone\" not found\n")

            _ = try await sim.kubectl("create", "deployment", "sc", "--image=nginx:1.27")
            let scaled = try await sim.kubectl("scale", "deployment", "sc", "--replicas=3")
            #expect(scaled.stdout == "deployment.apps/sc scaled\n", "\(scaled.stderr)")
            let replicas = try await sim.kubectl("get", "deployment", "sc", "-o", "jsonpath={.spec.replicas} {.metadata.generation}")
            #expect(replicas.stdout == "3 2")

            for i in 1...3 { _ = try await sim.kubectl("create", "configmap", "page\(i)", "--from-literal=k=\(i)") }
            _ = try await sim.kubectl("label", "configmap", "page2", "tier=b")
            let chunked = try await sim.kubectl("get", "configmaps", "--chunk-size=1", "-o", "name")
            #expect(chunked.stdout == "configmap/kube-root-ca.crt\nconfigmap/page1\nconfigmap/page2\nconfigmap/page3\n")
            let selected = try await sim.kubectl("get", "configmaps", "-l", "tier notin (a),tier", "-o", "name")
            #expect(selected.stdout == "configmap/page2\n")
            let fields = try await sim.kubectl("get", "configmaps", "--field-selector", "metadata.name!=page1,metadata.name!=kube-root-ca.crt", "-o", "name")
            #expect(fields.stdout == "configmap/page2\nconfigmap/page3\n")
        }
    }

    @Test func authenticationIsRequired() async throws {
        try await SimCluster.with { sim in
            let token = try #require(sim.server.token)
            let url = sim.server.url
            let anonymousConfig = try sim.write("anonymous.kubeconfig", """
                apiVersion: v1
                kind: Config
                clusters: [{name: sim, cluster: {server: "\(url)", insecure-skip-tls-verify: true}}]
                users: [{name: anon, user: {}}]
                contexts: [{name: sim, context: {cluster: sim, user: anon}}]
                current-context: sim
                """)
            // A user without credentials makes kubectl prompt (as against any cluster); a wrong token is 401.
            let anonymous = try await sim.kubectl("--kubeconfig=\(anonymousConfig)", "--token=wrong", "get", "namespaces")
            #expect(anonymous.status == 1)
            #expect(anonymous.stderr.hasSuffix("error: You must be logged in to the server (the server has asked for the client to provide credentials)\n"), "\(anonymous.stderr)")
            let withToken = try await sim.kubectl("--kubeconfig=\(anonymousConfig)", "--token=\(token)", "get", "namespace", "default", "-o", "name")
            #expect(withToken.stdout == "namespace/default\n", "\(withToken.stderr)")
        }
    }

    /// kubectl moves client-side apply ownership to server-side apply with a JSON patch of
    /// managedFields; afterwards a field dropped from the file is removed by the server.
    @Test func clientSideToServerSideMigration() async throws {
        try await SimCluster.with { sim in
            let config = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: mig, labels: {a: "1"}}
                data: {first: "1", second: "2"}
                """
            let file = try sim.write("m.yaml", config)
            _ = try await sim.kubectl("apply", "-f", file)
            let upgraded = try await sim.kubectl("apply", "--server-side", "-f", file)
            #expect(upgraded.stdout == "configmap/mig serverside-applied\n", "\(upgraded.stderr)")
            let live = try await sim.kubectlJSON("get", "configmap", "mig", "--show-managed-fields")
            let managers = (live[path: "metadata", "managedFields"]?.arrayValue ?? []).map { "\($0["manager"]?.stringValue ?? "")/\($0["operation"]?.stringValue ?? "")" }
            #expect(managers == ["kubectl/Apply", "kubectl-last-applied/Apply"])
            _ = try await sim.kubectl("apply", "--server-side", "-f", sim.write("m.yaml", config.replacingOccurrences(of: ", second: \"2\"", with: "")))
            let after = try await sim.kubectl("get", "configmap", "mig", "-o", "jsonpath={.data}")
            #expect(after.stdout == "{\"first\":\"1\"}")
        }
    }
}

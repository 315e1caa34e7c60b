import ArgumentParser
import Charts
import Deploy
import Foundation
import Kube
import Releases

/// `-r NAME -n NS` and the cluster connection, shared by converge, plan, dismiss and rollback.
struct ReleaseOptions: ParsableArguments, Sendable {
    @Option(name: [.customShort("r"), .customLong("release")], help: "Release name.")
    var release: String

    @Option(name: .shortAndLong, help: "Namespace of the release (default: the kubeconfig context's, else default).")
    var namespace: String?

    @Option(help: "Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "Name of the kubeconfig context to use.")
    var kubeContext: String?

    /// The connection, with `-n` applied as the namespace in effect.
    func connection() throws -> ClusterConnection {
        try KubeConfigLoader(kubeconfig: kubeconfig, context: kubeContext, namespace: namespace).load()
    }

    /// Runs `body` with a client and the release store (Helm's Secret driver) in the release
    /// namespace; the client is shut down afterwards.
    func withCluster<T: Sendable>(_ body: (HTTPKubeClient, ReleaseStore, String) async throws -> T) async throws -> T {
        let connection = try connection()
        let client = try HTTPKubeClient(connection: connection)
        let store = ReleaseStore(driver: ObjectDriver(.secret, api: KubeClusterObjects(client: client), namespace: connection.namespace))
        do {
            let result = try await body(client, store, connection.namespace)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}

/// The chart's values, as `bosun render` takes them, plus werf's `--image` and `--from-git`.
struct ChartValuesOptions: ParsableArguments, Sendable {
    @Option(name: [.customShort("f"), .customLong("values")], help: "Values file (repeatable, comma-separated).")
    var valueFiles: [String] = []

    @Option(name: .customLong("set"), help: "Set values: a.b=1,c={x,y} (repeatable).")
    var set: [String] = []

    @Option(name: .customLong("set-string"), help: "Set STRING values (repeatable).")
    var setString: [String] = []

    @Option(name: .customLong("set-file"), help: "Set values from files: key=path (repeatable).")
    var setFile: [String] = []

    @Option(name: .customLong("set-json"), help: "Set JSON values: key=<json> or a JSON object (repeatable).")
    var setJSON: [String] = []

    @Option(name: .customLong("set-literal"), help: "Set a literal STRING value: key=everything after = (repeatable).")
    var setLiteral: [String] = []

    @Option(name: .customLong("image"), help: ArgumentHelp(
        "werf image: NAME=REF sets .Values.werf.image.NAME, .Values.werf.tag.NAME and .Values.werf.repo (repeatable).",
        valueName: "name=ref"))
    var images: [String] = []

    @Option(name: .customLong("from-git"), help: ArgumentHelp(
        "Render the chart and -f files as committed at this git revision; refuse uncommitted changes to them.",
        valueName: "rev"))
    var fromGit: String?

    @Flag(name: .customLong("skip-schema-validation"), help: "Do not validate values against values.schema.json.")
    var skipSchemaValidation = false

    /// The chart to render. With `--from-git` the chart and values files are first written, as
    /// committed, under `scratch` (which the caller removes).
    func chartInput(chart: String, scratch: () throws -> String) throws -> ChartInput {
        var values = ValueOptions()
        var chartPath = chart
        var files = valueFiles.flatMap { $0.split(separator: ",").map(String.init) }
        if let fromGit {
            let checkout = try GitSource(revision: fromGit).materialize(chartPath: chart, valueFiles: files, into: try scratch())
            chartPath = checkout.chartPath
            files = checkout.valueFiles
        }
        values.valueFiles = files
        values.values = set
        values.stringValues = setString
        values.fileValues = setFile
        values.jsonValues = setJSON
        values.literalValues = setLiteral
        try WerfImages(flags: images).apply(to: &values)
        return ChartInput(path: chartPath, values: values, skipSchemaValidation: skipSchemaValidation)
    }
}

/// What a deploy adds to every object and how it treats the cluster.
struct DeployMetadataOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("add-annotation"), help: ArgumentHelp("Annotation for every deployed resource (repeatable).", valueName: "key=value"))
    var annotations: [String] = []

    @Option(name: .customLong("add-label"), help: ArgumentHelp("Label for every deployed resource (repeatable).", valueName: "key=value"))
    var labels: [String] = []

    @Flag(name: .customLong("no-install-crds"), help: "Do not apply the CRDs of the charts' crds/ directories.")
    var noInstallCRDs = false

    @Flag(name: .customLong("create-namespace"), help: "Create the release namespace if it does not exist.")
    var createNamespace = false

    @Flag(name: .customLong("force-adoption"), help: "Adopt existing resources whatever release owns them.")
    var forceAdoption = false

    @Option(help: "Cluster requests in flight at once.")
    var parallelism = 30

    static func pairs(_ flags: [String], flag: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for entry in flags {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw ValidationError("\(flag) \(entry): expected key=value")
            }
            result[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
        return result
    }

    func deployOptions(release: String, namespace: String) throws -> DeployOptions {
        DeployOptions(
            releaseName: release, namespace: namespace,
            extraAnnotations: try Self.pairs(annotations, flag: "--add-annotation"),
            extraLabels: try Self.pairs(labels, flag: "--add-label"),
            installCRDs: !noInstallCRDs, forceAdoption: forceAdoption, createNamespace: createNamespace,
            parallelism: parallelism)
    }
}

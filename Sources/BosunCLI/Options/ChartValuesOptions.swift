import ArgumentParser
import Charts
import Deploy
import Foundation

/// The chart's values, as `bosun render` takes them, plus werf's `--image` and `--from-git`:
/// shared by every command that renders a chart for a cluster (plan, converge).
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

    /// The user's value flags (without werf's images).
    var valueOptions: ValueOptions {
        var options = ValueOptions()
        options.valueFiles = valueFiles.flatMap { $0.split(separator: ",").map(String.init) }
        options.values = set
        options.stringValues = setString
        options.fileValues = setFile
        options.jsonValues = setJSON
        options.literalValues = setLiteral
        return options
    }

    /// The chart to render, werf's image values merged last (as werf merges its service values).
    /// With `--from-git` the chart and `-f` files are first written, as committed at REV, under the
    /// directory `scratch` returns (the caller removes it).
    func chartInput(chart: String, scratch: () throws -> String) throws -> ChartInput {
        var values = valueOptions
        var chartPath = chart
        if let fromGit {
            let checkout = try GitSource(revision: fromGit).materialize(chartPath: chart, valueFiles: values.valueFiles, into: try scratch())
            chartPath = checkout.chartPath
            values.valueFiles = checkout.valueFiles
        }
        try WerfImages(flags: images).apply(to: &values)
        return ChartInput(path: chartPath, values: values, skipSchemaValidation: skipSchemaValidation)
    }
}

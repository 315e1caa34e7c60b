import ArgumentParser
import Charts
import Deploy
import Foundation

/// werf compatibility: `--image NAME=REF` and `--from-git REV`, for every command that renders a
/// chart for a cluster (plan, converge).
struct WerfOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("image"), help: ArgumentHelp(
        "werf image: NAME=REF sets .Values.werf.image.NAME, .Values.werf.tag.NAME and .Values.werf.repo (repeatable).",
        valueName: "name=ref"))
    var images: [String] = []

    @Option(name: .customLong("from-git"), help: ArgumentHelp(
        "Render the chart and -f files as committed at this git revision; refuse uncommitted changes to them.",
        valueName: "rev"))
    var fromGit: String?

    /// The chart to render with the user's values and werf's image values (merged last, as werf
    /// does). With `--from-git` the chart and `-f` files are first written, as committed at REV,
    /// under a scratch directory that `body` may use and that is removed afterwards.
    func withChartInput<T>(chart: String, values: ChartValuesOptions, _ body: (ChartInput) async throws -> T) async throws -> T {
        var options = values.valueOptions
        var chartPath = chart
        var scratch: String?
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        if let fromGit {
            let directory = NSTemporaryDirectory() + "bosun-from-git-" + UUID().uuidString
            scratch = directory
            let checkout = try GitSource(revision: fromGit).materialize(chartPath: chart, valueFiles: options.valueFiles, into: directory)
            chartPath = checkout.chartPath
            options.valueFiles = checkout.valueFiles
        }
        try WerfImages(flags: images).apply(to: &options)
        return try await body(ChartInput(path: chartPath, values: options))
    }
}

import ArgumentParser
import Bundles
import Foundation

/// `bosun chart lint|pack|dependency`. (The `chart` group lives here with `pack`.)
struct ChartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart", abstract: "Lint, package and fetch dependencies of charts.",
        subcommands: [ChartLintCommand.self, ChartPackCommand.self, ChartDependencyCommand.self])
}

/// `bosun chart pack`: the archive `helm package` writes.
struct ChartPackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pack", abstract: "Package a chart directory into NAME-VERSION.tgz.")

    @Argument(help: "Chart directories.") var charts: [String] = ["."]
    @Option(name: [.short, .customLong("destination")], help: "Where to write the archive.") var destination = "."
    @Option(help: "Set the chart's version.") var version: String?
    @Option(help: "Set the chart's appVersion.") var appVersion: String?
    @Flag(name: [.customShort("u"), .customLong("dependency-update")], help: "Run `chart dependency update` first.") var dependencyUpdate = false
    @OptionGroup var connection: RegistryConnectionOptions

    func run() throws {
        for chart in charts {
            do {
                if dependencyUpdate {
                    let manager = DependencyManager(registryOptions: connection.registryOptions)
                    _ = try ReleaseCommandBridge.run { try await manager.update(chartDirectory: chart) }
                }
                var options = ChartPackager.Options()
                options.version = version
                options.appVersion = appVersion
                let packaged = try ChartPackager.package(directory: chart, options: options)
                try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
                let path = URL(fileURLWithPath: destination).appendingPathComponent(packaged.fileName).standardizedFileURL.path
                try Data(packaged.archive).write(to: URL(fileURLWithPath: path))
                print("Successfully packaged chart and saved it to: \(path)")
            } catch {
                throw failCommand(error)
            }
        }
    }
}

import ArgumentParser
import Bundles
import Foundation

/// `bosun chart dependency update|build`: Chart.yaml dependencies into charts/ and Chart.lock.
struct ChartDependencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dependency", abstract: "Resolve and fetch a chart's dependencies.",
        subcommands: [Update.self, Build.self], aliases: ["dep"])

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "update", abstract: "Resolve constraints, write Chart.lock and charts/*.tgz.")
        @Argument(help: "Chart directory.") var chart = "."
        @Flag(help: "Use cached indexes of named repositories.") var skipRefresh = false
        @OptionGroup var connection: RegistryConnectionOptions

        func run() throws {
            var manager = DependencyManager(registryOptions: connection.registryOptions)
            manager.skipRefresh = skipRefresh
            let (m, chart) = (manager, self.chart)
            do { try ReleaseCommandBridge.run { try await m.update(chartDirectory: chart) }.lines.forEach { print($0) } } catch {
                throw failCommand(error)
            }
        }
    }

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "build", abstract: "Fetch what Chart.lock pins (checking its digest).")
        @Argument(help: "Chart directory.") var chart = "."
        @Flag(help: "Use cached indexes of named repositories.") var skipRefresh = false
        @OptionGroup var connection: RegistryConnectionOptions

        func run() throws {
            var manager = DependencyManager(registryOptions: connection.registryOptions)
            manager.skipRefresh = skipRefresh
            let (m, chart) = (manager, self.chart)
            do { try ReleaseCommandBridge.run { try await m.build(chartDirectory: chart) }.lines.forEach { print($0) } } catch {
                throw failCommand(error)
            }
        }
    }
}

import ArgumentParser
import Releases

/// `bosun history NAME`: revisions like `helm history`.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show the revisions of a release, like `helm history`.", aliases: ["hist"])

    @Argument(help: "Release name.") var name: String
    @OptionGroup var storage: ReleaseStorageOptions
    @Option(help: "Maximum number of revisions to show.") var max = 256
    @Option(name: .shortAndLong, help: "Output format: table, json or yaml.") var output: ReleaseReports.OutputFormat = .table

    func run() async throws {
        let history = try await storage.store().history(name)
        let window = ReleaseReports.historyWindow(history, max: max)
        switch output {
        case .table: print(ReleaseReports.historyTable(window), terminator: "")
        case .json: print(ReleaseReports.historyJSON(window), terminator: "")
        case .yaml: print(try ReleaseReports.historyYAML(window), terminator: "")
        }
    }
}

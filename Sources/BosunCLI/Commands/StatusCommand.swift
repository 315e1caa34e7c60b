import ArgumentParser
import Releases

/// `bosun status NAME`: like `helm status`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the status of a release, like `helm status`.")

    @Argument(help: "Release name.") var name: String
    @OptionGroup var storage: ReleaseStorageOptions
    @Option(help: "Revision to show (default: the last).") var revision: Int?

    func run() async throws {
        let store = try storage.store()
        let release = if let revision { try await store.get(name, version: revision) } else { try await store.last(name) }
        print(try ReleaseReports.status(release), terminator: "")
    }
}

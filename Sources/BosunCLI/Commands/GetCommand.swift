import ArgumentParser
import Releases

/// `bosun get manifest|values|notes|hooks|all NAME`: like `helm get`.
struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Show what a release stored, like `helm get`.",
        subcommands: [Manifest.self, Values.self, Notes.self, Hooks.self, All.self])

    /// Options every `get` subcommand shares.
    struct Target: ParsableArguments, Sendable {
        @Argument(help: "Release name.") var name: String
        @OptionGroup var storage: ReleaseStorageOptions
        @Option(help: "Revision to show (default: the last).") var revision: Int?

        /// The requested revision, read synchronously (see `ReleaseCommandBridge`).
        func release() throws -> Release {
            let storage = self.storage, name = self.name, revision = self.revision
            return try ReleaseCommandBridge.run {
                try await storage.withStore { store, _ in
                    if let revision { return try await store.get(name, version: revision) }
                    return try await store.last(name)
                }
            }
        }
    }

    struct Manifest: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The rendered manifest of a release.")
        @OptionGroup var target: Target
        func run() throws { print(ReleaseReports.manifest(try target.release()), terminator: "") }
    }

    struct Values: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The user-supplied (or, with --all, computed) values.")
        @OptionGroup var target: Target
        @Flag(name: .shortAndLong, help: "All values: the chart's defaults with the user's over them.") var all = false
        @Option(name: .shortAndLong, help: "Output format: table, json or yaml.") var output: ReleaseReports.OutputFormat = .table
        func run() throws {
            print(try ReleaseReports.values(try target.release(), all: all, format: output), terminator: "")
        }
    }

    struct Notes: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The notes of a release.")
        @OptionGroup var target: Target
        func run() throws { print(ReleaseReports.notes(try target.release()), terminator: "") }
    }

    struct Hooks: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The hooks of a release.")
        @OptionGroup var target: Target
        func run() throws { print(ReleaseReports.hooks(try target.release()), terminator: "") }
    }

    struct All: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything about a release.")
        @OptionGroup var target: Target
        func run() throws { print(try ReleaseReports.status(try target.release(), all: true), terminator: "") }
    }
}

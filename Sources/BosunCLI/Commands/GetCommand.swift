import ArgumentParser
import Releases

/// `bosun get manifest|values|notes|hooks|all NAME`: like `helm get`.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Show what a release stored, like `helm get`.",
        subcommands: [Manifest.self, Values.self, Notes.self, Hooks.self, All.self])

    /// Options every `get` subcommand shares.
    struct Target: ParsableArguments {
        @Argument(help: "Release name.") var name: String
        @OptionGroup var storage: ReleaseStorageOptions
        @Option(help: "Revision to show (default: the last).") var revision: Int?

        func release() async throws -> Release {
            let store = try storage.store()
            if let revision { return try await store.get(name, version: revision) }
            return try await store.last(name)
        }
    }

    struct Manifest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The rendered manifest of a release.")
        @OptionGroup var target: Target
        func run() async throws { print(ReleaseReports.manifest(try await target.release()), terminator: "") }
    }

    struct Values: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The user-supplied (or, with --all, computed) values.")
        @OptionGroup var target: Target
        @Flag(name: .shortAndLong, help: "All values: the chart's defaults with the user's over them.") var all = false
        @Option(name: .shortAndLong, help: "Output format: table, json or yaml.") var output: ReleaseReports.OutputFormat = .table
        func run() async throws {
            print(try ReleaseReports.values(try await target.release(), all: all, format: output), terminator: "")
        }
    }

    struct Notes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The notes of a release.")
        @OptionGroup var target: Target
        func run() async throws { print(ReleaseReports.notes(try await target.release()), terminator: "") }
    }

    struct Hooks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The hooks of a release.")
        @OptionGroup var target: Target
        func run() async throws { print(ReleaseReports.hooks(try await target.release()), terminator: "") }
    }

    struct All: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything about a release.")
        @OptionGroup var target: Target
        func run() async throws { print(try ReleaseReports.status(try await target.release(), all: true), terminator: "") }
    }
}

import ArgumentParser
import Bundles
import Foundation
import Structured

/// `bosun repo add|update|remove|list`: helm's repositories.yaml and repository cache
/// (HELM_REPOSITORY_CONFIG, HELM_REPOSITORY_CACHE, or BOSUN_* equivalents).
struct RepoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repo", abstract: "Add, update, remove and list chart repositories (helm's files).",
        subcommands: [RepoAddCommand.self, RepoUpdateCommand.self, RepoRemoveCommand.self, RepoListCommand.self])
}

struct RepoAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a chart repository.")

    @Argument(help: "Repository name.") var name: String
    @Argument(help: "Repository URL.") var url: String
    @Option(help: "Repository username.") var username = ""
    @Option(help: "Repository password.") var password = ""
    @Flag(help: "Send credentials to every host (not only the repository's).") var passCredentials = false
    @Option(name: .customLong("ca-file")) var caFile = ""
    @Option(name: .customLong("cert-file")) var certFile = ""
    @Option(name: .customLong("key-file")) var keyFile = ""
    @Flag(name: .customLong("insecure-skip-tls-verify")) var insecureSkipTLSVerify = false
    @Flag(help: "Replace an existing repository of the same name.") var forceUpdate = false

    func run() throws {
        var entry = RepositoryEntry(name: name, url: url)
        entry.username = username
        entry.password = password
        entry.passCredentialsAll = passCredentials
        entry.caFile = caFile
        entry.certFile = certFile
        entry.keyFile = keyFile
        entry.insecureSkipTLSVerify = insecureSkipTLSVerify
        let force = forceUpdate
        let added = entry
        do {
            let lines = try ReleaseCommandBridge.run { try await RepositoryActions().add(added, forceUpdate: force) }
            lines.forEach { print($0) }
        } catch {
            throw failCommand(error)
        }
    }
}

struct RepoUpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Refresh repository indexes.")
    @Argument(help: "Repositories to update (default: all).") var names: [String] = []

    func run() throws {
        let names = self.names
        do {
            let lines = try ReleaseCommandBridge.run { try await RepositoryActions().update(names: names) }
            lines.forEach { print($0) }
        } catch {
            throw failCommand(error)
        }
    }
}

struct RepoRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove repositories.", aliases: ["rm"])
    @Argument(help: "Repository names.") var names: [String]

    func run() throws {
        do { try RepositoryActions().remove(names: names).forEach { print($0) } } catch { throw failCommand(error) }
    }
}

struct RepoListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List repositories.", aliases: ["ls"])
    @Option(name: [.short, .long], help: "table, json or yaml.") var output = "table"

    func run() throws {
        let entries: [RepositoryEntry]
        do { entries = try RepositoryActions().list() } catch { throw failCommand(error) }
        let rows: Value = .array(entries.map { .object(["name": .string($0.name), "url": .string($0.url)]) })
        switch output {
        case "json": print(JSON.encode(rows, sortKeys: false))
        case "yaml": print((try? YAML.encode(rows)) ?? "", terminator: "")
        default:
            let width = max(4, entries.map(\.name.count).max() ?? 0)
            let urlWidth = max(3, entries.map(\.url.count).max() ?? 0)
            print("NAME".padding(toLength: width, withPad: " ", startingAt: 0) + "\t" + "URL".padding(toLength: urlWidth, withPad: " ", startingAt: 0))
            for e in entries {
                print(e.name.padding(toLength: width, withPad: " ", startingAt: 0) + "\t" + e.url.padding(toLength: urlWidth, withPad: " ", startingAt: 0))
            }
        }
    }
}

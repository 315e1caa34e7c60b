import Foundation

/// `repo add|update|remove|list`, with helm's files, messages and refusals. Each returns the lines
/// to print; errors are `BundlesError`s worded as helm's.
public struct RepositoryActions: Sendable {
    public var paths: HelmPaths

    public init(paths: HelmPaths = .current()) { self.paths = paths }

    /// `repo add NAME URL`: fetch and cache the index, then record the entry.
    public func add(_ entry: RepositoryEntry, forceUpdate: Bool = false) async throws(BundlesError) -> [String] {
        if entry.name.contains("/") {
            throw BundlesError("repository name (\(entry.name)) contains '/', please specify a different name without '/'")
        }
        var file = try RepositoryFile.load(paths.repositoryConfig)
        if let existing = file.entry(named: entry.name) {
            if existing == entry { return ["\"\(entry.name)\" already exists with the same configuration, skipping"] }
            if !forceUpdate { throw BundlesError("repository name (\(entry.name)) already exists, please specify a different name") }
        }
        let client = try ChartRepositoryClient(entry: entry)
        let fetched: (bytes: [UInt8], index: RepositoryIndex)
        do { fetched = try await client.fetchIndex(entry.url) } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
        try RepositoryCache.store(fetched.bytes, index: fetched.index, cache: paths.repositoryCache, name: entry.name)
        if let i = file.entries.firstIndex(where: { $0.name == entry.name }) { file.entries[i] = entry } else { file.entries.append(entry) }
        try file.save(paths.repositoryConfig)
        return ["\"\(entry.name)\" has been added to your repositories"]
    }

    /// `repo update [NAME...]`: refresh cached indexes.
    public func update(names: [String] = []) async throws(BundlesError) -> [String] {
        let file = try RepositoryFile.load(paths.repositoryConfig)
        if file.entries.isEmpty { throw BundlesError("no repositories found. You must add one before updating") }
        var selected = file.entries
        if !names.isEmpty {
            let unknown = names.filter { name in !file.entries.contains { $0.name == name } }
            if !unknown.isEmpty {
                throw BundlesError("no repositories found matching '\(unknown.joined(separator: "', '"))'.  Nothing will be updated")
            }
            selected = file.entries.filter { names.contains($0.name) }
        }
        var lines = ["Hang tight while we grab the latest from your chart repositories..."]
        var failed: [String] = []
        for entry in selected {
            let client = try ChartRepositoryClient(entry: entry)
            do {
                let fetched = try await client.fetchIndex(entry.url)
                try RepositoryCache.store(fetched.bytes, index: fetched.index, cache: paths.repositoryCache, name: entry.name)
                lines.append("...Successfully got an update from the \"\(entry.name)\" chart repository")
            } catch {
                lines.append("...Unable to get an update from the \"\(entry.name)\" chart repository (\(entry.url)):\n\t\(error.message)")
                failed.append(entry.url)
            }
            await client.shutdown()
        }
        if !failed.isEmpty {
            throw BundlesError("Failed to update the following repositories: [\(failed.joined(separator: " "))]")
        }
        lines.append("Update Complete. ⎈Happy Helming!⎈")
        return lines
    }

    /// `repo remove NAME...`: drop the entries and their cache files.
    public func remove(names: [String]) throws(BundlesError) -> [String] {
        var file = try RepositoryFile.load(paths.repositoryConfig)
        var lines: [String] = []
        for name in names {
            guard let i = file.entries.firstIndex(where: { $0.name == name }) else { throw BundlesError("no repo named \"\(name)\" found") }
            file.entries.remove(at: i)
            try file.save(paths.repositoryConfig)
            RepositoryCache.remove(cache: paths.repositoryCache, name: name)
            lines.append("\"\(name)\" has been removed from your repositories")
        }
        return lines
    }

    /// `repo list`: the configured entries (empty is an error, as in helm).
    public func list() throws(BundlesError) -> [RepositoryEntry] {
        let file = try RepositoryFile.load(paths.repositoryConfig)
        if file.entries.isEmpty { throw BundlesError("no repositories to show") }
        return file.entries
    }
}

import Charts
import Foundation
import Structured

/// `chart dependency update|build`: resolve Chart.yaml dependencies against chart repositories
/// (URLs, `@name`/`alias:name` from repositories.yaml), OCI registries and `file://` charts, write
/// Chart.lock and `charts/*.tgz` as helm does.
public struct DependencyManager: Sendable {
    public var paths: HelmPaths
    public var registryOptions: RegistryOptions
    /// `--skip-refresh`: use cached indexes of named repositories.
    public var skipRefresh = false
    public var now: @Sendable () -> Date = { Date() }

    public init(paths: HelmPaths = .current(), registryOptions: RegistryOptions = RegistryOptions()) {
        self.paths = paths
        self.registryOptions = registryOptions
    }

    /// What happened, for the CLI to print (libraries don't print).
    public struct Report: Sendable {
        public var lines: [String] = []
        public var lock: ChartLock?
    }

    struct Resolved {
        var dependency: ChartDependency
        var version: String
        /// Repository URL as it goes into the lock (`@name` resolved).
        var repository: String
        var source: Source
    }

    enum Source {
        case repository(url: String, chartURL: String, entry: RepositoryEntry?)
        case oci(OCIReference)
        case file(path: String)
        case bundled
    }

    // MARK: update

    public func update(chartDirectory: String) async throws(BundlesError) -> Report {
        var report = Report()
        let (chart, dependencies) = try load(chartDirectory)
        guard !dependencies.isEmpty else { return report }
        let repositories = try RepositoryFile.load(paths.repositoryConfig)
        let requested = try resolveRepositoryNames(dependencies, repositories)
        let indexes = try await refreshIndexes(for: requested, repositories: repositories, report: &report)
        var resolved: [Resolved] = []
        for dependency in requested {
            resolved.append(try await resolve(dependency, constraint: dependency.version, chartDirectory: chartDirectory,
                                              repositories: repositories, indexes: indexes, chart: chart))
        }
        let entries = resolved.map { ChartLock.Entry(name: $0.dependency.name, version: $0.version, repository: $0.repository) }
        let lock = ChartLock(dependencies: entries, digest: ChartLock.digest(requested: requested, locked: entries),
                             generated: ChartLock.timestamp(now()))
        try await download(resolved, into: chartDirectory, report: &report)
        let lockName = chart.metadata.apiVersion == "v1" ? "requirements.lock" : "Chart.lock"
        do {
            try Data(lock.text.utf8).write(to: URL(fileURLWithPath: chartDirectory + "/" + lockName))
        } catch {
            throw BundlesError("writing \(chartDirectory)/\(lockName): \(error.localizedDescription)")
        }
        report.lock = lock
        return report
    }

    // MARK: build

    /// Download what Chart.lock says; refuse a lock whose digest no longer matches Chart.yaml.
    /// Without a lock file, this is `update`.
    public func build(chartDirectory: String) async throws(BundlesError) -> Report {
        let (chart, dependencies) = try load(chartDirectory)
        guard let lock = ChartLock(chart.lock) else { return try await update(chartDirectory: chartDirectory) }
        var report = Report()
        let repositories = try RepositoryFile.load(paths.repositoryConfig)
        let requested = try resolveRepositoryNames(dependencies, repositories)
        if ChartLock.digest(requested: requested, locked: lock.dependencies) != lock.digest {
            throw BundlesError("the lock file (\(chart.metadata.apiVersion == "v1" ? "requirements.lock" : "Chart.lock")) is out of sync with the dependencies file (\(chart.metadata.apiVersion == "v1" ? "requirements.yaml" : "Chart.yaml")). Please update the dependencies")
        }
        let lockedAsRequested = lock.dependencies.map { entry -> ChartDependency in
            var d = ChartDependency()
            d.name = entry.name
            d.version = entry.version
            d.repository = entry.repository
            return d
        }
        let indexes = try await refreshIndexes(for: lockedAsRequested, repositories: repositories, report: &report)
        var resolved: [Resolved] = []
        for dependency in lockedAsRequested {
            resolved.append(try await resolve(dependency, constraint: dependency.version, chartDirectory: chartDirectory,
                                              repositories: repositories, indexes: indexes, chart: chart))
        }
        try await download(resolved, into: chartDirectory, report: &report)
        report.lock = lock
        return report
    }

    // MARK: steps

    private func load(_ directory: String) throws(BundlesError) -> (Chart, [ChartDependency]) {
        do {
            let chart = try ChartLoader.loadDirectory(directory)
            return (chart, chart.metadata.dependencies ?? [])
        } catch {
            throw BundlesError(error.message)
        }
    }

    /// `@name` and `alias:name` become the named repository's URL (the lock and digest use the URL).
    private func resolveRepositoryNames(_ dependencies: [ChartDependency], _ file: RepositoryFile) throws(BundlesError) -> [ChartDependency] {
        var missing: [String] = []
        let resolved = dependencies.map { dependency -> ChartDependency in
            var d = dependency
            let repo = d.repository
            var name: String?
            if repo.hasPrefix("@") { name = String(repo.dropFirst()) } else if repo.hasPrefix("alias:") { name = String(repo.dropFirst(6)) }
            if let name {
                if let entry = file.entry(named: name) { d.repository = entry.url } else { missing.append(repo) }
            }
            return d
        }
        if !missing.isEmpty {
            throw BundlesError("no repository definition for \(missing.joined(separator: ", ")). Please add them via 'helm repo add'")
        }
        return resolved
    }

    /// Fresh indexes for every HTTP repository the dependencies use, keyed by URL; named repositories
    /// refresh their cache files, unnamed ones are cached under helm's `helm-manager-<sha256>` name.
    private func refreshIndexes(
        for dependencies: [ChartDependency], repositories: RepositoryFile, report: inout Report
    ) async throws(BundlesError) -> [String: RepositoryIndex] {
        var indexes: [String: RepositoryIndex] = [:]
        let urls = dependencies.map(\.repository).filter { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
        var seen = Set<String>()
        for url in urls where seen.insert(Self.normalized(url)).inserted {
            let entry = repositories.entries.first { Self.normalized($0.url) == Self.normalized(url) }
            let cacheName = entry?.name ?? RepositoryCache.managerName(forURL: url)
            if skipRefresh, entry != nil, let cached = try RepositoryCache.load(cache: paths.repositoryCache, name: cacheName) {
                indexes[Self.normalized(url)] = cached
                continue
            }
            let client = try ChartRepositoryClient(entry: entry)
            let fetched: (bytes: [UInt8], index: RepositoryIndex)
            do { fetched = try await client.fetchIndex(url) } catch {
                await client.shutdown()
                throw error
            }
            await client.shutdown()
            try RepositoryCache.store(fetched.bytes, index: fetched.index, cache: paths.repositoryCache, name: cacheName)
            if let entry { report.lines.append("...Successfully got an update from the \"\(entry.name)\" chart repository") }
            indexes[Self.normalized(url)] = fetched.index
        }
        return indexes
    }

    static func normalized(_ url: String) -> String {
        var u = url
        while u.hasSuffix("/") { u.removeLast() }
        return u
    }

    private func resolve(
        _ dependency: ChartDependency, constraint: String, chartDirectory: String, repositories: RepositoryFile,
        indexes: [String: RepositoryIndex], chart: Chart
    ) async throws(BundlesError) -> Resolved {
        let repo = dependency.repository
        let text = constraint.trimmingCharacters(in: .whitespaces).isEmpty ? "*" : constraint
        guard let c = VersionConstraint(parsing: text) else {
            throw BundlesError("dependency \"\(dependency.name)\" has an invalid version/constraint format: improper constraint: \(constraint)")
        }
        if repo.hasPrefix("file://") {
            let path = Self.localPath(repo, chartDirectory: chartDirectory)
            let local: Chart
            do { local = try ChartLoader.load(path: path) } catch {
                throw BundlesError("directory \(path) not found")
            }
            guard let version = SemanticVersion(parsing: local.metadata.version), c.isSatisfied(by: version) else {
                throw BundlesError("can't get a valid version for repositories \(dependency.name). Try changing the version constraint in Chart.yaml")
            }
            return Resolved(dependency: dependency, version: local.metadata.version, repository: repo, source: .file(path: path))
        }
        if repo.hasPrefix("oci://") {
            let base = try OCIReference(parsing: repo + "/" + dependency.name)
            let client = try RegistryClient(options: registryOptions)
            let tags: [String]
            do { tags = try await client.tags(registry: base.registry, repository: base.repository) } catch {
                await client.shutdown()
                throw error
            }
            await client.shutdown()
            let versions = tags.compactMap { tag -> (String, SemanticVersion)? in
                let v = tag.replacingOccurrences(of: "_", with: "+")
                return SemanticVersion(parsing: v).map { (v, $0) }
            }.sorted { $0.1 > $1.1 }
            guard let best = versions.first(where: { c.isSatisfied(by: $0.1) }) else {
                throw BundlesError("can't get a valid version for repositories \(dependency.name). Try changing the version constraint in Chart.yaml")
            }
            return Resolved(dependency: dependency, version: best.0, repository: repo,
                            source: .oci(base.with(tag: HelmChartArtifact.tag(forVersion: best.0))))
        }
        if repo.isEmpty {
            guard let bundled = chart.dependencies.first(where: { $0.name == dependency.name }) else {
                throw BundlesError("dependency \"\(dependency.name)\" has no repository and is not in charts/")
            }
            return Resolved(dependency: dependency, version: bundled.metadata.version, repository: "", source: .bundled)
        }
        guard let index = indexes[Self.normalized(repo)] else {
            throw BundlesError("no repository definition for \(repo). Please add the missing repos via 'helm repo add'")
        }
        guard let match = index.entries[dependency.name]?.first(where: { $0.semver.map(c.isSatisfied) ?? false }) else {
            if index.entries[dependency.name] == nil {
                throw BundlesError("can't get a valid version for repositories \(dependency.name). Try changing the version constraint in Chart.yaml")
            }
            throw BundlesError("can't get a valid version for repositories \(dependency.name). Try changing the version constraint in Chart.yaml")
        }
        guard let first = match.urls.first else { throw BundlesError("chart \(dependency.name) version \(match.version) has no downloadable URLs") }
        let entry = repositories.entries.first { Self.normalized($0.url) == Self.normalized(repo) }
        return Resolved(dependency: dependency, version: match.version, repository: repo,
                        source: .repository(url: repo, chartURL: ChartRepositoryClient.resolve(first, against: repo), entry: entry))
    }

    static func localPath(_ repository: String, chartDirectory: String) -> String {
        let relative = String(repository.dropFirst("file://".count))
        if relative.hasPrefix("/") { return relative }
        return URL(fileURLWithPath: chartDirectory + "/" + relative).standardizedFileURL.path
    }

    /// Fetch everything into a staging directory first, then replace charts/*.tgz ("Deleting outdated charts").
    private func download(_ resolved: [Resolved], into chartDirectory: String, report: inout Report) async throws(BundlesError) {
        let fm = FileManager.default
        let chartsDirectory = chartDirectory + "/charts"
        let staging = chartDirectory + "/tmpcharts-\(ProcessInfo.processInfo.processIdentifier)"
        try? fm.removeItem(atPath: staging)
        defer { try? fm.removeItem(atPath: staging) }
        do { try fm.createDirectory(atPath: staging, withIntermediateDirectories: true) } catch {
            throw BundlesError("creating \(staging): \(error.localizedDescription)")
        }
        report.lines.append("Saving \(resolved.count) charts")
        var written: [String] = []
        for item in resolved {
            let bytes: [UInt8]
            var fileName = "\(item.dependency.name)-\(item.version).tgz"
            switch item.source {
            case .bundled:
                continue
            case _ where written.contains(fileName) && !fileName.isEmpty:
                continue  // the same chart under two aliases is stored once
            case .file(let path):
                var options = ChartPackager.Options()
                options.checkDependencies = false
                let packaged: PackagedChart
                var isDirectory: ObjCBool = false
                if fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                    packaged = try ChartPackager.package(directory: path, options: options)
                } else {
                    guard let data = fm.contents(atPath: path) else { throw BundlesError("reading \(path) failed") }
                    packaged = try ChartPackager.package(archive: [UInt8](data), options: options)
                }
                bytes = packaged.archive
                fileName = packaged.fileName
                if written.contains(fileName) { continue }
            case .oci(let ref):
                report.lines.append("Downloading \(item.dependency.name) from repo \(item.repository)")
                let client = try RegistryClient(options: registryOptions)
                do {
                    bytes = try await HelmChartArtifact.pull(ref, client: client).archive
                } catch {
                    await client.shutdown()
                    throw error
                }
                await client.shutdown()
            case .repository(_, let chartURL, let entry):
                report.lines.append("Downloading \(item.dependency.name) from repo \(item.repository)")
                let client = try ChartRepositoryClient(entry: entry)
                do { bytes = try await client.get(chartURL) } catch {
                    await client.shutdown()
                    throw error
                }
                await client.shutdown()
                if let last = chartURL.split(separator: "?").first?.split(separator: "/").last, last.hasSuffix(".tgz") {
                    fileName = String(last)
                }
                if written.contains(fileName) { continue }
            }
            do { try Data(bytes).write(to: URL(fileURLWithPath: staging + "/" + fileName)) } catch {
                throw BundlesError("writing \(fileName): \(error.localizedDescription)")
            }
            written.append(fileName)
        }
        report.lines.append("Deleting outdated charts")
        do {
            try fm.createDirectory(atPath: chartsDirectory, withIntermediateDirectories: true)
            for existing in try fm.contentsOfDirectory(atPath: chartsDirectory) where existing.hasSuffix(".tgz") {
                try fm.removeItem(atPath: chartsDirectory + "/" + existing)
            }
            for name in written {
                try fm.moveItem(atPath: staging + "/" + name, toPath: chartsDirectory + "/" + name)
                try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: chartsDirectory + "/" + name)
            }
        } catch {
            throw BundlesError("updating \(chartsDirectory): \(error.localizedDescription)")
        }
    }
}

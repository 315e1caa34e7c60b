import Charts
import Foundation
import Structured

/// A chart repository's index.yaml: chart versions per name, newest first (helm's SortEntries).
public struct RepositoryIndex: Sendable {
    public struct ChartVersion: Sendable {
        public var name: String
        public var version: String
        public var urls: [String]
        public var digest: String
        var semver: SemanticVersion?
    }

    public var entries: [String: [ChartVersion]] = [:]

    public init(parsing text: String, source: String) throws(BundlesError) {
        let value: Value
        do { value = try YAML.decode(text, file: source) } catch {
            throw BundlesError("\(source): \(error.message)")
        }
        guard let apiVersion = value["apiVersion"]?.stringValue, !apiVersion.isEmpty else {
            throw BundlesError("\(source): no API version specified")
        }
        for (name, list) in value["entries"]?.objectValue ?? [:] {
            var versions: [ChartVersion] = []
            for item in list.arrayValue ?? [] {
                // helm drops entries it cannot use (no name/version, invalid version) rather than failing.
                guard let version = item["version"].flatMap(Self.scalarText), !version.isEmpty else { continue }
                let urls = item["urls"]?.arrayValue?.compactMap(\.stringValue) ?? []
                versions.append(ChartVersion(name: item["name"]?.stringValue ?? name, version: version, urls: urls,
                                             digest: item["digest"]?.stringValue ?? "", semver: SemanticVersion(parsing: version)))
            }
            versions.sort { a, b in
                switch (a.semver, b.semver) {
                case let (x?, y?): return x > y
                case (_?, nil): return true
                case (nil, _?): return false
                default: return a.version > b.version
                }
            }
            entries[name] = versions
        }
    }

    private static func scalarText(_ v: Value) -> String? {
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return d.rounded() == d ? String(Int64(d)) : String(d)
        default: return nil
        }
    }

    /// Chart names, one a line (the `<name>-charts.txt` cache file helm writes).
    public var chartNamesText: String {
        entries.keys.sorted().map { $0 + "\n" }.joined()
    }

    /// The newest version of `name` satisfying `constraint` (pre-releases only when the constraint has one).
    public func best(_ name: String, constraint: String) throws(BundlesError) -> ChartVersion? {
        let text = constraint.trimmingCharacters(in: .whitespaces).isEmpty ? "*" : constraint
        guard let c = VersionConstraint(parsing: text) else {
            throw BundlesError("dependency \(name): invalid version constraint \"\(constraint)\"")
        }
        return entries[name]?.first { $0.semver.map(c.isSatisfied) ?? false }
    }
}

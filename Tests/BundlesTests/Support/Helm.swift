import Foundation
import TestSupport

/// Running the helm 4 oracle with its own config, cache and data homes (nothing of the user's).
struct HelmSandbox {
    let home: String

    init() throws {
        home = try makeTemporaryDirectory("bosun-helm-home")
    }

    var environment: [String: String] {
        ["HELM_CONFIG_HOME": home + "/config", "HELM_CACHE_HOME": home + "/cache", "HELM_DATA_HOME": home + "/data",
         "DOCKER_CONFIG": home + "/docker"]
    }

    @discardableResult
    func run(_ arguments: [String], directory: String? = nil, input: String? = nil) throws -> ProcessResult {
        let result = try runProcess(try Oracle.helm4.path(), arguments, input: input, environment: environment, directory: directory)
        guard result.succeeded else { throw HelmFailed(arguments: arguments, stderr: result.stderr) }
        return result
    }

    struct HelmFailed: Error, CustomStringConvertible {
        var arguments: [String]
        var stderr: String
        var description: String { "helm \(arguments.joined(separator: " ")) failed: \(stderr)" }
    }
}

/// Entries of a chart archive: name, mode and content, in order (what "identical in content" compares).
struct ArchiveEntry: Equatable, CustomStringConvertible {
    var name: String
    var mode: String
    var data: [UInt8]
    var description: String { "\(name) \(mode) \(data.count)B" }
}

func archiveEntries(_ path: String) throws -> [ArchiveEntry] {
    let script = """
    import sys, tarfile
    t = tarfile.open(sys.argv[1])
    for m in t.getmembers():
        data = t.extractfile(m).read() if m.isfile() else b''
        sys.stdout.write('%s\\t%o\\t%s\\t%d\\n' % (m.name, m.mode, m.type.decode(), len(data)))
        sys.stdout.write(data.hex() + '\\n')
    """
    let result = try runProcess("/usr/bin/env", ["python3", "-c", script, path])
    guard result.succeeded else { throw HelmSandbox.HelmFailed(arguments: ["python3 tarfile", path], stderr: result.stderr) }
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    var entries: [ArchiveEntry] = []
    var i = 0
    while i + 1 < lines.count {
        let fields = lines[i].split(separator: "\t")
        guard fields.count == 4 else { break }
        let hex = Array(lines[i + 1].utf8)
        var data: [UInt8] = []
        data.reserveCapacity(hex.count / 2)
        var j = 0
        while j + 1 < hex.count {
            data.append(UInt8(String(decoding: hex[j...j + 1], as: UTF8.self), radix: 16)!)
            j += 2
        }
        entries.append(ArchiveEntry(name: String(fields[0]), mode: String(fields[1]) + "/" + String(fields[2]), data: data))
        i += 2
    }
    return entries
}

import Foundation
import TestSupport

/// Runs the real helm 4 binary for differential tests.
enum HelmOracle {
    /// `helm template` with arguments; returns (status, stdout, stderr).
    static func template(_ arguments: [String], directory: String? = nil) throws -> ProcessResult {
        try runProcess(try Oracle.helm4.path(), ["template"] + arguments, directory: directory)
    }

    /// Write a chart from (path -> content) into a new temporary directory; returns the chart path.
    static func writeChart(_ files: [String: String], name: String = "probe") throws -> String {
        let root = try makeTemporaryDirectory("bosun-chart") + "/" + name
        for (path, content) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return root
    }

    /// A chart whose only template prints `{{ toJson .Values }}`.
    static func valuesProbeChart(values: String = "") throws -> String {
        try writeChart([
            "Chart.yaml": "apiVersion: v2\nname: probe\nversion: 0.1.0\n",
            "values.yaml": values,
            "templates/values.yaml": "{{ toJson .Values }}\n",
        ])
    }

    /// The JSON line helm printed for a values probe chart.
    static func valuesJSON(_ output: String) -> String {
        output.split(separator: "\n").last.map(String.init) ?? ""
    }
}

/// Run closures concurrently (helm invocations are slow; the suite must stay fast).
func concurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
    let results = ResultBox<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { i in
        results.set(i, Result { try body(i) })
    }
    return try results.values.map { try $0!.get() }
}

private final class ResultBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<T, Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<T, Error>) { lock.lock(); values[i] = r; lock.unlock() }
}

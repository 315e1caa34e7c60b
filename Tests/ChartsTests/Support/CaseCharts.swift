import Foundation
import Testing
import TestSupport

@testable import Charts

/// One small chart per case line, rendered by helm and by us: for error texts and outputs that
/// must match byte for byte, case by case.
enum CaseCharts {
    /// Each chart holds `files` plus `template(line)` as `templates/t.yaml` (or the path the
    /// closure returns). Returns the mismatch reports and helm's outcomes.
    static func compare(
        _ lines: [String], files: [String: String],
        template: (String) -> (path: String, text: String) = { ("templates/t.yaml", "# {{ \($0) }}\n") }
    ) throws -> (mismatches: [String], helm: [RenderHarness.Outcome]) {
        let work = try makeTemporaryDirectory("bosun-cases")
        defer { try? FileManager.default.removeItem(atPath: work) }
        var argumentLists: [[String]] = []
        for (i, line) in lines.enumerated() {
            let chart = work + "/c\(i)"
            var all = files
            let (path, text) = template(line)
            all[path] = text
            for (path, text) in all {
                let full = chart + "/" + path
                try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: full, atomically: true, encoding: .utf8)
            }
            argumentLists.append([chart])
        }
        let (mismatches, helm) = try RenderHarness.compare(argumentLists)
        let reports = mismatches.map { m in
            let i = argumentLists.firstIndex(of: m.arguments)!
            return "\(lines[i]):\n--- helm\n\(m.helm)\n--- ours\n\(m.ours)"
        }
        return (reports, helm)
    }

    /// Non-comment, non-empty lines of a fixture file.
    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: Repository.root + "/" + path, encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}

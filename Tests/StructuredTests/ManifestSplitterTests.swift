import Foundation
import Structured
import Testing
import TestSupport

/// `ManifestSplitter.split` against how helm 4 splits rendered templates into documents.
@Suite struct ManifestSplitterTests {
    /// Template texts with no actions, so what helm renders is the text itself.
    static let templates: [String] = [
        "a: 1\n---\nb: 2\n",
        "---\na: 1\n",
        "a: |\n  ---\n  x\n---\nb: 2\n",
        "# only a comment\n---\na: 1\n",
        "a: 1\n---\n# trailing comment doc\n",
        "a: 1\n---\n---\nb: 2\n",
        "a: 1\r\n---\r\nb: 2\r\n",
        "a: 1\n---\n   \n\n---\nb: 2\n",
        "a: 1\n---\n",
        "\n\n  a: 1\n\n---   \n\n  b: 2\n\n",
        "a: 1\n  ---\nb: 2\n".replacingOccurrences(of: "  ---\n", with: "c: '---'\n"),
        "a: 1 # ---\n---\t\nb: '--- x'\n",
        "---\n---\n---\na: 1\n---\n",
        "x: 1\n--- # comment after separator\ny: 2\n",
        "a: 1\n\t\n---\n\tb: 2\n".replacingOccurrences(of: "\tb", with: "b"),
    ]

    @Test func splitsLikeHelm4() throws {
        let dir = try makeTemporaryDirectory("splitter")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: s\nversion: 0.1.0\n".write(toFile: dir + "/Chart.yaml", atomically: true, encoding: .utf8)
        for (i, t) in Self.templates.enumerated() {
            try t.write(toFile: dir + "/templates/t\(String(format: "%02d", i)).yaml", atomically: true, encoding: .utf8)
        }
        let result = try runProcess(try Oracle.helm4.path(), ["template", dir])
        #expect(result.succeeded, "\(result.stderr)")
        // helm prints "---\n# Source: s/templates/tNN.yaml\n<doc>\n" per document.
        var helmDocs: [String: [String]] = [:]
        for chunk in ("\n" + result.stdout).components(separatedBy: "\n---\n# Source: ").dropFirst() {
            let newline = chunk.firstIndex(of: "\n") ?? chunk.endIndex
            let file = String(chunk[..<newline]).replacingOccurrences(of: "s/templates/", with: "")
            var doc = newline < chunk.endIndex ? String(chunk[chunk.index(after: newline)...]) : ""
            if doc.hasSuffix("\n") { doc.removeLast() }
            helmDocs[file, default: []].append(doc)
        }
        for (i, t) in Self.templates.enumerated() {
            let file = "t\(String(format: "%02d", i)).yaml"
            #expect(ManifestSplitter.split(t) == (helmDocs[file] ?? []), "template \(file): \(String(reflecting: t))")
        }
    }

    @Test func keepsCommentOnlyDocumentsAndDropsBlankOnes() {
        #expect(ManifestSplitter.split("# c\n---\n \n---\na: 1") == ["# c", "---\na: 1"])  // the first separator ate the blank line
        #expect(ManifestSplitter.split("# c\n---\nx: 1\n---\n \n") == ["# c", "x: 1"])
        #expect(ManifestSplitter.split("") == [])
        #expect(ManifestSplitter.split("  \n\t\n") == [])
    }

    @Test func separatorMustStartALine() {
        #expect(ManifestSplitter.split("a: x---y\nb: 1") == ["a: x---y\nb: 1"])
        #expect(ManifestSplitter.split("a: 1\n---b: 2") == ["a: 1", "b: 2"])
    }
}

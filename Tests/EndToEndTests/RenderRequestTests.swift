import ArgumentParser
import Testing

@testable import BosunCLI

/// `RenderRequest(fastParsing:)` against ArgumentParser's parse of the same `bosun render`
/// arguments: whatever the shortcut accepts must mean exactly what `RenderCommand` would.
@Suite struct RenderRequestTests {
    static func parsedByArgumentParser(_ arguments: [String]) throws -> RenderRequest {
        let command = try Bosun.parseAsRoot(arguments)
        return try #require(command as? RenderCommand).request
    }

    /// Every option and flag, in each spelling, with positionals before, between and after.
    static let accepted: [[String]] = [
        ["render", "chart"],
        ["render", "name", "chart"],
        ["render", "chart", "-r", "rel", "-n", "ns", "--is-upgrade"],
        ["render", "--release", "rel", "chart", "--namespace=ns"],
        ["render", "-f", "a.yaml", "chart", "--values", "b.yaml,c.yaml", "--values=d.yaml"],
        ["render", "chart", "--set", "a=1", "--set=b=2,c=3", "--set-string", "s=x", "--set-file", "f=p", "--set-json", "j={\"k\":1}",
         "--set-literal", "l=a=b"],
        ["render", "chart", "-s", "templates/a.yaml", "--show-only", "templates/b.yaml", "--show-only=templates/*.yaml"],
        ["render", "chart", "--output-dir", "out", "--release-name", "--include-crds", "--skip-tests", "--no-hooks"],
        ["render", "chart", "--skip-schema-validation", "--kube-version", "1.30.0", "-a", "x/v1,y/v1", "--api-versions", "z/v1"],
        ["render", "chart", "--name-template", "{{ \"n\" }}", "-g", "--skip-crds", "--render-subchart-notes", "--enable-dns"],
        ["render", "chart", "--generate-name", "--kube-version=v1.29"],
        ["render", "a b", "./path with spaces", "--set", "x=a b"],
    ]

    @Test(arguments: accepted)
    func acceptedFormsMeanWhatArgumentParserReads(_ arguments: [String]) throws {
        let fast = try #require(RenderRequest(fastParsing: arguments))
        #expect(fast == (try Self.parsedByArgumentParser(arguments)))
    }

    /// Forms left to ArgumentParser: its help, its errors, and spellings the shortcut does not
    /// read (values that start with `-`, grouped short flags, `--`, repeats of single values).
    @Test func otherFormsAreLeftToArgumentParser() {
        let declined: [[String]] = [
            ["render"], ["render", "a", "b", "c"], ["render", "chart", "--help"], ["render", "-h"], ["render", "chart", "--unknown"],
            ["render", "chart", "-f", "-"], ["render", "chart", "--set"], ["render", "chart", "--set="], ["render", "chart", "--", "x"],
            ["render", "chart", "-gn", "ns"], ["render", "chart", "-n=ns"], ["render", "chart", "-n", "a", "-n", "b"],
            ["render", "chart", "--is-upgrade", "--is-upgrade"], ["render", "chart", "--is-upgrade=true"], ["list"], [],
            ["render", "chart", "--namespace", "--is-upgrade"], ["render", "-", "chart"],
        ]
        for arguments in declined {
            #expect(RenderRequest(fastParsing: arguments) == nil, "\(arguments)")
        }
    }

    /// The repeated forms the shortcut declines are ones ArgumentParser reads in its own way
    /// (the last single value wins), so it must go on reading them.
    @Test func argumentParserStillReadsDeclinedForms() throws {
        let request = try Self.parsedByArgumentParser(["render", "chart", "-n", "a", "-n", "b", "-f", "-"])
        #expect(request.namespace == "b")
        #expect(request.values.valueFiles == ["-"])
    }
}

import Testing

@testable import Charts

/// `.Files.Glob` patterns (gobwas/glob with `/` separator).
@Suite struct FilesGlobTests {
    @Test(arguments: [
        ("*.txt", "a.txt", true),
        ("*.txt", "dir/a.txt", false),
        ("**.txt", "dir/sub/a.txt", true),
        ("dir/*", "dir/a", true),
        ("dir/*", "dir/a/b", false),
        ("dir/**", "dir/a/b", true),
        ("?.yaml", "a.yaml", true),
        ("?.yaml", "/.yaml", false),
        ("[ab].cfg", "b.cfg", true),
        ("[!ab].cfg", "c.cfg", true),
        ("[a-c]x", "bx", true),
        ("{conf,data}/*.json", "data/x.json", true),
        ("{conf,data}/*.json", "other/x.json", false),
        ("files/\\*", "files/*", true),
        ("[", "anything/at/all", true),  // bad pattern: matches everything, as Helm's fallback
    ])
    func glob(pattern: String, name: String, matches: Bool) {
        #expect(FilesGlob(pattern).matches(name) == matches)
    }
}

@Suite struct PathPatternTests {
    @Test(arguments: [
        ("templates/*.yaml", "templates/a.yaml", true),
        ("templates/*.yaml", "templates/x/a.yaml", false),
        ("*", "a/b", false),
        ("a\\*b", "a*b", true),
        ("[^a]b", "cb", true),
    ])
    func match(pattern: String, name: String, matches: Bool) throws {
        #expect(try PathPattern(pattern).matches(name) == matches)
    }

    @Test func malformed() {
        #expect(throws: PathPattern.BadPattern.self) { try PathPattern("[a") }
        #expect(throws: PathPattern.BadPattern.self) { try PathPattern("a\\") }
    }
}

import Testing

@testable import Charts

/// .helmignore rules (cases from Helm's pkg/ignore/rules_test.go, plus its quirks).
@Suite struct HelmIgnoreTests {
    @Test(arguments: [
        // (rules, path, isDirectory, ignored)
        ("cargo.toml", "cargo.toml", false, true),
        ("cargo.toml", "mast/cargo.toml", false, true),
        ("*.txt", "mast/a.txt", false, true),
        ("*.txt", "a.yaml", false, false),
        ("/cargo.toml", "cargo.toml", false, true),
        ("/cargo.toml", "mast/cargo.toml", false, false),
        ("mast/", "mast", true, true),
        ("mast/", "mast", false, false),
        ("rudder/*.txt", "rudder/a.txt", false, true),
        ("rudder/*.txt", "rudder/b/a.txt", false, false),
        ("a[b-d]e", "ace", false, true),
        ("a[^b-d]e", "ace", false, false),
        ("?ar", "bar", false, true),
        ("!*.txt", "a.yaml", false, true),
        ("!*.txt", "a.txt", false, false),
        ("!mast/", "a.txt", false, true),
        ("# comment\n\n  *.bak  ", "x.bak", false, true),
        ("", "templates/.hidden", false, true),
        ("", "templates/a/.hidden", false, false),
        ("", ".helmignore", false, false),
    ])
    func rule(rules: String, path: String, isDirectory: Bool, ignored: Bool) throws {
        var ignore = try HelmIgnore(parsing: rules)
        ignore.addDefaults()
        #expect(ignore.ignores(path, isDirectory: isDirectory) == ignored)
    }

    @Test func doubleStarIsRejected() {
        #expect(throws: ChartsError("double-star (**) syntax is not supported")) { try HelmIgnore(parsing: "a/**/b") }
    }

    @Test func badPatternIsRejected() {
        #expect(throws: ChartsError("syntax error in pattern")) { try HelmIgnore(parsing: "a[") }
    }

    @Test func byteOrderMarkIsStripped() throws {
        let ignore = try HelmIgnore(parsing: "\u{FEFF}secret.txt")
        #expect(ignore.ignores("secret.txt", isDirectory: false))
    }

    /// Go's path.Base, which helm applies to template and file names.
    @Test func basenameIsGoPathBase() {
        let cases = ["": ".", "/": "/", "//": "/", "a": "a", "a/b": "b", "a/b/": "b", "/a//": "a", "x/_h.tpl": "_h.tpl", "é/ü": "ü"]
        for (path, base) in cases { #expect(basename(path) == base, "\(path)") }
    }

    /// filepath.Match compares runes: `?` takes one Unicode scalar, so a decomposed `é`
    /// (e + combining acute) needs two.
    @Test func patternsMatchUnicodeScalarsLikeGo() throws {
        let decomposed = "e\u{301}.txt"
        #expect(try !PathPattern("?.txt").matches(decomposed))
        #expect(try PathPattern("??.txt").matches(decomposed))
        #expect(try PathPattern("[a-f]?.txt").matches(decomposed))
        #expect(try PathPattern("*.txt").matches(decomposed))
    }
}

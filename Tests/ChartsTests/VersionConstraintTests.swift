import Testing

@testable import Charts

/// Masterminds/semver v3 constraints as Helm uses them for dependencies and kubeVersion.
@Suite struct VersionConstraintTests {
    @Test(arguments: [
        (">=1.20.0", "v1.35.0", true),
        (">=1.20.0-0", "v1.35.0", true),
        ("<1.20", "v1.35.0", false),
        (">= 1.19.0 < 1.36.0", "v1.35.0", true),
        (">=1.10.0 <=1.30.0", "v1.35.0", false),
        ("~1.2.3", "1.2.9", true),
        ("~1.2.3", "1.3.0", false),
        ("^1.2.3", "1.9.0", true),
        ("^1.2.3", "2.0.0", false),
        ("^0.2.3", "0.2.9", true),
        ("^0.2.3", "0.3.0", false),
        ("1.2.x", "1.2.7", true),
        ("1.2.x", "1.3.0", false),
        ("*", "4.5.6", true),
        ("*", "4.5.6-beta.1", false),
        (">=1.0.0-0", "1.2.0-beta.1", true),
        (">=1.0.0", "1.2.0-beta.1", false),
        ("1.0.0 - 2.0.0", "1.5.0", true),
        ("1.0.0 - 2.0.0", "2.0.1", false),
        ("<1.0.0 || >=3.0.0", "3.1.0", true),
        ("<1.0.0 || >=3.0.0", "2.1.0", false),
        ("!=1.2.3", "1.2.3", false),
        ("1.2.3", "1.2.3", true),
        ("", "1.2.3", false),
        ("not a range", "1.2.3", false),
    ])
    func check(constraint: String, version: String, satisfied: Bool) {
        #expect(isCompatibleRange(constraint, version) == satisfied)
    }

    @Test func versionsParseLeniently() {
        #expect(SemanticVersion(parsing: "v1.2") == SemanticVersion(major: 1, minor: 2, patch: 0))
        #expect(SemanticVersion(parsing: "1.2.3-rc.1+build") != nil)
        #expect(SemanticVersion(parsing: "1.2.3.4") == nil)
        #expect(SemanticVersion(parsing: "1.0.0-01") == nil)
        #expect(SemanticVersion(parsing: "1.0.0-alpha")! < SemanticVersion(parsing: "1.0.0")!)
    }
}

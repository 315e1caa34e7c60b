import Charts
import Foundation
import Structured
import Testing
import TestSupport
@testable import Deploy

/// `--image NAME=REF`: werf's `.Values.werf.image/tag/repo`, merged after every user value source.
@Suite struct WerfImagesTests {
    @Test func splitsReferencesLikeDocker() {
        #expect(WerfImages.split("registry.example.com/app/backend:v1.2") == ("registry.example.com/app/backend", "v1.2"))
        #expect(WerfImages.split("localhost:5000/app") == ("localhost:5000/app", "latest"))
        #expect(WerfImages.split("localhost:5000/app:abc") == ("localhost:5000/app", "abc"))
        #expect(WerfImages.split("nginx") == ("nginx", "latest"))
        #expect(WerfImages.split("nginx@sha256:0123") == ("nginx", "sha256:0123"))
        #expect(WerfImages.split("nginx:1.27@sha256:0123") == ("nginx", "1.27"))
    }

    @Test func valuesHaveWerfsShape() throws {
        let images = try WerfImages(flags: ["backend=example.org/apps/myapp:a243-1598", "frontend=example.org/apps/myapp:b777-1599"])
        #expect(images.values == [
            "werf": [
                "image": ["backend": "example.org/apps/myapp:a243-1598", "frontend": "example.org/apps/myapp:b777-1599"],
                "tag": ["backend": "a243-1598", "frontend": "b777-1599"],
                "repo": "example.org/apps/myapp",
            ],
        ])
    }

    @Test func repoIsLeftOutWhenImagesLiveInDifferentRepositories() throws {
        let images = try WerfImages(flags: ["a=one.example/a:1", "b=two.example/b:2"])
        #expect(images.repository == nil)
        #expect(images.values["werf"]?["repo"] == nil)
        #expect(!images.literalSetExpressions.contains { $0.hasPrefix("werf.repo=") })
    }

    @Test func laterFlagForTheSameNameWins() throws {
        let images = try WerfImages(flags: ["app=r/app:1", "app=r/app:2"])
        #expect(images.images.map(\.reference) == ["r/app:2"])
    }

    @Test func noImagesAddNothing() throws {
        let images = try WerfImages(flags: [])
        #expect(images.values == .emptyObject)
        var options = ValueOptions()
        images.apply(to: &options)
        #expect(options.literalValues.isEmpty)
    }

    @Test func badFlagsAreExplained() {
        #expect(throws: DeployError.plan(.invalidFlag("--image backend: expected NAME=REF, e.g. backend=registry.example.com/app:v1"))) {
            try WerfImages(flags: ["backend"])
        }
        #expect(throws: DeployError.plan(.invalidFlag("--image a.b=x:1: image name \"a.b\" may hold only letters, digits, '-' and '_'"))) {
            try WerfImages(flags: ["a.b=x:1"])
        }
        #expect(throws: DeployError.plan(.invalidFlag("--image a=: \"\" is not an image reference"))) {
            try WerfImages(flags: ["a="])
        }
    }

    /// Rendered through the real chart pipeline: `--image` beats values.yaml, `-f` and `--set`,
    /// keeps tags that look like numbers as strings, and leaves other `werf.*` values alone.
    @Test func imageValuesWinOverEveryUserSource() throws {
        let dir = try makeTemporaryDirectory("werf-images")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/chart/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: app\nversion: 0.1.0\n".write(toFile: dir + "/chart/Chart.yaml", atomically: true, encoding: .utf8)
        try "werf:\n  image:\n    backend: from-values-yaml\n  env: staging\n".write(toFile: dir + "/chart/values.yaml", atomically: true, encoding: .utf8)
        try "werf:\n  image:\n    backend: from-values-file\n".write(toFile: dir + "/prod.yaml", atomically: true, encoding: .utf8)
        try """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: images
            data:
              image: {{ .Values.werf.image.backend | quote }}
              tag: {{ .Values.werf.tag.backend | quote }}
              tagKind: {{ kindOf .Values.werf.tag.backend | quote }}
              repo: {{ .Values.werf.repo | quote }}
              env: {{ .Values.werf.env | quote }}

            """.write(toFile: dir + "/chart/templates/cm.yaml", atomically: true, encoding: .utf8)
        var options = TemplateOptions()
        options.values.valueFiles = [dir + "/prod.yaml"]
        options.values.values = ["werf.image.backend=from-set"]
        options.values.stringValues = ["werf.tag.backend=from-set-string"]
        try WerfImages(flags: ["backend=registry.example.com/app:0123"]).apply(to: &options.values)
        let output = try ChartTemplate.run(chartPath: dir + "/chart", options: options, functions: ChartFunctions.registry())
        #expect(output.contains("image: \"registry.example.com/app:0123\""), "\(output)")
        #expect(output.contains("tag: \"0123\""))
        #expect(output.contains("tagKind: \"string\""))
        #expect(output.contains("repo: \"registry.example.com/app\""))
        #expect(output.contains("env: \"staging\""))
    }
}

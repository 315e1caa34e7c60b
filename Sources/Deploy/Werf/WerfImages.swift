import Charts
import Structured

/// werf's service values for images, from `--image NAME=REF` flags.
///
/// werf passes the images it built to the main chart as `.Values.werf.image.<name>` (the full
/// reference), `.Values.werf.tag.<name>` (its tag) and `.Values.werf.repo` (the repository all its
/// images live in). Bosun builds nothing, so the user names the images; the values take werf's
/// place in the merge order: after every user source (`-f`, `--set*`), so they win.
public struct WerfImages: Sendable, Hashable {
    public struct Image: Sendable, Hashable {
        public var name: String
        /// As given: `registry.example.com/app/backend:v1`, `nginx@sha256:...`.
        public var reference: String
        /// The reference without tag and digest.
        public var repository: String
        /// The tag; the digest when there is only a digest; `latest` when neither (Docker's default).
        public var tag: String
    }

    public var images: [Image]

    /// Parses `NAME=REF` flags; a later flag for the same name replaces the earlier one.
    public init(flags: [String]) throws(DeployError) {
        var images: [Image] = []
        for flag in flags {
            guard let equals = flag.firstIndex(of: "=") else {
                throw DeployError.plan(.invalidFlag("--image \(flag): expected NAME=REF, e.g. backend=registry.example.com/app:v1"))
            }
            let name = String(flag[..<equals])
            let reference = String(flag[flag.index(after: equals)...])
            guard !name.isEmpty, name.allSatisfy(Self.isNameCharacter) else {
                throw DeployError.plan(.invalidFlag("--image \(flag): image name \(goQuote(name)) may hold only letters, digits, '-' and '_'"))
            }
            guard !reference.isEmpty, !reference.contains(where: { $0 == " " || $0 == "," }) else {
                throw DeployError.plan(.invalidFlag("--image \(flag): \(goQuote(reference)) is not an image reference"))
            }
            let (repository, tag) = Self.split(reference)
            let image = Image(name: name, reference: reference, repository: repository, tag: tag)
            if let index = images.firstIndex(where: { $0.name == name }) { images[index] = image } else { images.append(image) }
        }
        self.images = images
    }

    static func isNameCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_")
    }

    /// `host:5000/a/b:tag@sha256:x` -> (`host:5000/a/b`, `tag`). A colon counts as a tag separator
    /// only after the last slash (before it, it is a registry port).
    static func split(_ reference: String) -> (repository: String, tag: String) {
        var rest = Substring(reference)
        var digest: Substring?
        if let at = rest.firstIndex(of: "@") {
            digest = rest[rest.index(after: at)...]
            rest = rest[..<at]
        }
        let lastSlash = rest.lastIndex(of: "/")
        if let colon = rest.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            return (String(rest[..<colon]), String(rest[rest.index(after: colon)...]))
        }
        return (String(rest), digest.map(String.init) ?? "latest")
    }

    /// `werf.repo`: the repository shared by every image; nil when they differ (werf has one repo
    /// for all its images, so there is no faithful value then).
    public var repository: String? {
        let repositories = Set(images.map(\.repository))
        return repositories.count == 1 ? repositories.first : nil
    }

    /// The values werf would pass: `{werf: {image: {...}, tag: {...}, repo: ...}}` (empty without images).
    public var values: Value {
        guard !images.isEmpty else { return .emptyObject }
        var image: Value = .emptyObject
        var tag: Value = .emptyObject
        for entry in images {
            image[entry.name] = .string(entry.reference)
            tag[entry.name] = .string(entry.tag)
        }
        var werf: Value = ["image": image, "tag": tag]
        if let repository { werf["repo"] = .string(repository) }
        return ["werf": werf]
    }

    /// `--set-literal` expressions that put `values` last in Helm's merge order (after `--set`,
    /// `--set-string`, `--set-file` and the user's own `--set-literal`), as werf merges its service
    /// values after the user's. Literal, so `0123` or `true` tags stay strings.
    public var literalSetExpressions: [String] {
        var expressions: [String] = []
        for entry in images {
            expressions.append("werf.image.\(entry.name)=\(entry.reference)")
            expressions.append("werf.tag.\(entry.name)=\(entry.tag)")
        }
        if !images.isEmpty, let repository { expressions.append("werf.repo=\(repository)") }
        return expressions
    }

    /// Adds the image values to the user's value options, last.
    public func apply(to options: inout ValueOptions) {
        options.literalValues += literalSetExpressions
    }
}

import Foundation
import Structured

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `$ref`s to other documents, as Helm 4 compiles them with santhosh-tekuri/jsonschema v6: the
/// chart's schema is `file:///values.schema.json`, so a relative ref names a file under `/`, an
/// absolute path or `file://` URL a file on disk. Every reachable ref is loaded and its fragment
/// looked up before validation starts; the first failure replaces the chart's report.
/// Bosun never fetches `http(s)://` documents (Helm does); URN refs are permissive as in Helm.
extension JSONSchema {
    static let rootURL = "file:///values.schema.json"

    /// Loads the documents the schema reaches through `$ref`, `$recursiveRef` and `$dynamicRef`;
    /// returns v6's compile error (`failing loading "…": …`, `json-pointer in "…" not found`).
    mutating func loadReferences() -> String? {
        var loader = ReferenceLoader(documents: documents)
        loader.register(embeddedIn: root, base: base, draft: draft)
        do throws(ReferenceLoader.Failure) {
            try loader.walk(root, in: self)
        } catch {
            return error.message
        }
        documents = loader.documents
        return nil
    }

    /// The document a reference names and its fragment (nil without `#`).
    func split(_ ref: String) -> (url: String, fragment: String?) {
        let hash = ref.firstIndex(of: "#")
        let address = hash.map { String(ref[..<$0]) } ?? ref
        let fragment = hash.map { String(ref[ref.index(after: $0)...]) }
        if address.isEmpty { return (url, fragment) }
        return (JSONSchema.resolveURL(address, against: base), fragment)
    }

    /// The schema document at `url`: this one, the chart's root, or a loaded one.
    func document(_ url: String) -> JSONSchema? {
        if url == self.url || url == base { return self }
        guard let resource = documents[url] else { return nil }
        return JSONSchema(resource.schema, url: url, documents: documents, defaultDraft: resource.draft)
    }

    /// A subschema with its own `$id` is a resource of its own: its refs resolve against that
    /// URL, its pointers from its root, and it keeps this draft unless it names another.
    func embedded(_ schema: Value) -> JSONSchema? {
        guard let id = JSONSchema.identifier(of: schema, draft: draft) else { return nil }
        let address = JSONSchema.resolveURL(id, against: base)
        if address == base { return nil }
        return JSONSchema(schema, url: address, documents: documents, defaultDraft: draft)
    }

    /// The target of a reference and the document it lives in (whose draft and base apply there).
    /// Unknown URNs are Helm's permissive `true` schema.
    func resolve(_ ref: String) -> (document: JSONSchema, schema: Value)? {
        let (address, fragment) = split(ref)
        guard let document = document(address) else {
            return address.hasPrefix("urn:") ? (self, .bool(true)) : nil
        }
        guard let schema = document.locate(fragment ?? "") else { return nil }
        return (document, schema)
    }

    /// A fragment in this document: empty, a JSON pointer, or an anchor name.
    func locate(_ fragment: String) -> Value? {
        if fragment.isEmpty { return root }
        guard fragment.hasPrefix("/") else { return findAnchor(fragment, in: root) }
        var current = root
        for raw in fragment.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = (String(raw).removingPercentEncoding ?? String(raw))
                .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let next = current.objectValue?[token] {
                current = next
            } else if let a = current.arrayValue, let i = JSONSchema.arrayIndex(token), i < a.count {
                current = a[i]
            } else {
                return nil
            }
        }
        return current
    }

    /// A JSON pointer's array index: digits without a leading zero (`01`, `+1`, `-1` are not found).
    static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), token == "0" || !token.hasPrefix("0") else { return nil }
        return Int(token)
    }

    private func findAnchor(_ name: String, in value: Value) -> Value? {
        switch value {
        case .object(let o):
            if o["$anchor"]?.stringValue == name || o["$dynamicAnchor"]?.stringValue == name || o["$id"]?.stringValue == "#" + name {
                return value
            }
            for (_, v) in o { if let found = findAnchor(name, in: v) { return found } }
        case .array(let a):
            for v in a { if let found = findAnchor(name, in: v) { return found } }
        default: break
        }
        return nil
    }
}

/// The compile-time walk: v6 compiles the root and every subschema a keyword of the document's
/// draft reaches, following references; schemas only under `$defs` or unknown keywords are
/// compiled only when something refers to them.
private struct ReferenceLoader {
    struct Failure: Error { let message: String }

    var documents: [String: JSONSchema.Resource]
    var visited: Set<String> = []

    /// Subschemas with their own `$id` anywhere in a document, so that refs can reach them.
    mutating func register(embeddedIn value: Value, base: String, draft: Int) {
        switch value {
        case .object(let o):
            var base = base, draft = draft
            if let id = JSONSchema.identifier(of: value, draft: draft) {
                let address = JSONSchema.resolveURL(id, against: base)
                if address != base {
                    let resource = JSONSchema(value, url: address, defaultDraft: draft)
                    base = resource.base
                    draft = resource.draft
                    if documents[address] == nil { documents[address] = JSONSchema.Resource(schema: value, draft: draft) }
                }
            }
            for (key, sub) in o where !["enum", "const", "default", "examples"].contains(key) {
                register(embeddedIn: sub, base: base, draft: draft)
            }
        case .array(let a):
            for sub in a { register(embeddedIn: sub, base: base, draft: draft) }
        default: break
        }
    }

    mutating func walk(_ schema: Value, in enclosing: JSONSchema) throws(Failure) {
        guard case .object(let s) = schema else { return }
        let doc = enclosing.embedded(schema) ?? enclosing
        if doc.draft < 2019, let ref = s["$ref"]?.stringValue { return try follow(ref, from: doc) }
        if let ref = s["$ref"]?.stringValue { try follow(ref, from: doc) }
        if doc.draft == 2019, let ref = s["$recursiveRef"]?.stringValue { try follow(ref, from: doc) }
        if doc.draft >= 2020, let ref = s["$dynamicRef"]?.stringValue { try follow(ref, from: doc) }
        var single = ["not", "additionalProperties", "propertyNames", "contains", "additionalItems"]
        if doc.draft >= 7 { single += ["if", "then", "else"] }
        if doc.draft >= 2019 { single += ["unevaluatedProperties", "unevaluatedItems"] }
        for key in single { if let sub = s[key] { try walk(sub, in: doc) } }
        for key in ["allOf", "anyOf", "oneOf"] + (doc.draft >= 2020 ? ["prefixItems"] : []) {
            for sub in s[key]?.arrayValue ?? [] { try walk(sub, in: doc) }
        }
        if let items = s["items"] {
            if let list = items.arrayValue { for sub in list { try walk(sub, in: doc) } } else { try walk(items, in: doc) }
        }
        var maps = ["properties", "patternProperties"]
        maps.append(doc.draft >= 2019 ? "dependentSchemas" : "dependencies")
        for key in maps {
            for (_, sub) in s[key]?.objectValue ?? [:] { try walk(sub, in: doc) }
        }
    }

    mutating func follow(_ ref: String, from doc: JSONSchema) throws(Failure) {
        let (address, fragment) = doc.split(ref)
        var target = documents[address].map { JSONSchema($0.schema, url: address, documents: documents, defaultDraft: $0.draft) }
            ?? doc.document(address)
        if target == nil {
            if address.hasPrefix("urn:") { return }
            let value = try load(address)
            let loaded = JSONSchema(value, url: address, documents: documents)
            // v6 checks each document against its metaschema as it loads it.
            if let report = loaded.metaschemaReport() { throw Failure(message: String(report)) }
            let resource = JSONSchema.Resource(schema: value, draft: loaded.draft)
            documents[address] = resource
            if documents[loaded.base] == nil { documents[loaded.base] = resource }
            register(embeddedIn: value, base: loaded.base, draft: loaded.draft)
            target = JSONSchema(value, url: address, documents: documents)
        }
        guard let target else { return }
        let name = fragment ?? ""
        guard let schema = target.locate(name) else {
            if name.hasPrefix("/") { throw Failure(message: "json-pointer in \"\(address)#\(name)\" not found") }
            throw Failure(message: "anchor in \"\(address)#\(name)\" not found in schema \"\(address)\"")
        }
        guard visited.insert(address + "#" + name).inserted else { return }
        try walk(schema, in: target)
    }

    /// v6's loaders as Helm configures them: files read and decoded with encoding/json's Decoder.
    func load(_ address: String) throws(Failure) -> Value {
        func failure(_ reason: String) -> Failure { Failure(message: "failing loading \"\(address)\": \(reason)") }
        let scheme = address.prefix { $0 != ":" }
        switch scheme {
        case "file": break
        case "http", "https": throw failure("bosun does not fetch remote schemas")
        default: throw failure("no URLLoader registered for \"\(address)\"")
        }
        let bytes: [UInt8]
        do { bytes = try JSONSchema.readFile(JSONSchema.filePath(address)) } catch { throw failure(error.message) }
        do { return try JSONSchema.decodeDocument(bytes) } catch { throw failure(error.message) }
    }
}

extension JSONSchema {
    /// A file's bytes, failing as Go's os.ReadFile does (`open P: …`, `read P: is a directory`).
    static func readFile(_ path: String) throws(StructuredError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw StructuredError("open \(path): \(errnoText(errno))") }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw StructuredError("read \(path): \(errnoText(errno))") }
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }

    /// Go's syscall error text: strerror's words with a lowercase first letter.
    static func errnoText(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }

    /// The file a `file:` URL names: its path, percent-decoded, whatever its host.
    static func filePath(_ url: String) -> String {
        var rest = Substring(url.dropFirst("file:".count))
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
        }
        if let q = rest.firstIndex(of: "?") { rest = rest[..<q] }
        return String(rest).removingPercentEncoding ?? String(rest)
    }
}

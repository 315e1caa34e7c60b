// JSON straight from and to UTF-8 bytes: HTTP bodies, watch lines, files, gzip payloads.
// Same parser and writer as the String API; no String is built for the whole document.

extension JSON {
    /// Decode UTF-8 JSON bytes (same typing and Go-worded errors as `decode(_:allDoubles:file:)`).
    /// Invalid UTF-8 inside strings becomes U+FFFD, as Go does.
    public static func decode(_ bytes: [UInt8], allDoubles: Bool = false, file: String? = nil) throws(StructuredError) -> Value {
        var parser = JSONParser(bytes: bytes, allDoubles: allDoubles, file: file)
        return try parser.parseDocument()
    }

    /// `encodeChecked` into UTF-8 bytes. `sortKeys: false` keeps each object's order, which is how
    /// Go writes structs (declaration order) and how re-encoding what Go wrote reproduces it.
    public static func encodeBytes(
        _ value: Value, sortKeys: Bool = true, escapeHTML: Bool = true, indent: String? = nil
    ) throws(StructuredError) -> [UInt8] {
        var writer = JSONWriter(sortKeys: sortKeys, escapeHTML: escapeHTML, indent: indent)
        try writer.write(value, depth: 0)
        return writer.out
    }
}

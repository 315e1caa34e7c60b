import Foundation
import Structured

/// `--audit-log`: one JSON line per request (time in microseconds, user agent, verb, path, query,
/// object kind/namespace/name, dry-run, response code, latency).
actor AuditLog {
    private let handle: FileHandle

    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw APIError(code: 500, reason: "InternalError", message: "cannot open audit log \(path)")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    struct Record: Sendable {
        var start: Date
        var userAgent: String
        var user: String?
        var method: String
        var verb: String
        var path: String
        var query: String
        var resource: String?
        var kind: String?
        var namespace: String?
        var name: String?
        var subresource: String?
        var dryRun: Bool
        var code: Int
        var latencyMicroseconds: Int64
    }

    func write(_ r: Record) {
        var line: Value = [
            "time": .string(Self.microsecondTime(r.start)),
            "userAgent": .string(r.userAgent),
            "user": r.user.map { .string($0) } ?? .null,
            "method": .string(r.method),
            "verb": .string(r.verb),
            "path": .string(r.path),
            "query": .string(r.query),
        ]
        if let resource = r.resource { line["resource"] = .string(resource) }
        if let kind = r.kind { line["kind"] = .string(kind) }
        if let namespace = r.namespace { line["namespace"] = .string(namespace) }
        if let name = r.name { line["name"] = .string(name) }
        if let sub = r.subresource { line["subresource"] = .string(sub) }
        line["dryRun"] = .bool(r.dryRun)
        line["code"] = .int(Int64(r.code))
        line["latencyMicroseconds"] = .int(r.latencyMicroseconds)
        var bytes = JSON.wireBytes(line)
        bytes.append(0x0A)
        handle.write(Data(bytes))
    }

    static func microsecondTime(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let micros = Int((seconds - seconds.rounded(.down)) * 1_000_000)
        let base = Timestamp.format(date)
        return String(base.dropLast()) + String(format: ".%06dZ", micros)
    }
}

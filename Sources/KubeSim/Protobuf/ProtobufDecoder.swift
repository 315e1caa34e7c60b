import Foundation
import Structured

/// Decodes `application/vnd.kubernetes.protobuf` request bodies into JSON-shaped `Value`s.
///
/// kubectl's typed clients (`kubectl create namespace|configmap|secret|serviceaccount|deployment|
/// service|job`) send protobuf; everything else sends JSON. The envelope is `k8s\0` + `runtime.Unknown`
/// (typeMeta, raw); `raw` is decoded with the field numbers of the few kinds those commands create.
/// Unknown fields are skipped, unknown kinds are 415.
enum ProtobufDecoder {
    static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]

    static func decode(_ bytes: [UInt8]) throws(APIError) -> Value {
        guard bytes.starts(with: magic) else { throw APIError.badRequest("protobuf body without the k8s envelope") }
        var reader = WireReader(bytes: bytes[4...])
        var apiVersion = "", kind = ""
        var raw: ArraySlice<UInt8> = []
        while let (number, wire) = try reader.field() {
            switch (number, wire) {
            case (1, 2):
                var meta = WireReader(bytes: try reader.chunk())
                while let (n, w) = try meta.field() {
                    if n == 1, w == 2 { apiVersion = try meta.string() } else if n == 2, w == 2 { kind = try meta.string() } else { try meta.skip(w) }
                }
            case (2, 2): raw = try reader.chunk()
            default: try reader.skip(wire)
            }
        }
        guard let schema = Schemas.top[kind] else {
            throw APIError(code: 415, reason: "UnsupportedMediaType",
                           message: "kubesim cannot decode protobuf for kind \(kind); send application/json")
        }
        var object = try decodeMessage(raw, schema)
        var result: Value = ["apiVersion": .string(apiVersion), "kind": .string(kind)]
        for (k, v) in object.objectValue ?? [:] { result[k] = v }
        object = result
        return object
    }

    static func decodeMessage(_ bytes: ArraySlice<UInt8>, _ schema: [Int: Field]) throws(APIError) -> Value {
        var reader = WireReader(bytes: bytes)
        var object: Value = .object([:])
        while let (number, wire) = try reader.field() {
            guard let field = schema[number] else { try reader.skip(wire); continue }
            if case .map(let valueType) = field.type {
                var entry = WireReader(bytes: try reader.chunk())
                var key = "", value: Value = .null
                while let (n, w) = try entry.field() {
                    if n == 1 { key = try entry.string() } else if n == 2 { value = try decodeScalar(&entry, w, valueType) } else { try entry.skip(w) }
                }
                var map = object[field.name] ?? .object([:])
                map[key] = value
                object[field.name] = map
                continue
            }
            let value = try decodeScalar(&reader, wire, field.type)
            // gogo-protobuf writes zero values of non-pointer fields; JSON (omitempty) would not.
            if !field.repeated, isZero(value), !pointerFields.contains(field.name) { continue }
            if field.repeated {
                var list = object[field.name]?.arrayValue ?? []
                list.append(value)
                object[field.name] = .array(list)
            } else {
                object[field.name] = value
            }
        }
        return object
    }

    /// Optional (pointer) fields whose zero value is meaningful.
    static let pointerFields: Set<String> = [
        "replicas", "terminationGracePeriodSeconds", "revisionHistoryLimit", "progressDeadlineSeconds", "backoffLimit",
        "completions", "parallelism", "immutable", "automountServiceAccountToken", "activeDeadlineSeconds",
        "ttlSecondsAfterFinished", "startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit",
        "manualSelector", "maxUnavailable", "maxSurge",
    ]

    static func isZero(_ value: Value) -> Bool {
        switch value {
        case .string(let s): return s.isEmpty
        case .bool(let b): return !b
        case .int(let i): return i == 0
        default: return false
        }
    }

    static func decodeScalar(_ reader: inout WireReader, _ wire: Int, _ type: FieldType) throws(APIError) -> Value {
        switch type {
        case .string: return .string(try reader.string())
        case .bytes: return .string(Data(try reader.chunk()).base64EncodedString())
        case .int: return .int(Int64(bitPattern: try reader.varint()))
        case .bool: return .bool(try reader.varint() != 0)
        case .message(let name):
            guard let schema = Schemas.messages[name] else { _ = try reader.chunk(); return .object([:]) }
            return try decodeMessage(try reader.chunk(), schema)
        case .time:
            var inner = WireReader(bytes: try reader.chunk())
            var seconds: Int64 = 0
            while let (n, w) = try inner.field() { if n == 1 { seconds = Int64(bitPattern: try inner.varint()) } else { try inner.skip(w) } }
            return .string(Timestamp.format(Date(timeIntervalSince1970: TimeInterval(seconds))))
        case .quantity:
            var inner = WireReader(bytes: try reader.chunk())
            var text = ""
            while let (n, w) = try inner.field() { if n == 1 { text = try inner.string() } else { try inner.skip(w) } }
            return .string(text)
        case .intOrString:
            var inner = WireReader(bytes: try reader.chunk())
            var kind: UInt64 = 0, int: Int64 = 0, str = ""
            while let (n, w) = try inner.field() {
                switch n {
                case 1: kind = try inner.varint()
                case 2: int = Int64(Int32(truncatingIfNeeded: try inner.varint()))
                case 3: str = try inner.string()
                default: try inner.skip(w)
                }
            }
            return kind == 1 ? .string(str) : .int(int)
        case .map: return .null
        }
    }

    indirect enum FieldType: Sendable {
        case string, bytes, int, bool, time, quantity, intOrString
        case message(String)
        case map(FieldType)
    }

    struct Field: Sendable {
        var name: String
        var type: FieldType
        var repeated = false
    }

    struct WireReader {
        var bytes: ArraySlice<UInt8>

        mutating func varint() throws(APIError) -> UInt64 {
            var result: UInt64 = 0, shift: UInt64 = 0
            while let b = bytes.first {
                bytes = bytes.dropFirst()
                result |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return result }
                shift += 7
                if shift > 63 { break }
            }
            throw APIError.badRequest("malformed protobuf varint")
        }

        mutating func field() throws(APIError) -> (Int, Int)? {
            if bytes.isEmpty { return nil }
            let key = try varint()
            return (Int(key >> 3), Int(key & 7))
        }

        mutating func chunk() throws(APIError) -> ArraySlice<UInt8> {
            let n = Int(try varint())
            guard n <= bytes.count else { throw APIError.badRequest("malformed protobuf length") }
            let slice = bytes.prefix(n)
            bytes = bytes.dropFirst(n)
            return slice
        }

        mutating func string() throws(APIError) -> String { String(decoding: try chunk(), as: UTF8.self) }

        mutating func skip(_ wire: Int) throws(APIError) {
            switch wire {
            case 0: _ = try varint()
            case 1: bytes = bytes.dropFirst(8)
            case 2: _ = try chunk()
            case 5: bytes = bytes.dropFirst(4)
            default: throw APIError.badRequest("unsupported protobuf wire type \(wire)")
            }
        }
    }
}

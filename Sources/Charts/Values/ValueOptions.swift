import Foundation
import Structured

/// The user's value flags, merged in Helm's fixed order: `-f` files, then `--set-json`, `--set`,
/// `--set-string`, `--set-file`, `--set-literal` (whatever order they had on the command line).
public struct ValueOptions: Sendable {
    public var valueFiles: [String] = []
    public var jsonValues: [String] = []
    public var values: [String] = []
    public var stringValues: [String] = []
    public var fileValues: [String] = []
    public var literalValues: [String] = []
    /// What `-f -` and `--set-file k=-` read; nil reads the process's standard input.
    public var standardInput: String?

    public init() {}

    public func merged() throws(ChartsError) -> Value {
        var base = Value.emptyObject
        for path in valueFiles {
            let text = try readFile(path)
            do { base = ValuesFile.mergeMaps(base, try ValuesFile.parse(text, name: path)) } catch {
                throw error.wrapped("failed to parse \(path)")
            }
        }
        for value in jsonValues {
            let trimmed = value.trimmingGoSpace()
            if trimmed.hasPrefix("{") {
                guard let object = try? JSON.decode(trimmed, allDoubles: true), case .object = object else {
                    throw ChartsError("failed parsing --set-json data JSON: \(value)")
                }
                base = ValuesFile.mergeMaps(base, object)
            } else {
                do { try SetParser.parse(value, into: &base, mode: .json) } catch {
                    throw ChartsError("failed parsing --set-json data \(value)")
                }
            }
        }
        for value in values {
            do { try SetParser.parse(value, into: &base, mode: .typed) } catch { throw error.wrapped("failed parsing --set data") }
        }
        for value in stringValues {
            do { try SetParser.parse(value, into: &base, mode: .string) } catch { throw error.wrapped("failed parsing --set-string data") }
        }
        for value in fileValues {
            let reader: @Sendable (String) throws -> String = { [self] path in
                do { return try readFile(path) } catch { throw error }
            }
            do { try SetParser.parse(value, into: &base, mode: .file(reader)) } catch { throw error.wrapped("failed parsing --set-file data") }
        }
        for value in literalValues {
            do { try SetParser.parse(value, into: &base, mode: .literal) } catch { throw error.wrapped("failed parsing --set-literal data") }
        }
        return base
    }

    func readFile(_ path: String) throws(ChartsError) -> String {
        if path.trimmingGoSpace() == "-" {
            if let standardInput { return standardInput }
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ChartsError("open \(path): no such file or directory")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

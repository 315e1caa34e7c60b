import Foundation
import GoTemplate

/// `uuidv4`: a random (version 4) UUID in lower-case canonical form, as google/uuid prints it.
enum UUIDFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("uuidv4", .exactly(0)) { _ in .string(UUID().uuidString.lowercased()) }
    }
}

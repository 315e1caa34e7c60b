import GoTemplate

/// The one place that talks to GoTemplate's template sets: parse every file into one shared
/// namespace, execute by name with `missingkey=zero`.
struct TemplateEngine {
    /// A parse or execution failure with Go's error strings, outermost first (errors.Unwrap chain).
    struct Failure: Error {
        var chain: [String]
        var isExecution: Bool
    }

    init(functions: FunctionRegistry) {}

    mutating func parse(name: String, text: String) throws(Failure) {
        throw Failure(chain: ["template: \(name): the GoTemplate engine is not available yet"], isExecution: false)
    }

    func execute(name: String, data: TemplateValue) throws(Failure) -> String {
        throw Failure(chain: ["template: \(name): the GoTemplate engine is not available yet"], isExecution: true)
    }
}

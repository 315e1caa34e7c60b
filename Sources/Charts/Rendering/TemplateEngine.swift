import GoTemplate

/// The one place that talks to GoTemplate: every file parsed into one shared set, executed by
/// name with `missingkey=zero` (Helm's engine options).
struct TemplateEngine {
    /// A parse or execution failure with Go's error strings, outermost first (errors.Unwrap chain).
    struct Failure: Error {
        var chain: [String]
        var isExecution: Bool
        /// The text that failed to parse, for batch parses.
        var templateName: String? = nil
    }

    private var set: TemplateSet

    init(functions: FunctionRegistry) {
        set = TemplateSet(name: "gotpl", functions: functions)
    }

    /// Parse `texts` as one `parse(name:text:)` each in order would, on up to `threads` threads.
    mutating func parse(_ texts: [(name: String, text: String)], threads: Int) throws(Failure) {
        do { try set.parse(texts, threads: threads) } catch let error as TemplateError {
            throw Failure(chain: [error.message], isExecution: false, templateName: error.templateName)
        } catch {
            throw Failure(chain: [String(describing: error)], isExecution: false)
        }
    }

    func execute(name: String, data: TemplateValue) throws(Failure) -> String {
        do { return try set.execute(name: name, data: data, options: ExecutionOptions(missingKey: .zero)) } catch let error as TemplateError {
            throw Failure(chain: Self.unwrapChain(error.message), isExecution: error.kind == .execution)
        } catch {
            throw Failure(chain: [String(describing: error)], isExecution: false)
        }
    }

    /// Go wraps a failing function's error as `error calling NAME: %w`, so errors.Unwrap yields
    /// the function's own error: recover that chain from the message.
    static func unwrapChain(_ message: String) -> [String] {
        var chain = [message]
        var current = Substring(message)
        while let range = current.range(of: "error calling ") {
            let after = current[range.upperBound...]
            guard let colon = after.range(of: ": ") else { break }
            let name = after[..<colon.lowerBound]
            guard !name.isEmpty, !name.contains(" ") else { break }
            current = after[colon.upperBound...]
            chain.append(String(current))
        }
        return chain
    }
}

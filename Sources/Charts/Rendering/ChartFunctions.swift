import GoTemplate

/// The function registry charts render with.
public enum ChartFunctions {
    public static func registry() -> FunctionRegistry {
        FunctionRegistry()
    }
}

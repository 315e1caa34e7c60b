import Structured

extension JSONSchema {
    /// Helm's ValidateAgainstSchema: the chart's schema against its values, then each subchart's
    /// schema against its table. Returns the report (chart names and violations) or nil.
    public static func validate(chart: Chart, values: Value) throws(ChartsError) -> String? {
        var report = ""
        if let schemaBytes = chart.schema {
            do throws(ChartsError) {
                var schema = try JSONSchema(json: schemaBytes)
                if let metaschemaFailure = schema.metaschemaReport() {
                    report += chart.name + ":\n" + metaschemaFailure
                } else if let loadFailure = schema.loadReferences() {
                    // v6 loads referenced documents while compiling: a failure there is the whole report.
                    report += chart.name + ":\n" + loadFailure
                } else if let violations = schema.validate(values) {
                    report += chart.name + ":\n" + describe(violations)
                }
            } catch {
                // A schema that does not parse is reported like any other failing chart.
                report += chart.name + ":\n" + error.message
            }
        }
        for sub in chart.dependencies {
            guard let raw = values[sub.name], !raw.isNull else { continue }
            guard case .object = raw else {
                report += "\(sub.name):\ninvalid type for values: expected object (map), got \(goTypeName(raw))\n"
                continue
            }
            if let subReport = try validate(chart: sub, values: raw) { report += subReport }
        }
        return report.isEmpty ? nil : report
    }

    static func goTypeName(_ v: Value) -> String {
        switch v {
        case .null: return "<nil>"
        case .bool: return "bool"
        case .int: return "int64"
        case .double: return "float64"
        case .string: return "string"
        case .array: return "[]interface {}"
        case .object: return "map[string]interface {}"
        }
    }
}

import OrderedCollections
import Structured

/// Helm's value coalescing (chartutil CoalesceValues / MergeValues): user values over chart
/// defaults, subchart tables filled from subchart defaults, `global` pushed down, and (when not
/// merging) a user `null` deleting the default it overrides.
public enum Coalesce {
    /// CoalesceValues: nulls delete defaults.
    public static func values(_ chart: Chart, _ user: Value) throws(ChartsError) -> Value {
        try coalesce(chart, user.objectValue == nil ? .emptyObject : user, merge: false)
    }

    /// MergeValues: nulls are kept (used while processing dependencies).
    public static func merged(_ chart: Chart, _ user: Value) throws(ChartsError) -> Value {
        try coalesce(chart, user.objectValue == nil ? .emptyObject : user, merge: true)
    }

    static func coalesce(_ chart: Chart, _ dest: Value, merge: Bool) throws(ChartsError) -> Value {
        var v = dest.objectValue ?? [:]
        applyDefaults(chart, &v, merge: merge)
        try coalesceDependencies(chart, &v, merge: merge)
        return .object(v)
    }

    private static func coalesceDependencies(_ chart: Chart, _ dest: inout OrderedDictionary<String, Value>, merge: Bool) throws(ChartsError) {
        for sub in chart.dependencies {
            let existing = dest[sub.name]
            guard existing == nil || existing?.objectValue != nil else {
                throw ChartsError("type mismatch on \(sub.name): %!t(\(goTypeAndValue(existing!)))")
            }
            var table = existing?.objectValue ?? [:]
            pushGlobals(into: &table, from: dest)
            dest[sub.name] = try coalesce(sub, .object(table), merge: merge)
        }
    }

    /// coalesceGlobals: the parent's `global` entries win over the child's, tables merged.
    private static func pushGlobals(into dest: inout OrderedDictionary<String, Value>, from src: OrderedDictionary<String, Value>) {
        var dg: OrderedDictionary<String, Value> = [:]
        if let g = dest["global"] {
            guard let o = g.objectValue else { return }
            dg = o
        }
        var sg: OrderedDictionary<String, Value> = [:]
        if let g = src["global"] {
            guard let o = g.objectValue else { return }
            sg = o
        }
        for (key, value) in sg {
            if case .object = value {
                if let existing = dg[key] {
                    guard case .object = existing else { continue }  // cannot merge map onto non-map
                    dg[key] = tables(value, existing, merge: true)
                } else {
                    dg[key] = value
                }
            } else if let existing = dg[key], case .object = existing {
                continue  // key is a table: skipped
            } else {
                dg[key] = value
            }
        }
        dest["global"] = .object(dg)
    }

    /// coalesceValues: fill `v` from the chart's defaults.
    private static func applyDefaults(_ chart: Chart, _ v: inout OrderedDictionary<String, Value>, merge: Bool) {
        guard let defaults = chart.values.objectValue else { return }
        for (key, defaultValue) in defaults {
            guard let value = v[key] else {
                v[key] = defaultValue
                continue
            }
            if value.isNull && !merge {
                v.removeValue(forKey: key)
            } else if case .object = value, case .object = defaultValue {
                let isSubchart = chart.dependencies.contains { $0.name == key }
                v[key] = tables(value, defaultValue, merge: isSubchart || merge)
            }
        }
    }

    /// coalesceTablesFullKey: `dst` wins; tables merge; a null in `dst` deletes `src`'s non-null
    /// value unless merging.
    public static func tables(_ dst: Value, _ src: Value, merge: Bool) -> Value {
        guard case .object(let s) = src else { return dst }
        guard case .object(var d) = dst else { return dst.isNull ? src : dst }
        for (key, value) in s {
            guard let existing = d[key] else {
                d[key] = value
                continue
            }
            if existing.isNull {
                if !merge && !value.isNull { d.removeValue(forKey: key) }
                continue
            }
            if case .object = value, case .object = existing {
                d[key] = tables(existing, value, merge: merge)
            }
        }
        return .object(d)
    }
}

/// Go's `%T=%v`-style rendering used inside `%!t(...)` for a bad verb.
func goTypeAndValue(_ value: Value) -> String {
    switch value {
    case .null: return "<nil>"
    case .bool(let b): return "bool=\(b)"
    case .int(let i): return "int64=\(i)"
    case .double(let d): return "float64=\(GoValueText.float(d))"
    case .string(let s): return "string=\(s)"
    case .array: return "[]interface {}=\(GoValueText.value(value))"
    case .object: return "map[string]interface {}=\(GoValueText.value(value))"
    }
}


import GoTemplate

/// Sprig's integer arithmetic (int64 through spf13/cast) and number conversions.
enum MathFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("add1", .exactly(1)) { a in .int64(Cast.toInt64(a[0]) &+ 1) }
        r.add("add", .atLeast(0)) { a in .int64(a.values.reduce(Int64(0)) { $0 &+ Cast.toInt64($1) }) }
        r.add("sub", .exactly(2)) { a in .int64(Cast.toInt64(a[0]) &- Cast.toInt64(a[1])) }
        r.add("div", .exactly(2)) { a in
            let x = Cast.toInt64(a[0]), y = Cast.toInt64(a[1])
            guard y != 0 else { throw TemplateFunctionError("runtime error: integer divide by zero") }
            return .int64(x.dividedReportingOverflow(by: y).partialValue)
        }
        r.add("mod", .exactly(2)) { a in
            let x = Cast.toInt64(a[0]), y = Cast.toInt64(a[1])
            guard y != 0 else { throw TemplateFunctionError("runtime error: integer divide by zero") }
            return .int64(x.remainderReportingOverflow(dividingBy: y).partialValue)
        }
        r.add("mul", .atLeast(1)) { a in
            .int64(a.rest(from: 1).reduce(Cast.toInt64(a[0])) { $0 &* Cast.toInt64($1) })
        }
        for name in ["max", "biggest"] {
            r.add(name, .atLeast(1)) { a in .int64(a.rest(from: 1).reduce(Cast.toInt64(a[0])) { Swift.max($0, Cast.toInt64($1)) }) }
        }
        r.add("min", .atLeast(1)) { a in .int64(a.rest(from: 1).reduce(Cast.toInt64(a[0])) { Swift.min($0, Cast.toInt64($1)) }) }
        r.add("randInt", .exactly(2)) { a in
            let lo = try a.int(0), hi = try a.int(1)
            guard hi &- lo > 0 else { throw TemplateFunctionError("invalid argument to Intn") }
            return .int(Int.random(in: 0..<(hi - lo)) + lo)
        }
        r.add("until", .exactly(1)) { a in
            let n = try a.int(0)
            return ints(untilStep(0, n, n < 0 ? -1 : 1))
        }
        r.add("untilStep", .exactly(3)) { a in ints(untilStep(try a.int(0), try a.int(1), try a.int(2))) }
        r.add("seq", .atLeast(0)) { a in .string(seq(try a.ints(from: 0))) }

        // Conversions.
        r.add("atoi", .exactly(1)) { a in .int(atoi(try a.string(0))) }
        r.add("int", .exactly(1)) { a in .int(Cast.toInt(a[0])) }
        r.add("int64", .exactly(1)) { a in .int64(Cast.toInt64(a[0])) }
        r.add("float64", .exactly(1)) { a in .float(Cast.toFloat64(a[0])) }
        r.add("toDecimal", .exactly(1)) { a in
            // strconv.ParseInt(fmt.Sprint(v), 8, 64); any error gives 0.
            .int64(Cast.parseInt(GoText.value(a[0]), base: 8) ?? 0)
        }
    }

    /// A Go `[]int`.
    static func ints(_ values: [Int]) -> TemplateValue {
        .object(TypedContainer(goTypeName: "[]int", value: .list(values.map { .int($0) })))
    }

    static func untilStep(_ start: Int, _ stop: Int, _ step: Int) -> [Int] {
        var v: [Int] = []
        if stop < start {
            guard step < 0 else { return v }
            var i = start
            while i > stop { v.append(i); i += step }
            return v
        }
        guard step > 0 else { return v }
        var i = start
        while i < stop { v.append(i); i += step }
        return v
    }

    static func seq(_ p: [Int]) -> String {
        let values: [Int]
        switch p.count {
        case 1:
            let end = p[0], inc = end < 1 ? -1 : 1
            values = untilStep(1, end + inc, inc)
        case 2:
            let inc = p[1] < p[0] ? -1 : 1
            values = untilStep(p[0], p[1] + inc, inc)
        case 3:
            let start = p[0], step = p[1], end = p[2]
            var inc = 1
            if end < start {
                inc = -1
                if step > 0 { return "" }
            }
            values = untilStep(start, end + inc, step)
        default:
            return ""
        }
        return values.map(String.init).joined(separator: " ")
    }

    /// strconv.Atoi: decimal with an optional sign; out of range clamps, bad syntax gives 0.
    static func atoi(_ s: String) -> Int {
        var body = Substring(s)
        var negative = false
        if let f = body.first, f == "+" || f == "-" { negative = f == "-"; body = body.dropFirst() }
        guard !body.isEmpty, body.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return 0 }
        var value: Int = 0
        for c in body.utf8 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (n, o2) = negative ? m.subtractingReportingOverflow(Int(c - 48)) : m.addingReportingOverflow(Int(c - 48))
            if o1 || o2 { return negative ? Int.min : Int.max }
            value = n
        }
        return value
    }
}

import Foundation
import GoTemplate

/// Sprig's float64 arithmetic: exact decimal arithmetic (shopspring/decimal) on the shortest
/// decimal form of each operand, then back to float64.
enum FloatMathFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("add1f", .exactly(1)) { a in .float(try decimalOp(a[0], [.int(1)], .add)) }
        r.add("addf", .atLeast(0)) { a in .float(try decimalOp(.float(0), a.values, .add)) }
        r.add("subf", .atLeast(1)) { a in .float(try decimalOp(a[0], a.rest(from: 1), .sub)) }
        r.add("mulf", .atLeast(1)) { a in .float(try decimalOp(a[0], a.rest(from: 1), .mul)) }
        r.add("divf", .atLeast(1)) { a in .float(try decimalOp(a[0], a.rest(from: 1), .div)) }
        r.add("maxf", .atLeast(1)) { a in
            .float(a.rest(from: 1).reduce(Cast.toFloat64(a[0])) { goMax($0, Cast.toFloat64($1)) })
        }
        r.add("minf", .atLeast(1)) { a in
            .float(a.rest(from: 1).reduce(Cast.toFloat64(a[0])) { goMin($0, Cast.toFloat64($1)) })
        }
        r.add("ceil", .exactly(1)) { a in .float(Cast.toFloat64(a[0]).rounded(.up)) }
        r.add("floor", .exactly(1)) { a in .float(Cast.toFloat64(a[0]).rounded(.down)) }
        r.add("round", .atLeast(2)) { a in
            let value = Cast.toFloat64(a[0])
            let places = Double(try a.int(1))
            let roundOn = a.count > 2 ? try floatParameter(a, 2) : 0.5
            let pow = Foundation.pow(10, places)
            let digit = pow * value
            let fraction = digit - digit.rounded(.towardZero)
            return .float((fraction >= roundOn ? digit.rounded(.up) : digit.rounded(.down)) / pow)
        }
    }

    /// A Go float64 parameter: template number literals of either kind convert.
    static func floatParameter(_ a: Arguments, _ i: Int) throws -> Double {
        switch a[i] {
        case .float(let d): return d
        case .int(let n): return Double(n)
        default: throw Arguments.wrongType("float64", a.original(i), index: i)
        }
    }

    static func goMax(_ x: Double, _ y: Double) -> Double {
        if x.isInfinite && x > 0 || y.isInfinite && y > 0 { return .infinity }
        if x.isNaN || y.isNaN { return .nan }
        return Swift.max(x, y)
    }

    static func goMin(_ x: Double, _ y: Double) -> Double {
        if x.isInfinite && x < 0 || y.isInfinite && y < 0 { return -.infinity }
        if x.isNaN || y.isNaN { return .nan }
        return Swift.min(x, y)
    }

    static func decimal(_ d: Double) throws -> Decimal {
        guard d.isFinite else { throw TemplateFunctionError("Cannot create a Decimal from \(GoText.float(d))") }
        let (digits, point) = GoText.shortestDigits(d)
        if digits.isEmpty { return 0 }
        let mantissa = digits.reduce(Decimal(0)) { $0 * 10 + Decimal(Int($1)) }
        let exponent = point - digits.count
        let magnitude = Decimal(sign: .plus, exponent: exponent, significand: mantissa)
        return d < 0 ? -magnitude : magnitude
    }

    enum Op { case add, sub, mul, div }

    static func decimalOp(_ first: TemplateValue, _ rest: [TemplateValue], _ op: Op) throws -> Double {
        let operands = ([first] + rest).map(Cast.toFloat64)
        for x in operands where !x.isFinite {
            throw TemplateFunctionError("Cannot create a Decimal from \(GoText.float(x))")
        }
        if op == .div, operands.dropFirst().contains(0) { throw TemplateFunctionError("decimal division by 0") }
        // Foundation's Decimal holds exponents up to ±127; past that, use float64 arithmetic,
        // which is what the exact result rounds to anyway.
        if operands.contains(where: { $0 != 0 && (abs($0) > 1e100 || abs($0) < 1e-100) }) {
            return operands.dropFirst().reduce(operands[0]) { x, y in
                switch op {
                case .add: return x + y
                case .sub: return x - y
                case .mul: return x * y
                case .div: return x / y
                }
            }
        }
        var result = try decimal(operands[0])
        for x in operands.dropFirst() {
            let y = try decimal(x)
            switch op {
            case .add: result += y
            case .sub: result -= y
            case .mul: result *= y
            case .div:
                var q = result / y
                var rounded = Decimal()
                NSDecimalRound(&rounded, &q, 16, .plain)
                result = rounded
            }
        }
        return Double(result.description) ?? (result as NSDecimalNumber).doubleValue
    }
}

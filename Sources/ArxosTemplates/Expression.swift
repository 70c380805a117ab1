import ArxosModel
import Foundation

/// An arithmetic expression of a `set:` value (docs/templates.md, "Expressions"): `+ - * /` and parentheses over
/// parameters (`${deadband}`), numbers, quantities with units (`2 Δ°C`, `150 cfm`) and the object's own numeric
/// properties (`maxAirflow`, `setpoints.occupied`). Unit-aware: amounts are added in their dimension's SI base unit.
public indirect enum Expression: Sendable, Hashable {
    case number(Double, decimals: Int)
    case quantity(Quantity)
    case parameter(String, column: Int)
    case property(String, column: Int)
    case negate(Expression, column: Int)
    case binary(Character, Expression, Expression, column: Int)

    /// The parameters the expression names.
    public var parameters: [String] {
        switch self {
        case .number, .quantity, .property: return []
        case let .parameter(name, _): return [name]
        case let .negate(inner, _): return inner.parameters
        case let .binary(_, a, b, _): return a.parameters + b.parameters
        }
    }

    /// The object properties the expression reads.
    public var properties: [String] {
        switch self {
        case .number, .quantity, .parameter: return []
        case let .property(name, _): return [name]
        case let .negate(inner, _): return inner.properties
        case let .binary(_, a, b, _): return a.properties + b.properties
        }
    }

    /// The names inside `${…}` in `text`, in order, with the column (from 1) of each `$`.
    public static func references(in text: String) -> [(name: String, column: Int)] {
        let scalars = Array(text.unicodeScalars)
        var out = [(String, Int)]()
        var index = 0
        while index + 1 < scalars.count {
            if scalars[index] == "$", scalars[index + 1] == "{", let close = scalars[(index + 2)...].firstIndex(of: "}") {
                var name = String.UnicodeScalarView()
                name.append(contentsOf: scalars[(index + 2)..<close])
                out.append((String(name).trimmingCharacters(in: .whitespaces), index + 1))
                index = close + 1
            } else {
                index += 1
            }
        }
        return out
    }

    /// Replaces every `${name}` in `text` with the text of its value.
    public static func interpolate(_ text: String, values: [String: TemplateValue]) -> String {
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            out += rest[..<start.lowerBound]
            let name = rest[start.upperBound..<end].trimmingCharacters(in: .whitespaces)
            out += values[name]?.description ?? ""
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }

    // MARK: Parsing

    /// Parses `text`; the problem's column counts characters from 1.
    public static func parse(_ text: String) -> Result<Expression, ExpressionProblem> {
        var parser = ExpressionParser(text)
        do {
            let expression = try parser.sum()
            parser.skipSpaces()
            if let next = parser.peek {
                throw ExpressionProblem("unexpected '\(next)'; join values with + - * /", column: parser.column)
            }
            return .success(expression)
        } catch let problem as ExpressionProblem {
            return .failure(problem)
        } catch {
            return .failure(ExpressionProblem("\(error)", column: 1))
        }
    }

    // MARK: Evaluation

    /// Evaluates the expression with parameter values and a reader of the object's properties (nil when the object
    /// does not have the property or it is not a number or quantity).
    public func evaluate(parameters: [String: TemplateValue], property: (String) -> TemplateValue?) -> Result<TemplateValue, ExpressionProblem> {
        do {
            return .success(try amount(parameters: parameters, property: property).value)
        } catch let problem as ExpressionProblem {
            return .failure(problem)
        } catch {
            return .failure(ExpressionProblem("\(error)", column: 1))
        }
    }

    func amount(parameters: [String: TemplateValue], property: (String) -> TemplateValue?) throws -> Amount {
        switch self {
        case let .number(value, decimals): return Amount(base: value, unit: nil, decimals: decimals)
        case let .quantity(quantity): return Amount(quantity)
        case let .parameter(name, column):
            guard let value = parameters[name] else { throw ExpressionProblem("unknown parameter '\(name)'", column: column) }
            return try Amount(value, what: "parameter '\(name)'", column: column)
        case let .property(name, column):
            guard let value = property(name) else {
                throw ExpressionProblem("the object has no numeric property '\(name)'", column: column, missingProperty: name)
            }
            return try Amount(value, what: "property '\(name)'", column: column)
        case let .negate(inner, column):
            let value = try inner.amount(parameters: parameters, property: property)
            if value.unit?.dimension == .temperature {
                throw ExpressionProblem("cannot negate an absolute temperature; use a temperature difference (Δ°C, Δ°F)", column: column)
            }
            return Amount(base: -value.base, unit: value.unit, decimals: value.decimals)
        case let .binary(op, left, right, column):
            let a = try left.amount(parameters: parameters, property: property)
            let b = try right.amount(parameters: parameters, property: property)
            switch op {
            case "+", "-": return try Amount.add(a, b, subtract: op == "-", column: column)
            case "*": return try Amount.multiply(a, b, column: column)
            default: return try Amount.divide(a, b, column: column)
            }
        }
    }
}

/// Why an expression cannot be read or evaluated, at a column of its text.
public struct ExpressionProblem: Error, Sendable, Equatable {
    public var message: String
    public var column: Int
    /// The property the object lacks, when that is the problem (the rule then leaves the object alone).
    public var missingProperty: String?

    public init(_ message: String, column: Int, missingProperty: String? = nil) {
        self.message = message; self.column = column; self.missingProperty = missingProperty
    }
}

/// A number (no unit) or a quantity, held in the dimension's SI base unit while computing.
struct Amount {
    var base: Double
    /// The unit the result is written in; nil for a plain number.
    var unit: QuantityUnit?
    var decimals: Int

    init(base: Double, unit: QuantityUnit?, decimals: Int) { self.base = base; self.unit = unit; self.decimals = decimals }

    init(_ quantity: Quantity) { self.init(base: quantity.base, unit: quantity.unit, decimals: quantity.decimals) }

    init(_ value: TemplateValue, what: String, column: Int) throws {
        switch value {
        case let .number(number, decimals): self.init(base: number, unit: nil, decimals: decimals)
        case let .quantity(quantity): self.init(quantity)
        default: throw ExpressionProblem("\(what) is \(value) and cannot be used in arithmetic", column: column)
        }
    }

    /// The amount as a template value, written in its unit.
    var value: TemplateValue {
        guard let unit else { return .number(base, decimals: decimals) }
        let scale = pow(10, Double(decimals))
        let value = (unit.fromBase(base) * scale).rounded() / scale
        return .quantity(Quantity(value: value, unit: unit, decimals: decimals))
    }

    /// A ratio (`30 %`) taken as the plain number it stands for (0.30), for products and quotients.
    var asNumberIfRatio: Amount {
        guard let unit, unit.dimension == .ratio else { return self }
        return Amount(base: base, unit: nil, decimals: decimals + 2)
    }

    static func describe(_ amount: Amount) -> String {
        amount.unit.map { Parameter.article($0.dimension) + " (\($0.symbol))" } ?? "a plain number"
    }

    /// The decimals of `b` once written in `a`'s unit: more when `a`'s unit is finer (2 Δ°C in °F needs one more).
    static func decimalsIn(_ b: Amount, _ a: Amount) -> Int {
        guard let ua = a.unit, let ub = b.unit, ua.factor > 0, ub.factor > 0 else { return b.decimals }
        return b.decimals + max(0, Int((log10(ub.factor / ua.factor) - 1e-9).rounded(.up)))
    }

    /// The fewest decimals, from `minimum` up to two more, that write `value` (in `unit`) exactly.
    static func exactDecimals(_ base: Double, unit: QuantityUnit?, minimum: Int) -> Int {
        let value = unit?.fromBase(base) ?? base
        for decimals in minimum...(minimum + 2) {
            let scale = pow(10, Double(decimals))
            if abs((value * scale).rounded() - value * scale) < 1e-6 { return decimals }
        }
        return minimum + 2
    }

    static func add(_ a: Amount, _ b: Amount, subtract: Bool, column: Int) throws -> Amount {
        let sign = subtract ? -1.0 : 1.0
        let decimals = max(a.decimals, b.decimals, decimalsIn(b, a), decimalsIn(a, b))
        switch (a.unit, b.unit) {
        case (nil, nil): return Amount(base: a.base + sign * b.base, unit: nil, decimals: decimals)
        case let (ua?, ub?):
            let da = ua.dimension, db = ub.dimension
            if da == .temperature, db == .temperature {
                guard subtract else {
                    throw ExpressionProblem("cannot add two temperatures; write the second as a difference, as in 2 Δ°C", column: column)
                }
                return Amount(base: a.base - b.base, unit: differenceUnit(of: ua), decimals: decimals)
            }
            if da == .temperature, db == .temperatureDifference {
                return Amount(base: a.base + sign * b.base, unit: ua, decimals: decimals)
            }
            if da == .temperatureDifference, db == .temperature {
                guard !subtract else {
                    throw ExpressionProblem("cannot subtract a temperature from a temperature difference", column: column)
                }
                return Amount(base: a.base + b.base, unit: ub, decimals: decimals)
            }
            guard da.converts(to: db) else {
                throw ExpressionProblem("cannot \(subtract ? "subtract" : "add") \(describe(b)) \(subtract ? "from" : "and") \(describe(a)); the dimensions differ", column: column)
            }
            return Amount(base: a.base + sign * b.base, unit: ua, decimals: decimals)
        case (nil, _?), (_?, nil):
            throw ExpressionProblem("cannot \(subtract ? "subtract" : "add") \(describe(b)) \(subtract ? "from" : "and") \(describe(a)); give the number a unit", column: column)
        }
    }

    static func multiply(_ x: Amount, _ y: Amount, column: Int) throws -> Amount {
        let a = x.asNumberIfRatio, b = y.asNumberIfRatio
        switch (a.unit, b.unit) {
        case (nil, nil): return Amount(base: a.base * b.base, unit: nil, decimals: min(a.decimals + b.decimals, 6))
        case let (unit?, nil), let (nil, unit?):
            if unit.dimension == .temperature {
                throw ExpressionProblem("cannot scale an absolute temperature; scale a temperature difference (Δ°C, Δ°F) instead", column: column)
            }
            let quantity = a.unit == nil ? b : a
            let base = a.base * b.base
            return Amount(base: base, unit: unit, decimals: exactDecimals(base, unit: unit, minimum: quantity.decimals))
        case (_?, _?):
            throw ExpressionProblem("cannot multiply \(describe(a)) by \(describe(b)); one side must be a plain number or a %", column: column)
        }
    }

    static func divide(_ x: Amount, _ y: Amount, column: Int) throws -> Amount {
        let a = x.asNumberIfRatio, b = y.asNumberIfRatio
        guard b.base != 0 else { throw ExpressionProblem("division by zero", column: column) }
        switch (a.unit, b.unit) {
        case (nil, nil): return Amount(base: a.base / b.base, unit: nil, decimals: max(a.decimals, b.decimals, 2))
        case let (unit?, nil):
            if unit.dimension == .temperature {
                throw ExpressionProblem("cannot scale an absolute temperature; scale a temperature difference (Δ°C, Δ°F) instead", column: column)
            }
            let base = a.base / b.base
            return Amount(base: base, unit: unit, decimals: exactDecimals(base, unit: unit, minimum: a.decimals))
        case let (ua?, ub?):
            guard ua.dimension.converts(to: ub.dimension), ua.dimension != .temperature else {
                throw ExpressionProblem("cannot divide \(describe(a)) by \(describe(b))", column: column)
            }
            return Amount(base: a.base / b.base, unit: nil, decimals: 2)
        case (nil, _?):
            throw ExpressionProblem("cannot divide a plain number by \(describe(b))", column: column)
        }
    }

    /// `Δ°C` for `°C`, `Δ°F` for `°F`, `ΔK` for `K`.
    static func differenceUnit(of unit: QuantityUnit) -> QuantityUnit? {
        UnitTable.unit("Δ" + unit.symbol)
    }
}

/// A recursive-descent reader of expressions, over Unicode scalars so that columns count characters.
struct ExpressionParser {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    var column: Int { index + 1 }
    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    mutating func skipSpaces() {
        while let next = peek, next == " " || next == "\t" || next == "\u{A0}" { index += 1 }
    }

    mutating func sum() throws -> Expression {
        var left = try product()
        while true {
            skipSpaces()
            guard let op = peek, op == "+" || op == "-" || op == "−" else { return left }
            let column = self.column
            index += 1
            left = .binary(op == "+" ? "+" : "-", left, try product(), column: column)
        }
    }

    mutating func product() throws -> Expression {
        var left = try factor()
        while true {
            skipSpaces()
            guard let op = peek, op == "*" || op == "/" || op == "×" else { return left }
            let column = self.column
            index += 1
            left = .binary(op == "/" ? "/" : "*", left, try factor(), column: column)
        }
    }

    mutating func factor() throws -> Expression {
        skipSpaces()
        let column = self.column
        guard let next = peek else { throw ExpressionProblem("expected a value at the end", column: column) }
        if next == "-" || next == "−" {
            index += 1
            return .negate(try factor(), column: column)
        }
        if next == "(" {
            index += 1
            let inner = try sum()
            skipSpaces()
            guard peek == ")" else { throw ExpressionProblem("this '(' is not closed; add ')'", column: column) }
            index += 1
            return inner
        }
        if next == "$" {
            guard index + 1 < scalars.count, scalars[index + 1] == "{",
                  let close = scalars[(index + 2)...].firstIndex(of: "}") else {
                throw ExpressionProblem("a parameter is written ${name}", column: column)
            }
            let name = String(String.UnicodeScalarView(scalars[(index + 2)..<close])).trimmingCharacters(in: .whitespaces)
            index = close + 1
            return .parameter(name, column: column)
        }
        if next.properties.numericType != nil && next.isASCII {
            return try numberOrQuantity()
        }
        if next.properties.isAlphabetic || next == "_" {
            var name = String.UnicodeScalarView()
            while let c = peek, c.properties.isAlphabetic || c == "_" || c == "." || (c.isASCII && c.properties.numericType != nil) {
                name.append(c)
                index += 1
            }
            return .property(String(name), column: column)
        }
        if next == ")" { throw ExpressionProblem("unbalanced ')': there is no '(' before it", column: column) }
        throw ExpressionProblem("expected a number, a quantity, ${parameter} or a property name, not '\(next)'", column: column)
    }

    mutating func numberOrQuantity() throws -> Expression {
        let column = self.column
        var text = String.UnicodeScalarView()
        while let c = peek, c.isASCII, c.properties.numericType != nil || c == "." {
            text.append(c)
            index += 1
        }
        guard let (value, decimals) = TemplateValue.number(String(text)) else {
            throw ExpressionProblem("'\(String(text))' is not a number (write digits, optionally . and digits)", column: column)
        }
        // A unit follows when the longest run of text after the number (up to 20 characters) names one.
        var probe = index
        while probe < scalars.count, scalars[probe] == " " { probe += 1 }
        let limit = min(scalars.count, probe + 20)
        var end = limit
        while end > probe {
            let candidate = String(String.UnicodeScalarView(scalars[probe..<end]))
            let nextIsWordy = end < scalars.count && (scalars[end].properties.isAlphabetic || scalars[end].properties.numericType != nil)
            if !candidate.hasSuffix(" "), !nextIsWordy, let unit = UnitTable.unit(candidate) {
                index = end
                return .quantity(Quantity(value: value, unit: unit, decimals: decimals))
            }
            end -= 1
        }
        if probe < scalars.count, scalars[probe].properties.isAlphabetic || scalars[probe] == "°" || scalars[probe] == "Δ" {
            var word = String.UnicodeScalarView()
            var cursor = probe
            while cursor < scalars.count, scalars[cursor] != " ", !["+", "*", "/", "(", ")", "-"].contains(scalars[cursor]) {
                word.append(scalars[cursor]); cursor += 1
            }
            // A property name after a number needs an operator between; a unit-like word is a misspelt unit.
            let suggestion = UnitTable.suggestion(for: String(word)).map { "; did you mean '\($0)'?" } ?? ""
            throw ExpressionProblem("'\(String(word))' is not a known unit\(suggestion)", column: probe + 1)
        }
        return .number(value, decimals: decimals)
    }
}

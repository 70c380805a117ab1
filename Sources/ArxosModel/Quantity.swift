import Foundation

/// Why a property value could not be read as a number with a unit.
public enum QuantityError: Error, LocalizedError, Sendable, Equatable {
    /// The number was read but `symbol` is no known unit; `suggestion` is the closest known symbol, if any.
    case unknownUnit(symbol: String, suggestion: String?)
    /// `text` does not start with a plain decimal number.
    case notANumber(String)
    /// `text` is a number with no unit after it.
    case missingUnit(String)

    public var errorDescription: String? {
        switch self {
        case .unknownUnit(let symbol, let suggestion?):
            "'\(symbol)' is not a known unit; did you mean '\(suggestion)'?"
        case .unknownUnit(let symbol, nil):
            "'\(symbol)' is not a known unit; write one of the symbols listed in docs/model.md, such as cfm, °C or kW."
        case .notANumber(let text):
            "'\(text)' does not start with a plain decimal number; write digits with an optional sign and a '.' decimal point, without grouping commas or exponents, then the unit, as in '1200 cfm'."
        case .missingUnit(let text):
            "'\(text)' has no unit; write the unit after the number, as in '\(text) cfm'."
        }
    }
}

/// A number with a unit, as written in a property such as `maxAirflow: 850 cfm`, remembering how many decimals it
/// was written with so comparisons and display keep its precision.
///
/// The literal is an optional sign (`+`, `-` or `−`), ASCII digits, optionally `.` and more digits, optional
/// whitespace, then a unit symbol or alias from `UnitTable` (`850 cfm`, `850cfm`, `-3.5 °F`, `0.5 inH2O`).
/// Grouping commas (`1,200 cfm`), decimal commas, a leading or trailing `.` and exponents are rejected rather than
/// guessed at: `1,200` is 1.2 in much of the world.
public struct Quantity: Sendable, Hashable, CustomStringConvertible {
    public let value: Double
    public let unit: Unit
    /// Digits after the decimal point in the literal (`21.50 °C` has 2); the value is known to ± half of the last.
    public let decimals: Int

    public init(value: Double, unit: Unit, decimals: Int = 0) {
        self.value = value; self.unit = unit; self.decimals = min(max(decimals, 0), 15)
    }

    /// Reads `text`, or returns nil if it is not a number followed by a known unit.
    public static func parse(_ text: String) -> Quantity? {
        try? parseStrict(text)
    }

    /// Reads `text`, or throws a `QuantityError` that names the problem and the fix.
    public static func parseStrict(_ text: String) throws(QuantityError) -> Quantity {
        let trimmed = Quantity.trimmed(text)
        let scalars = Array(trimmed.unicodeScalars)
        var index = 0
        var literal = ""
        if index < scalars.count, ["+", "-", "\u{2212}"].contains(scalars[index]) {
            if scalars[index] != "+" { literal.append("-") }
            index += 1
        }
        let integerStart = index
        while index < scalars.count, ("0"..."9").contains(scalars[index]) { literal.unicodeScalars.append(scalars[index]); index += 1 }
        guard index > integerStart else { throw .notANumber(trimmed) }
        var decimals = 0
        if index < scalars.count, scalars[index] == "." {
            literal.append(".")
            index += 1
            let fractionStart = index
            while index < scalars.count, ("0"..."9").contains(scalars[index]) { literal.unicodeScalars.append(scalars[index]); index += 1 }
            decimals = index - fractionStart
            guard decimals > 0 else { throw .notANumber(trimmed) }
        }
        // A number that goes on (`1,200`, `1.2.3`, `1_000`, `1e3`) is not one this reads.
        if index < scalars.count {
            let next = scalars[index]
            if [",", ".", "_"].contains(next) { throw .notANumber(trimmed) }
            if next == "e" || next == "E", index + 1 < scalars.count {
                let after = scalars[index + 1]
                if ("0"..."9").contains(after) || after == "+" || after == "-" { throw .notANumber(trimmed) }
            }
        }
        guard let value = Double(literal), value.isFinite else { throw .notANumber(trimmed) }
        var rest = String(String.UnicodeScalarView(scalars[index...]))
        rest = Quantity.trimmed(rest)
        guard !rest.isEmpty else { throw .missingUnit(trimmed) }
        guard let unit = UnitTable.unit(rest) else {
            throw .unknownUnit(symbol: rest, suggestion: UnitTable.suggestion(for: rest))
        }
        return Quantity(value: value, unit: unit, decimals: decimals)
    }

    /// `text` without leading and trailing whitespace; Foundation's trimming only runs when there is some (it is slow,
    /// and validation reads every quantity of every changed object).
    private static func trimmed(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return text }
        if first.properties.isWhitespace || last.properties.isWhitespace {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text
    }

    /// The value in the dimension's SI base unit (`Dimension.baseSymbol`).
    public var base: Double { unit.toBase(value) }

    /// Half a unit in the last written decimal, in the base unit: how far the true value may be from `base`.
    public var tolerance: Double { 0.5 * pow(10, Double(-decimals)) * abs(unit.factor) }

    /// This amount in `unit`, or nil if `unit` measures something else.
    ///
    /// Without `decimals`, the result keeps this literal's precision: as many decimals as it takes for one step in
    /// the last digit to be no coarser than a step in this literal (21.5 °C is 70.7 °F; 850 cfm is 401.2 L/s).
    public func converted(to unit: Unit, decimals: Int? = nil) -> Quantity? {
        guard self.unit.dimension.converts(to: unit.dimension) else { return nil }
        let step = pow(10, Double(-self.decimals)) * abs(self.unit.factor) / abs(unit.factor)
        let kept = decimals ?? max(0, Int((-log10(step) - 1e-9).rounded(.up)))
        return Quantity(value: unit.fromBase(base), unit: unit, decimals: kept)
    }

    /// Whether `other` is the same amount within the precision both were written with.
    ///
    /// The dimensions must convert to each other, and the values in the base unit may differ by at most the larger
    /// `tolerance` of the two (half a unit in the last written decimal): 21.5 °C is 70.7 °F and 850 cfm is
    /// 401.2 L/s, but 850 cfm is not 860 cfm.
    public func sameAmount(as other: Quantity) -> Bool {
        guard unit.dimension.converts(to: other.unit.dimension) else { return false }
        // Written in the same unit, the numbers say it all: `21.5 °C` → `22 °C` is a change.
        if unit == other.unit { return value == other.value }
        let allowed = max(tolerance, other.tolerance)
        // Allow for rounding in the conversion factors when the difference sits exactly on the boundary.
        let slack = 1e-12 * max(abs(base), abs(other.base), allowed)
        return abs(base - other.base) <= allowed + slack
    }

    /// The value with `decimals` digits after the point, a space, and the unit's symbol: `850 cfm`, `21.5 °C`.
    public var description: String {
        "\(String(format: "%.\(decimals)f", value)) \(unit.symbol)"
    }
}

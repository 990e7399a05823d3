/// Go's duration syntax, as rkt's flags and Nomad's client options write durations:
/// a sequence of decimal numbers with units `ns`, `us`, `ms`, `s`, `m`, `h` (`30m0s`, `1.5s`,
/// `500ms`), or a bare `0`.
public enum DurationText {
    /// Why a text is not a duration.
    public enum Problem: Error, Equatable, Sendable {
        case malformed
        case unknownUnit(String)
    }

    private static let unitSeconds: [String: Double] = ["ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600]

    public static func parse(_ text: String) -> Result<Duration, Problem> {
        if text == "0" {
            return .success(.zero)
        }
        var seconds = 0.0
        var number = ""
        var unit = ""
        var parts = 0
        for character in text + "0" {
            guard character.isNumber || character == "." else {
                unit.append(character)
                continue
            }
            if !unit.isEmpty {
                guard let value = Double(number) else {
                    return .failure(.malformed)
                }
                guard let scale = unitSeconds[unit] else {
                    return .failure(.unknownUnit(unit))
                }
                seconds += value * scale
                parts += 1
                (number, unit) = ("", "")
            }
            number.append(character)
        }
        // Only the sentinel "0" may be left over: a trailing number without a unit is malformed.
        guard parts > 0, unit.isEmpty, number == "0" else {
            return .failure(.malformed)
        }
        return .success(.milliseconds(Int64((seconds * 1000).rounded())))
    }
}

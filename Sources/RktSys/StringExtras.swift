import Foundation

extension String {
    /// The string without surrounding whitespace and newlines.
    public var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// A dotted numeric version (`1.27.0`), compared segment by segment with missing segments as 0,
/// like go-version does for plain release versions.
public struct RktVersion: Comparable, Sendable, CustomStringConvertible {
    /// The oldest rkt the driver accepts (rkt 1.27.0 added the network status fields it reads).
    public static let minimum = RktVersion(segments: [1, 27, 0])

    public let segments: [Int]

    public init(segments: [Int]) {
        self.segments = segments
    }

    /// Parses `1.30.0`; nil for empty segments (`1..3`, `1.30.`) or non-digits.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var values: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.allSatisfy(\.isASCII), let value = Int(part) else {
                return nil
            }
            values.append(value)
        }
        segments = values
    }

    public var description: String { segments.map(String.init).joined(separator: ".") }

    public static func < (lhs: RktVersion, rhs: RktVersion) -> Bool {
        let count = max(lhs.segments.count, rhs.segments.count)
        for index in 0..<count {
            let left = index < lhs.segments.count ? lhs.segments[index] : 0
            let right = index < rhs.segments.count ? rhs.segments[index] : 0
            if left != right {
                return left < right
            }
        }
        return false
    }

    public static func == (lhs: RktVersion, rhs: RktVersion) -> Bool {
        !(lhs < rhs) && !(rhs < lhs)
    }
}

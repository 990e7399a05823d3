import RktError

/// Resource quantities as rkt parsed `--memory` and `--cpu` (Kubernetes notation): decimal
/// suffixes k M G T P E (powers of 1000), binary Ki Mi Gi Ti Pi Ei (powers of 1024), and `m`
/// for thousandths. So `--memory=256M` is 256,000,000 bytes, as it was under real rkt.
public enum Quantity {
    /// Parses a byte quantity such as `256M`, `64Mi` or `1048576`.
    public static func bytes(_ text: String, flag: String) throws -> Int64 {
        let (number, multiplier) = try split(text, flag: flag)
        let value = number * Double(multiplier)
        guard value >= 1, value < 9.2e18, value == value.rounded() || multiplier == 1 else {
            throw RktError(.invalidArgument, "\(flag): invalid quantity \"\(text)\"")
        }
        return Int64(value.rounded())
    }

    /// Parses a CPU quantity (`500m`, `1`, `2.5`) into millicores.
    public static func millicores(_ text: String, flag: String) throws -> Int64 {
        if text.hasSuffix("m"), let value = Int64(text.dropLast()), value > 0 {
            return value
        }
        let (number, multiplier) = try split(text, flag: flag)
        let value = number * Double(multiplier) * 1000
        guard value >= 1, value < 9.2e18 else {
            throw RktError(.invalidArgument, "\(flag): invalid quantity \"\(text)\"")
        }
        return Int64(value.rounded())
    }

    private static let suffixes: [(String, Int64)] = [
        ("Ki", 1 << 10), ("Mi", 1 << 20), ("Gi", 1 << 30), ("Ti", 1 << 40), ("Pi", 1 << 50), ("Ei", 1 << 60),
        ("k", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000),
        ("P", 1_000_000_000_000_000), ("E", 1_000_000_000_000_000_000),
    ]

    private static func split(_ text: String, flag: String) throws -> (Double, Int64) {
        for (suffix, multiplier) in suffixes where text.hasSuffix(suffix) {
            if let number = Double(text.dropLast(suffix.count)), number > 0 {
                return (number, multiplier)
            }
        }
        guard let number = Double(text), number > 0 else {
            throw RktError(.invalidArgument, "\(flag): invalid quantity \"\(text)\" (examples: 256M, 64Mi, 500m, 1)")
        }
        return (number, 1)
    }
}

import RktSys

/// Durations written the way Go (and so Consul) prints them, limited to what checks need:
/// whole seconds as `"10s"`, anything else as whole milliseconds, `"1500ms"`.
public enum GoDuration {
    /// `"10s"` for whole seconds, otherwise `"<n>ms"` (sub-millisecond parts are dropped).
    public static func format(_ duration: Duration) -> String {
        let milliseconds = duration.wholeMilliseconds
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }

    /// Parses `"<n>s"` or `"<n>ms"` with a non-negative integer `n`.
    public static func parse(_ text: String) -> Duration? {
        if text.hasSuffix("ms"), let value = Int64(text.dropLast(2)), value >= 0 {
            return .milliseconds(value)
        }
        if text.hasSuffix("s"), let value = Int64(text.dropLast()), value >= 0 {
            return .seconds(value)
        }
        return nil
    }
}

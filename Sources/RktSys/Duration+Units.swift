import Glibc

/// Sleeps the calling thread (Foundation's Thread.sleep without Foundation).
public enum Pause {
    /// Sleeps for `duration` (nothing for zero or less), resuming after signals.
    public static func `for`(_ duration: Duration) {
        guard duration > .zero else {
            return
        }
        var request = timespec(
            tv_sec: Int(duration.components.seconds), tv_nsec: Int(duration.components.attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR {
            request = remaining
        }
    }
}

extension Duration {
    /// Whole milliseconds, truncated toward zero: for poll(2) timeouts and millisecond fields.
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// Milliseconds with three decimals, "12.345" (for log fields).
    public var millisecondsText: String {
        let microseconds = components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
        let sign = microseconds < 0 ? "-" : ""
        return "\(sign)\(abs(microseconds) / 1000).\((abs(microseconds) % 1000).zeroPadded(3))"
    }

    /// Seconds as a Double: for APIs that take a TimeInterval.
    public var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

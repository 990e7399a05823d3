extension Duration {
    /// Whole milliseconds, truncated toward zero: for poll(2) timeouts and millisecond fields.
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// Seconds as a Double: for APIs that take a TimeInterval.
    public var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

import FoundationEssentials
import Glibc

/// A small structured logger in the shape of swift-log: a label, seven levels, metadata with
/// dotted lowercase keys (`task.name`, `pod.id`, `exit.code`), and a pluggable sink.
public struct Logger: Sendable {
    /// Severity, lowest first.
    public enum Level: Int, Comparable, Sendable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        public init?(name: String) {
            guard let level = Level.allCases.first(where: { "\($0)" == name.lowercased() }) else {
                return nil
            }
            self = level
        }
    }

    /// One log event as handed to a sink.
    public struct Record: Sendable {
        public let label: String
        public let level: Level
        public let message: String
        public let metadata: [String: String]
    }

    public typealias Sink = @Sendable (Record) -> Void

    public let label: String
    public var level: Level
    public var metadata: [String: String] = [:]
    private let sink: Sink

    public init(label: String, level: Level = .info, sink: @escaping Sink = Logger.standardError) {
        self.label = label
        self.level = level
        self.sink = sink
    }

    /// Writes `time level label: message key=value ...` lines to stderr.
    public static let standardError: Sink = { record in
        let keys = record.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\(quoted($0.value))" }
        let time = timestamp()
        let line = ([time, "\(record.level)", "\(record.label):", record.message] + keys).joined(separator: " ")
        Console.error(line + "\n")
    }

    /// A time in UTC as RFC 3339 with `fractionDigits` (1...9) digits of the second,
    /// "2026-12-04T18:40:02.123Z" (by hand: Foundation's ISO8601DateFormatter would link ICU into
    /// every static binary).
    public static func timestamp(_ time: timespec = Logger.now(), fractionDigits: Int = 3) -> String {
        var seconds = time.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let (year, month, day) = (parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday)
        let date = "\(year.zeroPadded(4))-\(month.zeroPadded(2))-\(day.zeroPadded(2))"
        let clock = "\(parts.tm_hour.zeroPadded(2)):\(parts.tm_min.zeroPadded(2)):\(parts.tm_sec.zeroPadded(2))"
        let digits = min(max(fractionDigits, 1), 9)
        var divisor = 1
        for _ in digits..<9 { divisor *= 10 }
        return "\(date)T\(clock).\((time.tv_nsec / divisor).zeroPadded(digits))Z"
    }

    /// The wall clock now (for `timestamp`).
    public static func now() -> timespec {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return time
    }

    /// A copy with extra metadata attached to every record.
    public func with(_ extra: [String: String]) -> Logger {
        var copy = self
        copy.metadata.merge(extra) { _, new in new }
        return copy
    }

    public func log(_ level: Level, _ message: @autoclosure () -> String, _ extra: [String: String] = [:]) {
        guard level >= self.level else {
            return
        }
        sink(
            Record(label: label, level: level, message: message(), metadata: metadata.merging(extra) { _, new in new }))
    }

    public func trace(_ message: @autoclosure () -> String, _ extra: [String: String] = [:]) {
        log(.trace, message(), extra)
    }

    public func debug(_ message: @autoclosure () -> String, _ extra: [String: String] = [:]) {
        log(.debug, message(), extra)
    }

    public func info(_ message: @autoclosure () -> String, _ extra: [String: String] = [:]) {
        log(.info, message(), extra)
    }

    public func notice(_ message: @autoclosure () -> String, _ extra: [String: String] = [:]) {
        log(.notice, message(), extra)
    }

    public func warning(_ message: @autoclosure () -> String, _ extra: [String: String] = [:]) {
        log(.warning, message(), extra)
    }

    public func error(_ message: @autoclosure () -> String, _ extra: [String: String] = [:]) {
        log(.error, message(), extra)
    }

    private static func quoted(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" })
            ? "\"\(value.replacing("\"", with: "\\\""))\"" : value
    }
}

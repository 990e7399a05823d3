/// The executor's command line.
///
/// ```
/// rkt-executor --state DIR --log-dir DIR --task NAME [--max-files N] [--max-file-size-mb M]
///              [--stdout-path PATH --stderr-path PATH] [--linger SECONDS] -- PROGRAM [ARG...]
/// ```
///
/// `--stdout-path`/`--stderr-path` send the task's output to those paths (Nomad's log FIFOs) instead of
/// rotated files in the log directory.
///
/// `PROGRAM` must be an absolute path: the executor runs in `/` and does no PATH search. The program gets
/// the executor's own environment unchanged. `--linger` is how long the executor keeps answering after the
/// program exited, if no `shutdown` comes first (default 60).
public struct ExecutorOptions: Equatable, Sendable {
    /// The executor's private directory: `executor.json`, `exit.json`, `executor.sock`, `executor.log`.
    public var stateDirectory: String
    /// Where the program's output goes.
    public var log: ExecutorLogConfig
    /// Seconds to keep serving after the program exited, unless told to shut down sooner.
    public var lingerSeconds: Int
    /// The program's absolute path.
    public var program: String
    /// The program's arguments, not counting argv[0] (which is `program`).
    public var arguments: [String]

    /// Creates options; see the type's documentation for the meaning of each.
    public init(
        stateDirectory: String, log: ExecutorLogConfig, lingerSeconds: Int = 60, program: String,
        arguments: [String]
    ) {
        self.stateDirectory = stateDirectory
        self.log = log
        self.lingerSeconds = lingerSeconds
        self.program = program
        self.arguments = arguments
    }

    /// The socket the executor serves: `<state>/executor.sock`.
    public var socketPath: String { Self.socketPath(stateDirectory: stateDirectory) }

    /// The socket path for a state directory.
    public static func socketPath(stateDirectory: String) -> String { stateDirectory + "/executor.sock" }

    /// The command-line words (after argv[0]) that parse back into these options.
    public var commandLine: [String] {
        [
            "--state", stateDirectory, "--log-dir", log.directory, "--task", log.taskName,
            "--max-files", String(log.maxFiles), "--max-file-size-mb", String(log.maxFileSizeMB),
        ] + outputPathWords + ["--linger", String(lingerSeconds), "--", program] + arguments
    }

    private var outputPathWords: [String] {
        guard let stdout = log.stdoutPath, let stderr = log.stderrPath else { return [] }
        return ["--stdout-path", stdout, "--stderr-path", stderr]
    }

    static let flags: Set = [
        "--state", "--log-dir", "--task", "--max-files", "--max-file-size-mb", "--stdout-path", "--stderr-path",
        "--linger",
    ]

    /// Parses the words after argv[0] and validates them, before any side effect.
    public static func parse(_ words: [String]) throws(ExecutorError) -> ExecutorOptions {
        var values: [String: String] = [:]
        var index = 0
        while index < words.count, words[index] != "--" {
            let flag = words[index]
            guard Self.flags.contains(flag) else {
                throw ExecutorError(.invalidArgument, "unknown flag '\(flag)'")
            }
            guard index + 1 < words.count else {
                throw ExecutorError(.invalidArgument, "\(flag) needs a value")
            }
            values[flag] = words[index + 1]
            index += 2
        }
        guard index + 1 < words.count else {
            throw ExecutorError(.invalidArgument, "missing '-- PROGRAM [ARG...]'")
        }
        let options = try ExecutorOptions(
            stateDirectory: required("--state", values),
            log: ExecutorLogConfig(
                directory: required("--log-dir", values), taskName: required("--task", values),
                maxFiles: number("--max-files", values, default: 10),
                maxFileSizeMB: number("--max-file-size-mb", values, default: 10), stdoutPath: values["--stdout-path"],
                stderrPath: values["--stderr-path"]),
            lingerSeconds: number("--linger", values, default: 60),
            program: words[index + 1], arguments: Array(words[(index + 2)...]))
        try options.validate()
        return options
    }

    /// Checks the combination of options.
    public func validate() throws(ExecutorError) {
        guard stateDirectory.hasPrefix("/") else {
            throw ExecutorError(.invalidArgument, "--state must be an absolute path, got '\(stateDirectory)'")
        }
        // sun_path holds 108 bytes including the terminating NUL.
        guard socketPath.utf8.count < 108 else {
            throw ExecutorError(.invalidArgument, "socket path '\(socketPath)' is longer than 107 bytes")
        }
        guard program.hasPrefix("/") else {
            throw ExecutorError(.invalidArgument, "PROGRAM must be an absolute path, got '\(program)'")
        }
        guard lingerSeconds >= 0 else {
            throw ExecutorError(.invalidArgument, "--linger must not be negative")
        }
        try log.validate()
    }

    private static func required(_ flag: String, _ values: [String: String]) throws(ExecutorError) -> String {
        guard let value = values[flag] else {
            throw ExecutorError(.invalidArgument, "missing \(flag)")
        }
        return value
    }

    private static func number(_ flag: String, _ values: [String: String], default fallback: Int)
        throws(ExecutorError) -> Int
    {
        guard let text = values[flag] else {
            return fallback
        }
        guard let value = Int(text) else {
            throw ExecutorError(.invalidArgument, "\(flag) needs a whole number, got '\(text)'")
        }
        return value
    }
}

/// Where and how the executor keeps the task's stdout and stderr.
///
/// Files are `<directory>/<taskName>.stdout.<N>` and `.stderr.<N>`; the highest N is the one being written.
/// When it reaches `maxFileSizeMB` MiB the executor opens N+1 and deletes files so that at most `maxFiles`
/// remain per stream. Defaults match Nomad's `logs` stanza (10 files of 10 MiB).
///
/// With `stdoutPath` and `stderrPath` (Nomad's plugin mode: FIFOs its logmon reads and rotates itself), the
/// streams go to those paths instead, and no files are written in `directory` (see `FifoWriter`).
public struct ExecutorLogConfig: Equatable, Sendable {
    /// The directory holding the log files (an alloc's `alloc/logs`).
    public var directory: String
    /// The task name, the first part of every file name.
    public var taskName: String
    /// How many files to keep per stream, at least 1.
    public var maxFiles: Int
    /// The size at which a file is rotated, in MiB, at least 1.
    public var maxFileSizeMB: Int
    /// Where stdout goes instead of rotated files (a FIFO or a file), if set; set both paths or neither.
    public var stdoutPath: String?
    /// Where stderr goes instead of rotated files, if set.
    public var stderrPath: String?

    /// Creates a log configuration.
    public init(
        directory: String, taskName: String, maxFiles: Int = 10, maxFileSizeMB: Int = 10, stdoutPath: String? = nil,
        stderrPath: String? = nil
    ) {
        self.directory = directory
        self.taskName = taskName
        self.maxFiles = maxFiles
        self.maxFileSizeMB = maxFileSizeMB
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }

    /// The rotation size in bytes.
    var maxFileBytes: Int { maxFileSizeMB * 1024 * 1024 }

    func validate() throws(ExecutorError) {
        guard directory.hasPrefix("/") else {
            throw ExecutorError(.invalidArgument, "--log-dir must be an absolute path, got '\(directory)'")
        }
        guard !taskName.isEmpty, !taskName.contains("/"), taskName != ".", taskName != ".." else {
            throw ExecutorError(.invalidArgument, "--task must be a plain file name part, got '\(taskName)'")
        }
        guard maxFiles >= 1, maxFileSizeMB >= 1 else {
            throw ExecutorError(.invalidArgument, "--max-files and --max-file-size-mb must be at least 1")
        }
        guard (stdoutPath == nil) == (stderrPath == nil) else {
            throw ExecutorError(.invalidArgument, "--stdout-path and --stderr-path go together")
        }
        for path in [stdoutPath, stderrPath].compactMap({ $0 }) where !path.hasPrefix("/") {
            throw ExecutorError(.invalidArgument, "output paths must be absolute, got '\(path)'")
        }
    }
}

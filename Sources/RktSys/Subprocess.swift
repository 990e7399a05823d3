import CShim
import FoundationEssentials
import Glibc
import RktError

/// How a child process ended. Signal deaths stay separate from exit codes until the CLI edge.
public enum ExitStatus: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// Decodes a `waitpid` status of a child that has ended.
    public init(waitStatus status: Int32) {
        if status & 0x7f == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(status & 0x7f)
        }
    }

    /// The shell convention: the exit code, or 128+N for a death by signal N.
    public var shellCode: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }

    public var succeeded: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let code): "exit code \(code)"
        case .signaled(let signal): "signal \(signal)"
        }
    }
}

/// A child process started by `Subprocess.spawn`. Exactly one caller may wait for it.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    public let executable: String

    init(pid: pid_t, executable: String) {
        self.pid = pid
        self.executable = executable
    }

    /// Blocks until the child exits and reaps it.
    public func wait() throws -> ExitStatus {
        var status: Int32 = 0
        let result = retryingEINTR { waitpid(pid, &status, 0) }
        guard result == pid else {
            throw RktError.sys("waitpid", "pid \(pid) (\(executable))")
        }
        return ExitStatus(waitStatus: status)
    }

    /// Reaps the child if it has exited, without blocking.
    public func poll() throws -> ExitStatus? {
        var status: Int32 = 0
        let result = retryingEINTR { waitpid(pid, &status, WNOHANG) }
        if result == 0 {
            return nil
        }
        guard result == pid else {
            throw RktError.sys("waitpid", "pid \(pid) (\(executable))")
        }
        return ExitStatus(waitStatus: status)
    }

    /// Sends `signal` to the child (or, with `group`, to its process group).
    public func send(_ signal: Int32, group: Bool = false) {
        _ = Glibc.kill(group ? -pid : pid, signal)
    }
}

/// The captured result of `Subprocess.run`.
public struct ProcessOutput: Sendable {
    public let status: ExitStatus
    public let stdout: [UInt8]
    public let stderr: [UInt8]

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Process spawning through the C shim (clean signal state, explicit fds), never Foundation.Process.
public enum Subprocess {
    /// The standard streams of a spawned child: file descriptors owned by the caller.
    public struct Stdio: Sendable {
        public var stdin: Int32
        public var stdout: Int32
        public var stderr: Int32

        public init(stdin: Int32 = 0, stdout: Int32 = 1, stderr: Int32 = 2) {
            self.stdin = stdin
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// Starts `executable` (an absolute path, or a name looked up in PATH) with `arguments`.
    /// `environment` nil means this process's environment.
    public static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        stdio: Stdio = Stdio(), newSession: Bool = false, directory: String? = nil
    ) throws -> ChildProcess {
        let (path, envp) = try prepare(executable, environment)
        var pid: pid_t = 0
        let err = withCStrings([path] + arguments) { cArgv in
            withCStrings(envp) { cEnvp in
                rkt_spawn(
                    &pid, path, cArgv, cEnvp, stdio.stdin, stdio.stdout, stdio.stderr, newSession ? 1 : 0, directory)
            }
        }
        guard err == 0 else {
            throw RktError.sys("posix_spawn", path, errno: err, "cannot start \(path)")
        }
        return ChildProcess(pid: pid, executable: path)
    }

    /// Replaces this process with `executable` (resolved like `spawn`), which starts as a spawned
    /// child would: default signal dispositions, an empty signal mask, only stdin, stdout and
    /// stderr open. Returns only by throwing.
    public static func replaceProcess(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil
    ) throws -> Never {
        let (path, envp) = try prepare(executable, environment)
        let err = withCStrings([path] + arguments) { cArgv in
            withCStrings(envp) { cEnvp in rkt_exec(path, cArgv, cEnvp) }
        }
        throw RktError.sys("execve", path, errno: err, "cannot run \(path)")
    }

    /// The executable's path (looked up in the environment's PATH) and the `KEY=VALUE` environment,
    /// sorted; nil `environment` means this process's.
    private static func prepare(_ executable: String, _ environment: [String: String]?) throws -> (String, [String]) {
        let env = environment ?? ProcessInfo.processInfo.environment
        let path = try resolveExecutable(executable, searchPath: env["PATH"])
        return (path, env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
    }

    /// Runs a command to completion, feeding `input` to its stdin and capturing stdout and stderr.
    /// Both pipes are drained concurrently with poll(2), so a chatty child cannot deadlock us.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        input: [UInt8] = [], directory: String? = nil, timeout: Duration? = nil
    ) throws -> ProcessOutput {
        let stdinPipe = try Pipe2()
        let stdoutPipe = try Pipe2()
        let stderrPipe = try Pipe2()
        let child: ChildProcess
        do {
            child = try spawn(
                executable, arguments, environment: environment,
                stdio: Stdio(stdin: stdinPipe.read, stdout: stdoutPipe.write, stderr: stderrPipe.write),
                directory: directory)
        } catch {
            for pipe in [stdinPipe, stdoutPipe, stderrPipe] {
                pipe.closeBoth()
            }
            throw error
        }
        stdinPipe.closeRead()
        stdoutPipe.closeWrite()
        stderrPipe.closeWrite()

        let deadline = timeout.map { ContinuousClock.now + $0 }
        let (out, err) = pump(
            input: input, to: stdinPipe.write, stdout: stdoutPipe.read, stderr: stderrPipe.read, deadline: deadline
        ) {
            child.send(SIGKILL)
        }
        stdoutPipe.closeRead()
        stderrPipe.closeRead()
        return ProcessOutput(status: try child.wait(), stdout: out, stderr: err)
    }

    /// Looks a command name up in PATH (absolute or relative paths are returned as they are).
    public static func resolveExecutable(_ name: String, searchPath: String?) throws -> String {
        if name.contains("/") {
            return name
        }
        let dirs = (searchPath ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":")
        for dir in dirs where access("\(dir)/\(name)", X_OK) == 0 {
            return "\(dir)/\(name)"
        }
        throw RktError(.notFound, "executable \"\(name)\" not found in PATH (\(searchPath ?? "default PATH"))")
    }

    /// Drains stdout and stderr and feeds stdin; past `deadline`, calls `expire` once (which kills
    /// the child) and keeps draining until the pipes close.
    private static func pump(
        input: [UInt8], to stdinFD: Int32, stdout: Int32, stderr: Int32, deadline: ContinuousClock.Instant?,
        expire: () -> Void
    ) -> ([UInt8], [UInt8]) {
        var expired = false
        var out: [UInt8] = []
        var err: [UInt8] = []
        var written = 0
        var fds = [
            pollfd(fd: stdout, events: Int16(POLLIN), revents: 0),
            pollfd(fd: stderr, events: Int16(POLLIN), revents: 0),
            pollfd(fd: input.isEmpty ? -1 : stdinFD, events: Int16(POLLOUT), revents: 0),
        ]
        if input.isEmpty {
            close(stdinFD)
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while fds[0].fd >= 0 || fds[1].fd >= 0 {
            var wait: Int32 = -1
            if let deadline, !expired {
                let left = deadline - ContinuousClock.now
                wait = Int32(clamping: max(0, left.wholeMilliseconds))
                if left <= .zero {
                    expired = true
                    expire()
                    wait = -1
                }
            }
            guard retryingEINTR({ poll(&fds, nfds_t(fds.count), wait) }) >= 0 else {
                break
            }
            for index in 0..<2 where fds[index].fd >= 0 && fds[index].revents != 0 {
                let count = read(fds[index].fd, &buffer, buffer.count)
                if count > 0 {
                    index == 0 ? out.append(contentsOf: buffer[0..<count]) : err.append(contentsOf: buffer[0..<count])
                } else if count == 0 || errno != EINTR {
                    fds[index].fd = -1
                }
            }
            if fds[2].fd >= 0 && fds[2].revents != 0 {
                let count = input[written...].withUnsafeBytes { write(stdinFD, $0.baseAddress, $0.count) }
                if count > 0 {
                    written += count
                }
                if count < 0 && errno != EINTR || written == input.count {
                    close(stdinFD)
                    fds[2].fd = -1
                }
            }
        }
        if fds[2].fd >= 0 {
            close(stdinFD)
        }
        return (out, err)
    }
}

/// A pipe whose both ends are close-on-exec (the spawner dup2s what the child needs).
public struct Pipe2: Sendable {
    public let read: Int32
    public let write: Int32

    public init() throws {
        var fds: [Int32] = [-1, -1]
        guard rkt_pipe_cloexec(&fds) == 0 else {
            throw RktError.sys("pipe2")
        }
        read = fds[0]
        write = fds[1]
    }

    public func closeRead() { close(read) }
    public func closeWrite() { close(write) }
    public func closeBoth() {
        close(read)
        close(write)
    }
}

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer {
        for pointer in pointers {
            free(pointer)
        }
    }
    return body(&pointers)
}

import Foundation
import Glibc
import RktSys

/// The result of a finished command: its status and what it wrote.
struct ToolOutput: CustomStringConvertible {
    let command: String
    let status: ExitStatus
    let stdout: String
    let stderr: String

    var code: Int32 { status.shellCode }

    /// The non-empty lines of stderr.
    var errorLines: [String] {
        stderr.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    var description: String { "`\(command)` -> \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
}

/// A command started in the background whose output goes to files; `finish` or `stop` reaps it.
final class BackgroundTool {
    let command: String
    let child: ChildProcess
    let stdoutPath: String
    let stderrPath: String
    private(set) var status: ExitStatus?

    init(_ executable: String, _ arguments: [String], logPrefix: String) throws {
        command = ([executable] + arguments).joined(separator: " ")
        stdoutPath = "\(logPrefix).stdout"
        stderrPath = "\(logPrefix).stderr"
        let out = try Self.create(stdoutPath)
        defer { close(out) }
        let err = try Self.create(stderrPath)
        defer { close(err) }
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(devNull) }
        child = try Subprocess.spawn(
            executable, arguments, stdio: .init(stdin: devNull, stdout: out, stderr: err), newSession: true)
    }

    var stdout: String { (try? FileSystem.readText(stdoutPath)) ?? "" }
    var stderr: String { (try? FileSystem.readText(stderrPath)) ?? "" }

    /// Reaps the process if it has exited.
    func poll() -> ExitStatus? {
        if status == nil {
            status = try? child.poll()
        }
        return status
    }

    /// Waits up to `timeout` for the process to exit on its own; SIGKILLs it after that (nil result).
    func finish(timeout: Duration) -> ToolOutput? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if poll() != nil {
                return output
            }
            usleep(20_000)
        }
        child.send(SIGKILL)
        status = try? child.wait()
        return nil
    }

    /// Sends `signal`, then waits like `finish`.
    func stop(_ signal: Int32 = SIGTERM, timeout: Duration = .seconds(20)) -> ToolOutput? {
        if poll() == nil {
            child.send(signal)
        }
        return finish(timeout: timeout)
    }

    var output: ToolOutput? {
        status.map { ToolOutput(command: command, status: $0, stdout: stdout, stderr: stderr) }
    }

    private static func create(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw TestFailure("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        return fd
    }
}

/// A plain error for test set-up failures.
struct TestFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Runs host tools (ip, runc, iptables-save) for observation; "" when they fail.
enum HostTool {
    static func output(_ tool: String, _ arguments: String...) -> String {
        (try? Subprocess.run(tool, arguments))?.stdoutText ?? ""
    }
}

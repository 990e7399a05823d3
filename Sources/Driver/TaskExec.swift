import FoundationEssentials
import Glibc
import RktError
import RktSys

extension RktDriver {
    /// What `exec` returns: the combined output (capped) and the command's exit code.
    public struct ExecResult: Sendable {
        public var output: [UInt8]
        public var exitCode: Int32
    }

    /// Runs `command` inside the task's pod through `rkt enter`, with the rkt environment (host
    /// minus the blacklist), keeping the last `outputLimit` bytes of stdout+stderr like upstream's
    /// 4 KiB check buffer, and killing it after `timeout`.
    public func exec(
        _ handle: TaskHandle, command: [String], timeout: Duration, outputLimit: Int = 4096
    ) throws -> ExecResult {
        guard let program = command.first, !program.isEmpty else {
            throw RktError(.invalidArgument, "error cmd must have at least one value")
        }
        let arguments = client.insertGlobals(["enter", handle.uuid] + command)
        let output = try Subprocess.run(
            settings.rktPath, arguments, environment: settings.rktEnvironment(), timeout: timeout)
        let combined = output.stdout + output.stderr
        let kept = Array(combined.suffix(outputLimit))
        switch output.status {
        case .exited(let code):
            return ExecResult(output: kept, exitCode: code)
        case .signaled(let signal):
            return ExecResult(output: kept, exitCode: 128 + signal)
        }
    }

    /// Starts `command` inside the task's pod through `rkt enter`, with the rkt environment plus
    /// `environment`, the given stdio and its own session (so `kill(-pid)` reaches `rkt` and the
    /// runtime it starts). `rkt enter` asks for a terminal in the pod when its stdin is one.
    public func startExec(
        _ handle: TaskHandle, command: [String], stdio: Subprocess.Stdio, environment: [String: String] = [:]
    ) throws -> ChildProcess {
        guard let program = command.first, !program.isEmpty else {
            throw RktError(.invalidArgument, "error cmd must have at least one value")
        }
        let arguments = client.insertGlobals(["enter", handle.uuid] + command)
        let merged = settings.rktEnvironment().merging(environment) { $1 }
        return try Subprocess.spawn(settings.rktPath, arguments, environment: merged, stdio: stdio, newSession: true)
    }
}

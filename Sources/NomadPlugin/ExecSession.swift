// Known limitations:
// - With a terminal, the pty is not the child's controlling terminal (posix_spawn cannot TIOCSCTTY), so the
//   kernel sends no SIGWINCH on a resize: the session sends it to the child (`rkt enter`, which becomes
//   `runc exec --tty`; runc then copies the size into the pod). A resize in the instant between runc reading
//   the first size and runc listening for SIGWINCH is missed.
// - Stdin messages are written with blocking writes on the input thread: a command that never reads its
//   stdin holds that thread until it exits (the output side and cancellation are unaffected).

import Driver
import FoundationEssentials
import GRPC
import Glibc
import RktError
import RktSys
import Synchronization

/// One `ExecTaskStreaming` call: `rkt enter` with pipes (or a pseudo-terminal), the client's stdin pumped in
/// on a thread of its own, stdout and stderr pumped out on the handler's thread, then the exit result.
final class ExecSession: Sendable {
    /// What the process reads and writes: pipes, or one terminal (stderr merged into stdout).
    struct Descriptors {
        /// Our end of its stdin (owned by the input thread).
        var input: Int32
        /// Our ends of its stdout and stderr (one for a terminal), non-blocking.
        var outputs: [(fd: Int32, isStdout: Bool)]
        var terminal: Bool
    }

    /// How long a cancelled command gets between SIGTERM and SIGKILL.
    static let cancelGrace: Duration = .seconds(2)
    /// The terminal's end-of-file character (VEOF's default, ^D): what "stdin closed" means on a terminal.
    static let endOfFile: UInt8 = 4

    let child: ChildProcess
    private let input: Int32
    private let terminal: Bool
    private let outputs: [(fd: Int32, isStdout: Bool)]

    private init(child: ChildProcess, descriptors: Descriptors) {
        self.child = child
        input = descriptors.input
        outputs = descriptors.outputs
        terminal = descriptors.terminal
    }

    /// Starts `command` in the task's pod. `size` is the terminal's initial size (rows, columns), if any.
    static func start(
        driver: RktDriver, handle: TaskHandle, command: [String], tty: Bool, size: (Int32, Int32)?
    ) throws -> ExecSession {
        if tty {
            let pty = try PseudoTerminal()
            defer { close(pty.secondary) }
            if let size { PseudoTerminal.resize(pty.primary, rows: size.0, columns: size.1) }
            let child: ChildProcess
            do {
                child = try driver.startExec(
                    handle, command: command,
                    stdio: Subprocess.Stdio(stdin: pty.secondary, stdout: pty.secondary, stderr: pty.secondary),
                    environment: ["TERM": ProcessInfo.processInfo.environment["TERM"] ?? "xterm"])
            } catch {
                close(pty.primary)
                throw error
            }
            let input = dup(pty.primary)
            _ = fcntl(input, F_SETFD, FD_CLOEXEC)
            _ = fcntl(pty.primary, F_SETFL, fcntl(pty.primary, F_GETFL) | O_NONBLOCK)
            return ExecSession(
                child: child,
                descriptors: Descriptors(input: input, outputs: [(pty.primary, true)], terminal: true))
        }
        let pipes = try [Pipe2(), Pipe2(), Pipe2()]
        defer {
            pipes[0].closeRead()
            pipes[1].closeWrite()
            pipes[2].closeWrite()
        }
        let child: ChildProcess
        do {
            child = try driver.startExec(
                handle, command: command,
                stdio: Subprocess.Stdio(stdin: pipes[0].read, stdout: pipes[1].write, stderr: pipes[2].write))
        } catch {
            pipes[0].closeWrite()
            pipes[1].closeRead()
            pipes[2].closeRead()
            throw error
        }
        for pipe in pipes.dropFirst() {
            _ = fcntl(pipe.read, F_SETFL, fcntl(pipe.read, F_GETFL) | O_NONBLOCK)
        }
        return ExecSession(
            child: child,
            descriptors: Descriptors(
                input: pipes[0].write, outputs: [(pipes[1].read, true), (pipes[2].read, false)], terminal: false))
    }

    // MARK: Input

    /// Feeds the client's messages to the command until the client closes stdin or the call ends; then
    /// closes our end of stdin. Runs on its own thread.
    func pumpInput(_ requests: GRPCRequestStream) {
        defer { close(input) }
        while true {
            let message: ExecStreamingRequest?
            do {
                message = try requests.next(ExecStreamingRequest.self)
            } catch {
                return
            }
            guard let message else {
                endInput()
                return
            }
            if let size = message.ttySize, terminal {
                PseudoTerminal.resize(input, rows: size.height, columns: size.width)
                child.send(SIGWINCH)
            }
            guard let stdin = message.stdin else { continue }  // a heartbeat, a resize, or a repeated setup
            if !stdin.data.isEmpty, !write(stdin.data) { return }
            if stdin.close {
                endInput()
                if !terminal { return }
            }
        }
    }

    /// Signals end of input: a closed pipe, or the terminal's EOF character (the terminal stays open).
    private func endInput() {
        if terminal { _ = write([Self.endOfFile]) }
    }

    private func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(input, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }  // EPIPE or EIO: the command is gone
            offset += written
        }
        return true
    }

    // MARK: Output

    /// Sends the command's output as it comes, then the close markers and the exit message. Ends early with
    /// CANCELLED (after stopping the command) when the call is cancelled or the stream goes away.
    func pumpOutput(_ writer: GRPCResponseWriter, _ context: GRPCCallContext) throws(GRPCStatus) {
        defer { for output in outputs { close(output.fd) } }
        var open = outputs
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        var status: RktSys.ExitStatus?
        do throws(GRPCStatus) {
            while !open.isEmpty {
                guard !context.isCancelled else { throw GRPCStatus(.cancelled, "the exec call was cancelled") }
                if status == nil { status = try? child.poll() }
                // Once the command has exited, take what its pipes hold and stop: a background process it
                // left behind may keep them open for ever.
                let finalPass = status != nil
                var fds = open.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
                if !finalPass { _ = poll(&fds, nfds_t(fds.count), 200) }
                var closed: [Int32] = []
                for (index, output) in open.enumerated() where finalPass || fds[index].revents != 0 {
                    if try drain(output, &buffer, writer, untilEmpty: finalPass) { closed.append(output.fd) }
                }
                if finalPass { closed = open.map(\.fd) }
                for fd in closed {
                    guard let output = open.first(where: { $0.fd == fd }) else { continue }
                    let marker = ExecIOOperation(close: true)
                    try writer.send(output.isStdout ? ExecStreamingResponse(stdout: marker) : .init(stderr: marker))
                    open.removeAll { $0.fd == fd }
                }
            }
            let exit = try waitForExit(status, context)
            try writer.send(ExecStreamingResponse.exit(Self.result(exit)))
        } catch {
            terminate()
            throw error
        }
    }

    /// Reads what `output` holds and sends it; true at end of file (EIO on a terminal whose other end is
    /// closed). Without `untilEmpty` it stops after a few reads, so one busy stream cannot starve the other.
    private func drain(
        _ output: (fd: Int32, isStdout: Bool), _ buffer: inout [UInt8], _ writer: GRPCResponseWriter,
        untilEmpty: Bool
    ) throws(GRPCStatus) -> Bool {
        var reads = 0
        while untilEmpty || reads < 8 {
            reads += 1
            let count = buffer.withUnsafeMutableBytes { Glibc.read(output.fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && errno == EAGAIN { return false }
            guard count > 0 else { return true }
            let chunk = ExecIOOperation(data: Array(buffer[0..<count]))
            try writer.send(output.isStdout ? ExecStreamingResponse(stdout: chunk) : .init(stderr: chunk))
        }
        return false
    }

    private func waitForExit(_ known: RktSys.ExitStatus?, _ context: GRPCCallContext) throws(GRPCStatus)
        -> RktSys.ExitStatus
    {
        if let known { return known }
        while !context.isCancelled {
            if let status = try? child.poll() { return status }
            usleep(20_000)
        }
        throw GRPCStatus(.cancelled, "the exec call was cancelled")
    }

    /// Stops the command and what it started: SIGTERM to its process group, SIGKILL after a grace period.
    func terminate() {
        guard (try? child.poll()) == nil else { return }
        child.send(SIGTERM, group: true)
        let deadline = ContinuousClock.now + Self.cancelGrace
        while ContinuousClock.now < deadline {
            if (try? child.poll()) != nil { return }
            usleep(20_000)
        }
        child.send(SIGKILL, group: true)
        _ = try? child.wait()
    }

    /// Nomad's `ExitResult` for the command: a death by signal N reads as exit code 128+N, like a shell.
    static func result(_ status: RktSys.ExitStatus) -> ExitResultMessage {
        switch status {
        case .exited(let code): ExitResultMessage(exitCode: code)
        case .signaled(let signal): ExitResultMessage(exitCode: 128 + signal, signal: signal)
        }
    }
}

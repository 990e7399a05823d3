import Executor
import FoundationEssentials
import Glibc
import RktError
import RktSys
import Synchronization

/// A started task, backed by its detached executor: the executor runs `rkt run-prepared`, owns
/// the logs and records the exit, so the handle can be dropped and re-opened from its `TaskState`
/// by another driver process at any time.
public final class TaskHandle: Sendable {
    public let taskName: String
    public let uuid: String
    private let client: ExecutorClient
    private let state: Mutex<TaskState>

    /// How a task ended, or that it was lost.
    public enum Outcome: Equatable, Sendable {
        case exited(ExitStatus)
        /// Its executor is gone and left no exit record.
        case lost
    }

    init(state: TaskState) {
        self.state = Mutex(state)
        taskName = state.taskName
        uuid = state.podUUID
        client = ExecutorClient(socketPath: state.executorSocket)
    }

    public var taskState: TaskState { state.withLock { $0 } }
    public var network: DriverNetwork? { state.withLock { $0.network } }
    public var killTimeout: Duration { .milliseconds(state.withLock { $0.killTimeoutMilliseconds }) }

    func update(_ change: (inout TaskState) -> Void) {
        state.withLock { change(&$0) }
    }

    /// The outcome if the task has ended; nil while it runs.
    public func poll() -> Outcome? {
        if let status = recordedStatus() {
            return .exited(status)
        }
        if let status = try? client.status() {
            return status.exit.map { .exited(record($0)) }
        }
        if let saved = try? ExitRecord.load(from: "\(taskState.executorStateDirectory)/exit.json") {
            return .exited(record(saved))
        }
        return executorAlive() ? nil : .lost
    }

    /// Whether the executor process still exists: not a zombie, and still our executor (its
    /// command line names its state directory), so a reused pid does not count.
    private func executorAlive() -> Bool {
        let state = taskState
        guard let stat = try? FileSystem.readText("/proc/\(state.executorPID)/stat"),
            let close = stat.lastIndex(of: ")"),
            let status = stat[stat.index(after: close)...].split(separator: " ").first,
            status != "Z" && status != "X"
        else {
            return false
        }
        let commandLine = (try? FileSystem.read("/proc/\(state.executorPID)/cmdline")) ?? []
        return String(decoding: commandLine.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(
            state.executorStateDirectory)
    }

    /// Blocks until the task ends.
    public func wait() -> Outcome {
        while true {
            if let outcome = poll() {
                return outcome
            }
            _ = try? client.wait(timeout: .seconds(1))
        }
    }

    /// Sends a signal to `rkt run-prepared`, which forwards it to the app.
    public func signal(_ number: Int32) throws {
        do {
            try client.signal(number)
        } catch {
            throw RktError(.invalidState, "cannot signal task \(taskName): \(error)")
        }
    }

    /// The kill signal, then SIGKILL after the kill timeout (the executor enforces the deadline).
    @discardableResult
    public func kill() -> Outcome {
        if let outcome = poll() {
            return outcome
        }
        let (signal, timeout) = state.withLock { ($0.killSignal, $0.killTimeoutMilliseconds) }
        if let exit = try? client.stop(signal: signal, timeout: .milliseconds(timeout)) {
            return .exited(record(exit))
        }
        return wait()
    }

    /// Tells the executor of an ended task to exit now instead of lingering.
    public func releaseExecutor() {
        try? client.shutdown()
    }

    private func recordedStatus() -> ExitStatus? {
        state.withLock { state in
            if let signal = state.exitSignal, signal != 0 {
                return .signaled(signal)
            }
            return state.exitCode.map { .exited($0) }
        }
    }

    private func record(_ exit: ExitRecord) -> ExitStatus {
        update {
            $0.exitCode = exit.exitCode
            $0.exitSignal = exit.signal
        }
        return exit.signal != 0 ? .signaled(exit.signal) : .exited(exit.exitCode)
    }
}

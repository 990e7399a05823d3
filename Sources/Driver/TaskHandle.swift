import Foundation
import Glibc
import RktSys

/// A started task: its pod, the `rkt run-prepared` process that supervises it, and what Start
/// learned about its network.
public final class TaskHandle: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `lock`.
    public let taskName: String
    public let uuid: String
    public let process: ChildProcess
    public let killTimeout: Duration
    public let killSignal: Int32
    public private(set) var network: DriverNetwork?
    private let lock = NSLock()
    private var exitStatus: ExitStatus?

    init(taskName: String, uuid: String, process: ChildProcess, killTimeout: Duration, killSignal: Int32) {
        self.taskName = taskName
        self.uuid = uuid
        self.process = process
        self.killTimeout = killTimeout
        self.killSignal = killSignal
    }

    func setNetwork(_ network: DriverNetwork?) {
        lock.withLock { self.network = network }
    }

    /// The exit status if the task has exited (reaps it without blocking).
    public func poll() -> ExitStatus? {
        lock.withLock {
            if exitStatus == nil {
                exitStatus = try? process.poll()
            }
            return exitStatus
        }
    }

    /// Blocks until the task exits.
    public func wait() -> ExitStatus {
        while true {
            if let status = poll() {
                return status
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Sends the task's kill signal, waits up to its kill timeout, then SIGKILLs the supervisor.
    /// Returns the exit status and whether the deadline was hit.
    @discardableResult
    public func kill() -> (status: ExitStatus, forced: Bool) {
        if let status = poll() {
            return (status, false)
        }
        process.send(killSignal)
        let deadline = ContinuousClock.now + killTimeout
        while ContinuousClock.now < deadline {
            if let status = poll() {
                return (status, false)
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.send(SIGKILL)
        return (wait(), true)
    }
}

import Driver
import Executor
import FoundationEssentials
import RktSys
import Synchronization

/// A task the plugin started or recovered: the driver's handle plus what Nomad needs echoed back.
final class PluginTask: Sendable {
    let id: String
    let handle: TaskHandle
    /// The `TaskConfig` bytes Nomad sent (echoed in the handle).
    let configBytes: [UInt8]
    let startedAt: Date
    private let completedAt = Mutex<Date?>(nil)
    /// A task event held back until Nomad can receive it (see `takePendingEvent`).
    private let pendingEvent = Mutex<String?>(nil)

    init(id: String, handle: TaskHandle, configBytes: [UInt8], startedAt: Date) {
        self.id = id
        self.handle = handle
        self.configBytes = configBytes
        self.startedAt = startedAt
    }

    var executor: ExecutorClient {
        ExecutorClient(socketPath: handle.taskState.executorSocket, replyTimeout: .seconds(5))
    }

    /// The outcome if the task has ended (remembering when that was first seen).
    func poll() -> TaskHandle.Outcome? {
        let outcome = handle.poll()
        if outcome != nil {
            completedAt.withLock { $0 = $0 ?? Date() }
        }
        return outcome
    }

    var completionTime: Date? { completedAt.withLock { $0 } }

    /// Nomad's `ExitResult` for an outcome. A signal death reports exit code -1, as Nomad's own executor does.
    func exitResult(_ outcome: TaskHandle.Outcome) -> ExitResultMessage {
        let oomKilled = (try? executor.status().exit?.oomKilled) ?? false
        switch outcome {
        case .exited(.exited(let code)): return ExitResultMessage(exitCode: code, oomKilled: oomKilled)
        case .exited(.signaled(let signal)):
            return ExitResultMessage(exitCode: -1, signal: signal, oomKilled: oomKilled)
        case .lost: return ExitResultMessage(exitCode: -1)
        }
    }

    /// The handle message for Nomad: the echoed config and our `TaskState` as JSON.
    func handleMessage() throws -> TaskHandleMessage {
        TaskHandleMessage(
            version: Int32(TaskState.currentVersion), config: configBytes, state: poll() == nil ? 1 : 2,
            driverState: try JSON.encode(handle.taskState))
    }

    /// The task's network for Nomad, if the pod has one of its own.
    var networkOverride: NetworkOverrideMessage? {
        handle.network.map { network in
            NetworkOverrideMessage(
                portMap: network.portMap.compactMapValues { Int32(exactly: $0) }, addr: network.ip,
                autoAdvertise: network.autoAdvertise)
        }
    }

    /// Holds an event to publish once Nomad waits on the task: events sent from RecoverTask arrive
    /// before Nomad has registered the allocation's handler, and it drops them.
    func holdEvent(_ message: String) {
        pendingEvent.withLock { $0 = message }
    }

    /// The held event, once.
    func takePendingEvent() -> String? {
        pendingEvent.withLock { event in
            defer { event = nil }
            return event
        }
    }
}

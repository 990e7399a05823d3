import Driver
import FoundationEssentials
import HTTP2
import Protobuf
import RktSys

extension RktDriverPlugin {
    /// Publishes `message` for `task` and, the first time, watches for its exit on a thread of its own to
    /// publish that too. Events reach Nomad through the `TaskEvents` stream as "Driver" task events.
    func announce(_ task: PluginTask, _ message: String, deferred: Bool = false) {
        if deferred {
            task.holdEvent(message)
        } else {
            publish(task, message)
        }
        startThread { [self] in
            let outcome = task.handle.wait()
            publish(task, Self.describe(outcome, pod: task.handle.uuid))
        }
    }

    func publish(_ task: PluginTask, _ message: String) {
        let config = try? TaskConfigMessage(serialized: task.configBytes)
        events.publish(
            DriverTaskEventMessage(
                taskID: task.id, allocID: config?.allocID ?? "", taskName: config?.name ?? task.handle.taskName,
                message: message, annotations: ["pod.uuid": task.handle.uuid]))
    }

    static func describe(_ outcome: TaskHandle.Outcome, pod: String) -> String {
        switch outcome {
        case .exited(.exited(let code)): "rkt pod \(pod) exited with code \(code)"
        case .exited(.signaled(let signal)): "rkt pod \(pod) was killed by signal \(signal)"
        case .lost: "rkt pod \(pod) lost: its executor is gone"
        }
    }
}

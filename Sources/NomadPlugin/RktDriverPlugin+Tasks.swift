import Driver
import Executor
import FoundationEssentials
import GRPC
import Glibc
import Protobuf
import RktError
import RktSys
import Synchronization
import TaskModel

extension RktDriverPlugin {
    func task(_ id: String) throws(GRPCStatus) -> PluginTask {
        guard let task = tasks.withLock({ $0[id] }) else {
            throw GRPCStatus(.unknown, "task not found for given id")
        }
        return task
    }

    /// StartTask: decode, start the pod under its executor, and hand Nomad the handle to recover it from.
    func startTask(_ configBytes: [UInt8]) throws(GRPCStatus) -> StartTaskResponse {
        let config: TaskConfigMessage
        do {
            config = try TaskConfigMessage.decodeKeepingRaw(configBytes)
        } catch {
            throw GRPCStatus(.invalidArgument, "cannot decode the task config: \(error)")
        }
        guard tasks.withLock({ $0[config.id] }) == nil else {
            throw GRPCStatus(.unknown, "task with ID \(config.id) already started")
        }
        let handle: TaskHandle
        let spec: TaskSpec
        do {
            spec = try TaskTranslation.taskSpec(config, logger: logger)
        } catch {
            LogFifos.release(stdout: config.stdoutPath, stderr: config.stderrPath, message: "\(error)")
            throw Self.startFailure(error)
        }
        let began = ContinuousClock.now
        do {
            handle = try driver.start(spec)
        } catch {
            // A failed start leaves no pod; drop the state directory it may have created, unless in use.
            let stateID = TaskState.taskID(allocID: spec.allocID, taskName: spec.task.name)
            if !tasks.withLock({ $0.values.contains { $0.handle.taskState.taskID == stateID } }) {
                try? TaskStateStore(dataDirectory: settings.dataDirectory).remove(stateID)
            }
            LogFifos.release(stdout: config.stdoutPath, stderr: config.stderrPath, message: "\(error)")
            throw Self.startFailure(error)
        }
        let startMS = (ContinuousClock.now - began).millisecondsText
        let task = PluginTask(
            id: config.id, handle: handle, configBytes: configBytes, startedAt: handle.taskState.startedAt)
        tasks.withLock { $0[config.id] = task }
        logger.info("task start duration", ["task.id": config.id, "pod.id": handle.uuid, "start.ms": startMS])
        announce(task, "rkt pod \(handle.uuid) started")
        do {
            return StartTaskResponse(handle: try task.handleMessage(), networkOverride: task.networkOverride)
        } catch {
            throw GRPCStatus(.internal, "cannot encode the task handle: \(error)")
        }
    }

    /// Config mistakes fail the task for good; anything else (image fetch, runtime trouble) may be retried.
    static func startFailure(_ error: any Error) -> GRPCStatus {
        if error is SpecError {
            return GRPCStatus(.unknown, "\(error)")
        }
        if let error = error as? RktError, [.invalidArgument, .unsupported, .notFound].contains(error.code) {
            return GRPCStatus(.unknown, "\(error)")
        }
        return RecoverableStatus.make("\(error)")
    }

    /// RecoverTask: re-open a task from the driver state stored in its handle.
    func recoverTask(_ request: RecoverTaskRequest) throws(GRPCStatus) {
        guard let handle = request.handle else {
            throw GRPCStatus(.unknown, "RecoverTask needs a handle")
        }
        let config: TaskConfigMessage
        let state: TaskState
        do {
            config = try TaskConfigMessage(serialized: handle.config)
            state = try JSON.decode(TaskState.self, from: handle.driverState)
        } catch {
            throw GRPCStatus(.unknown, "failed to decode the task handle: \(error)")
        }
        let id = config.id.isEmpty ? request.taskID : config.id
        guard tasks.withLock({ $0[id] }) == nil else { return }
        guard state.version == TaskState.currentVersion else {
            throw GRPCStatus(.unknown, "task handle has driver state version \(state.version)")
        }
        let task = PluginTask(
            id: id, handle: driver.reopen(state), configBytes: handle.config, startedAt: state.startedAt)
        guard task.poll() != .lost else {
            throw GRPCStatus(.unknown, "task \(id) cannot be recovered: its executor is gone")
        }
        tasks.withLock { $0[id] = task }
        logger.info("task recovered", ["task.id": id, "pod.id": state.podUUID])
        announce(task, "rkt pod \(state.podUUID) recovered", deferred: true)
    }

    /// WaitTask: blocks until the task ends (or the call is cancelled).
    func waitTask(_ id: String, _ context: GRPCCallContext) throws(GRPCStatus) -> WaitTaskResponse {
        let task = try self.task(id)
        if let held = task.takePendingEvent() {
            publish(task, held)
        }
        while !context.isCancelled {
            if let outcome = task.poll() {
                let error = outcome == .lost ? "task lost: its executor is gone" : ""
                return WaitTaskResponse(result: task.exitResult(outcome), error: error)
            }
            if (try? task.executor.wait(timeout: .seconds(1))) == nil {
                Pause.for(.milliseconds(200))
            }
        }
        throw GRPCStatus(.cancelled, "wait cancelled")
    }

    /// StopTask: the signal (SIGINT when none is given), then SIGKILL after the timeout. OK when already gone.
    func stopTask(_ request: TaskRequest) throws(GRPCStatus) {
        guard let task = tasks.withLock({ $0[request.taskID] }), task.poll() == nil else { return }
        let signal = request.stopSignal.isEmpty ? SIGINT : Signals.number(named: request.stopSignal)
        guard let signal else {
            throw GRPCStatus(.invalidArgument, "unknown signal \(request.stopSignal)")
        }
        let timeout = request.duration?.duration ?? .seconds(5)
        logger.debug("stopping task", ["task.id": task.id, "signal": "\(signal)", "timeout": "\(timeout)"])
        if (try? task.executor.stop(signal: signal, timeout: timeout)) == nil, task.poll() == nil {
            task.handle.kill()
        }
        _ = task.poll()
    }

    /// DestroyTask: kill if still running (with `force`), remove the pod and forget the task. OK if unknown.
    func destroyTask(_ request: TaskRequest) throws(GRPCStatus) {
        guard let task = tasks.withLock({ $0[request.taskID] }) else { return }
        if task.poll() == nil {
            guard request.force else {
                throw GRPCStatus(.unknown, "cannot destroy running task")
            }
            if (try? task.executor.stop(signal: SIGKILL, timeout: .seconds(1))) == nil {
                task.handle.kill()
            }
        }
        let driver = self.driver
        if task.poll() == .lost {
            driver.cleanUpLost(task.handle)
        } else {
            driver.cleanup(task.handle)
        }
        // The released executor writes its last records into the state directory as it exits: remove the
        // directory once it is gone (or after a few seconds).
        let executorPID = task.handle.taskState.executorPID
        for _ in 0..<30 where executorPID > 0 && kill(executorPID, 0) == 0 {
            Pause.for(.milliseconds(100))
        }
        try? TaskStateStore(dataDirectory: settings.dataDirectory).remove(task.handle.taskState.taskID)
        if let config = try? TaskConfigMessage.decodeKeepingRaw(task.configBytes) {
            LogFifos.release(stdout: config.stdoutPath, stderr: config.stderrPath, message: nil)
        }
        tasks.withLock { _ = $0.removeValue(forKey: request.taskID) }
        logger.debug("task destroyed", ["task.id": task.id])
    }

    /// InspectTask: status with both timestamps, the pod id, and the network.
    func inspectTask(_ id: String) throws(GRPCStatus) -> InspectTaskResponse {
        let task = try self.task(id)
        var response = InspectTaskResponse(id: id, name: task.handle.taskName)
        response.startedAt = SecondsAndNanos(task.startedAt)
        if let outcome = task.poll() {
            response.state = 2
            response.result = task.exitResult(outcome)
            response.completedAt = task.completionTime.map(SecondsAndNanos.init) ?? .goZeroTime
        } else {
            response.state = 1
        }
        response.attributes = ["pod.uuid": task.handle.uuid]
        response.networkOverride = task.networkOverride
        return response
    }

    /// SignalTask: forwards a named signal through the executor.
    func signalTask(_ request: TaskRequest) throws(GRPCStatus) {
        let task = try self.task(request.taskID)
        let name = request.strings.first ?? ""
        guard let signal = Signals.number(named: name) else {
            throw GRPCStatus(.invalidArgument, "unknown signal \"\(name)\"")
        }
        do {
            try task.handle.signal(signal)
        } catch {
            throw GRPCStatus(.unknown, "\(error)")
        }
    }

    /// ExecTask: runs a command in the pod with `rkt enter`; stdout carries the combined output.
    func execTask(_ request: TaskRequest) throws(GRPCStatus) -> ExecTaskResponse {
        let task = try self.task(request.taskID)
        let timeout = request.duration.map(\.duration).flatMap { $0 > .zero ? $0 : nil } ?? .seconds(30)
        do {
            let result = try driver.exec(task.handle, command: request.strings, timeout: timeout, outputLimit: 1 << 20)
            return ExecTaskResponse(stdout: result.output, result: ExitResultMessage(exitCode: result.exitCode))
        } catch {
            throw GRPCStatus(.unknown, "\(error)")
        }
    }
}

import Driver
import FoundationEssentials
import Glibc
import RktError
import RktSys
import TaskModel

extension DriverCommandLine {
    static let runCommand = Command(name: "run", usage: "run [--detach] JOBFILE") { words, globals in
        let arguments = try Arguments(words, valued: [], booleans: ["detach"])
        guard arguments.positionals.count == 1 else {
            throw UsageError("expected exactly one job file")
        }
        let path = arguments.positionals[0]
        let job = try JobLoader.load(path)
        let logger = Logger(label: "rkt-driver", level: globals.logLevel)
        let driver = RktDriver(settings: try globals.makeSettings(), logger: logger)
        let runner = JobRunner(
            driver: driver, logger: logger, jobDirectory: PathText.directory(of: path),
            services: try TaskServices(settings: driver.settings, driver: driver, logger: logger))
        return try runner.run(job, detach: arguments.flag("detach"))
    }
}

/// Runs every task of a job. In the foreground it waits until they all exit, or until
/// SIGINT/SIGTERM/SIGHUP, which stops them (kill signal, then SIGKILL after each task's kill
/// timeout). With `--detach` it returns once they run; their executors keep them going.
struct JobRunner {
    let driver: RktDriver
    let logger: Logger
    let jobDirectory: String
    let services: TaskServices

    /// Starts the job's tasks, supervises them unless detached, and returns 0 if no task failed.
    func run(_ job: Job, detach: Bool) throws -> Int32 {
        let started = try startAll(job, registeringServices: !detach)
        if detach {
            return 0
        }
        return supervise(started)
    }

    /// Starts every task of every allocation. A detached run registers no services: nothing would
    /// run their checks or remove them when the task ends.
    private func startAll(_ job: Job, registeringServices: Bool) throws -> [TaskHandle] {
        var handles: [TaskHandle] = []
        var unstarted: [AllocDirectory] = []
        var ports = PortAllocator(used: ForwardedPorts.current())
        let hostIP = HostAddress.primaryIPv4() ?? "127.0.0.1"
        let node = NodeContext(datacenter: job.datacenters.first ?? "dc1")
        do {
            for group in job.taskGroups {
                for index in 0..<group.count {
                    let allocID = UUID().uuidString.lowercased()
                    let allocDirectory = AllocDirectory(
                        root: "\(driver.settings.dataDirectory)/alloc", allocID: allocID)
                    unstarted.append(allocDirectory)
                    try allocDirectory.build(tasks: group.tasks.map(\.name))
                    for var task in group.tasks {
                        task.resources.networks = try ports.assign(task.resources.networks)
                        let spec = TaskSpec(
                            job: job, group: group, task: task, allocID: allocID, allocIndex: index,
                            allocDirectory: allocDirectory, hostIP: hostIP, node: node, imageBaseDirectory: jobDirectory
                        )
                        handles.append(try start(spec, registeringServices: registeringServices))
                        unstarted.removeAll { $0.allocID == allocID }
                    }
                }
            }
        } catch {
            stop(handles)
            for handle in handles {
                finish(handle, outcome: handle.poll() ?? .lost, stopped: true)
            }
            // An allocation none of whose tasks started has no logs worth keeping.
            for directory in unstarted {
                try? FileSystem.removeTree(directory.path)
            }
            throw error
        }
        return handles
    }

    private func start(_ spec: TaskSpec, registeringServices: Bool) throws -> TaskHandle {
        let plan: RktDriver.Plan
        let handle: TaskHandle
        do {
            plan = try driver.prestart(spec)
            handle = try driver.start(spec, plan: plan)
        } catch {
            throw RktError(.internal, "group \"\(spec.group.name)\" -> task \"\(spec.task.name)\": \(error)")
        }
        if !registeringServices && !spec.task.services.isEmpty {
            logger.warning(
                "services of a detached task are not registered: their checks need the foreground run",
                ["task.name": spec.task.name])
        }
        do {
            if registeringServices {
                try services.register(spec, environment: plan.environment, handle: handle)
            }
        } catch {
            handle.kill()
            driver.cleanup(handle)
            throw RktError(.internal, "group \"\(spec.group.name)\" -> task \"\(spec.task.name)\": \(error)")
        }
        report(handle, task: spec.task, hostIP: spec.hostIP, logs: spec.allocDirectory.logs)
        return handle
    }

    private func report(_ handle: TaskHandle, task: Task, hostIP: String, logs: String) {
        var lines = ["task \"\(task.name)\": pod \(handle.uuid)"]
        if let network = handle.network {
            let ports = network.portMap.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                separator: ", ")
            lines.append(
                "  driver network: ip \(network.ip), ports [\(ports)], auto-advertise \(network.autoAdvertise)")
        } else {
            lines.append("  driver network: none")
        }
        for port in task.resources.allPorts {
            lines.append("  port \(port.label): host \(hostIP):\(port.value)")
        }
        lines.append("  logs: \(logs)/\(task.name).stdout.N, .stderr.N")
        Console.output(lines.joined(separator: "\n") + "\n")
    }

    /// Waits for the tasks, stopping them all on SIGINT/SIGTERM/SIGHUP; removes each ended pod.
    private func supervise(_ handles: [TaskHandle]) -> Int32 {
        var running = handles
        var failed = false
        var stopping = false
        var waitSet = sigset_t()
        sigemptyset(&waitSet)
        for signal in DriverCommandLine.supervisedSignals {
            sigaddset(&waitSet, signal)
        }
        while !running.isEmpty {
            var timeout = timespec(tv_sec: 0, tv_nsec: 200_000_000)
            let signal = sigtimedwait(&waitSet, nil, &timeout)
            if signal > 0 && signal != SIGCHLD && !stopping {
                logger.info("stopping tasks", ["signal": "\(signal)"])
                stopping = true
                stop(running)
            }
            for handle in running {
                guard let outcome = handle.poll() else {
                    continue
                }
                failed = failed || (!stopping && outcome != .exited(.exited(0)))
                finish(handle, outcome: outcome, stopped: stopping)
            }
            running.removeAll { $0.poll() != nil }
        }
        return failed ? 1 : 0
    }

    /// Deregisters and removes an ended task; `stopped` when it ended because we stopped it, so
    /// its exit status is no failure of its own.
    private func finish(_ handle: TaskHandle, outcome: TaskHandle.Outcome, stopped: Bool) {
        services.deregister(handle)
        switch outcome {
        case .exited(let status):
            logger.info("task exited", ["task.name": handle.taskName, "pod.id": handle.uuid, "exit": "\(status)"])
            if !status.succeeded, !stopped, let reason = lastErrorLine(handle) {
                logger.error("task failed", ["task.name": handle.taskName, "exit": "\(status)", "reason": reason])
            }
            driver.cleanup(handle)
        case .lost:
            driver.cleanUpLost(handle)
        }
    }

    /// The last line the task wrote to stderr: why it failed, when rkt itself failed (a bad net,
    /// a missing image) and the reason would otherwise be only in the task's log.
    private func lastErrorLine(_ handle: TaskHandle) -> String? {
        let state = handle.taskState
        let follower = LogFollower(directory: state.logDirectory, task: state.taskName, stream: "stderr")
        guard let index = follower.indexes().last,
            let text = try? FileSystem.readText("\(state.logDirectory)/\(state.taskName).stderr.\(index)")
        else {
            return nil
        }
        return text.split(separator: "\n").last { !String($0).trimmed.isEmpty }.map(String.init)
    }

    /// Kills every task concurrently (each with its own timeout), not only as many as there are cores.
    private func stop(_ handles: [TaskHandle]) {
        let logger = logger
        concurrently(handles.count) { index in
            let outcome = handles[index].kill()
            logger.info("task stopped", ["task.name": handles[index].taskName, "outcome": "\(outcome)"])
        }
    }
}

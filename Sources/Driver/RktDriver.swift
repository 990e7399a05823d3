import Executor
import FoundationEssentials
import Glibc
import Images
import RktError
import RktSys
import TaskModel

/// The rkt task driver: validates a task's config, computes its environment and port map
/// (Prestart), builds the rkt argv, prepares the pod, launches `rkt run-prepared`, and reads the
/// pod's network. Runs a real `rkt` binary or ours, through the same command line.
public final class RktDriver: Sendable {
    public let settings: DriverSettings
    public let logger: Logger
    public let client: RktClient

    public init(settings: DriverSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        client = RktClient(settings: settings)
    }

    /// What Prestart computed for a task: its config with port names resolved, its environment,
    /// and the argv to run.
    public struct Plan: Sendable {
        public var config: RktTaskConfig
        public var environment: TaskEnvironment
        public var command: RktCommand
    }

    /// Decodes and checks the task, and builds everything needed to start it, without side effects.
    public func prestart(_ spec: TaskSpec) throws -> Plan {
        var config = try RktTaskConfig.decode(task: spec.task, groupName: spec.group.name)
        config.image = resolvedImage(config.image, base: spec.imageBaseDirectory)
        let imagePorts = try localImagePorts(config.image)
        if let imagePorts {
            config = try AppcManifest.resolvePortMap(config, imagePorts: imagePorts)
        }
        let containerPorts = (imagePorts ?? []).isEmpty ? [:] : containerPortMap(config, imagePorts: imagePorts ?? [])
        let environment = try TaskEnvironment.build(
            TaskEnvironmentInput(
                job: spec.job, group: spec.group, task: spec.task, allocID: spec.allocID, allocIndex: spec.allocIndex,
                node: spec.node, hostIP: spec.hostIP, containerPorts: containerPorts))
        let dirs = spec.allocDirectory
        let command = try RktCommand.build(
            RktCommandInput(
                allocID: spec.allocID, task: spec.task, config: config, environment: environment,
                paths: TaskPaths(
                    allocDir: dirs.shared, localDir: dirs.local(spec.task.name),
                    secretsDir: dirs.secrets(spec.task.name)),
                options: RktDriverOptions(volumesEnabled: settings.volumesEnabled)))
        for warning in command.warnings {
            logger.warning(warning, ["task.name": spec.task.name])
        }
        return Plan(config: config, environment: environment, command: command)
    }

    /// Starts the task: trust, prepare, run-prepared, network discovery. `plan` is the task's
    /// `prestart`, when the caller has it already. On failure nothing is left: a prepared or
    /// started pod is stopped and removed.
    public func start(_ spec: TaskSpec, plan: Plan? = nil) throws -> TaskHandle {
        let plan = try plan ?? prestart(spec)
        let task = spec.task
        if !plan.config.trustPrefix.isEmpty {
            try client.trust(prefix: plan.config.trustPrefix, debug: plan.config.debug)
            logger.debug("added trust prefix", ["trust.prefix": plan.config.trustPrefix])
        }
        logger.debug("preparing pod", ["task.name": task.name, "argv": plan.command.prepare.joined(separator: " ")])
        let uuid = try client.prepare(plan.command.prepare)

        let handle: TaskHandle
        do {
            handle = try launch(spec, plan: plan, uuid: uuid)
        } catch {
            try? client.remove(uuid)
            throw error
        }
        logger.info(
            "task started", ["task.name": task.name, "pod.id": uuid, "executor.pid": "\(handle.taskState.executorPID)"])

        guard !plan.config.skipsNetworkLookup else {
            return handle
        }
        do {
            var discovery = NetworkDiscovery(client: client)
            discovery.deadline = settings.networkDeadline
            let network = try discovery.discover(
                uuid: uuid, portMap: plan.config.portMap,
                autoAdvertise: Self.autoAdvertise(net: plan.config.net, override: settings.autoAdvertise),
                logger: logger
            ) { handle.poll() == nil }
            handle.update { $0.network = network }
            try TaskStateStore(dataDirectory: settings.dataDirectory).save(handle.taskState)
        } catch {
            if handle.poll() != nil {
                return handle
            }
            logger.warning(
                "network status retrieval failed", ["task.name": task.name, "pod.id": uuid, "error": "\(error)"])
            if !plan.config.portMap.isEmpty {
                handle.kill()
                cleanup(handle)
                try? TaskStateStore(dataDirectory: settings.dataDirectory).remove(handle.taskState.taskID)
                throw RktError(
                    .timeout, "Trying to map ports but driver could not determine network information",
                    cause: error as? RktError)
            }
        }
        return handle
    }

    /// Removes the pod of a task that has ended (`rkt rm`) once, logging instead of failing, and
    /// records the outcome in the task's saved handle.
    public func cleanup(_ handle: TaskHandle) {
        guard !handle.taskState.podRemoved else {
            return
        }
        if handle.taskState.oomKilled == nil, let oomKilled = podOOMKilled(handle.uuid) {
            handle.update { $0.oomKilled = oomKilled }
            if oomKilled {
                logger.warning("task was OOM-killed", ["task.name": handle.taskName, "pod.id": handle.uuid])
            }
        }
        do {
            try client.remove(handle.uuid)
            logger.debug("removed pod", ["pod.id": handle.uuid])
        } catch {
            logger.error("error removing pod - must gc manually", ["pod.id": handle.uuid, "error": "\(error)"])
        }
        handle.update { $0.podRemoved = true }
        try? TaskStateStore(dataDirectory: settings.dataDirectory).save(handle.taskState)
        handle.releaseExecutor()
    }

    /// Whether `rkt status` says the OOM killer acted in the pod; nil when the status cannot be
    /// read (pod already gone). Meaningful once the task ended: the runtime records it at exit.
    public func podOOMKilled(_ uuid: String) -> Bool? {
        (try? client.statusJSON(uuid)).map { RktPodStatus.oomKilled(statusJSON: $0) }
    }

    /// Re-opens a task from its saved handle (after a driver restart).
    public func reopen(_ state: TaskState) -> TaskHandle {
        TaskHandle(state: state)
    }

    /// Stops a task whose executor is gone: force-stops its pod, then removes it.
    public func cleanUpLost(_ handle: TaskHandle) {
        logger.warning("task lost: its executor is gone", ["task.name": handle.taskName, "pod.id": handle.uuid])
        _ = try? Subprocess.run(
            settings.rktPath, client.insertGlobals(["stop", "--force", handle.uuid]),
            environment: settings.rktEnvironment())
        for _ in 0..<50 where (try? client.statusJSON(handle.uuid))?.contains("\"running\"") == true {
            Pause.for(.milliseconds(100))
        }
        cleanup(handle)
    }

    /// Starts `rkt run-prepared UUID` under a detached executor and saves the task's handle.
    private func launch(_ spec: TaskSpec, plan: Plan, uuid: String) throws -> TaskHandle {
        let store = TaskStateStore(dataDirectory: settings.dataDirectory)
        let taskID = TaskState.taskID(allocID: spec.allocID, taskName: spec.task.name)
        let executorDirectory = store.executorDirectory(of: taskID)
        try FileSystem.makeDirectories(store.directory(of: taskID), mode: 0o700)
        try FileSystem.makeDirectories(PathText.directory(of: executorDirectory), mode: 0o700)

        let environment = settings.rktEnvironment()
        let rkt = try Subprocess.resolveExecutable(settings.rktPath, searchPath: environment["PATH"])
        let arguments = client.insertGlobals(plan.command.runPrepared + [uuid])
        logger.debug("starting pod", ["task.name": spec.task.name, "argv": arguments.joined(separator: " ")])
        let logConfig = ExecutorLogConfig(
            directory: spec.allocDirectory.logs, taskName: spec.task.name, maxFiles: spec.task.logConfig.maxFiles,
            maxFileSizeMB: spec.task.logConfig.maxFileSizeMB, stdoutPath: spec.outputPaths?.stdout,
            stderrPath: spec.outputPaths?.stderr)
        let launched: LaunchedExecutor
        do {
            launched = try ExecutorLauncher.launch(
                executable: settings.executorPath, stateDirectory: executorDirectory, logConfig: logConfig,
                program: absolute(rkt), arguments: arguments,
                environment: environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        } catch {
            throw RktError(.internal, "cannot start the executor for task \(spec.task.name): \(error)")
        }

        let signal = spec.task.killSignal.isEmpty ? SIGINT : (Signals.number(named: spec.task.killSignal) ?? SIGINT)
        let timeout = settings.killTimeout(spec.task.killTimeout)
        let state = TaskState(
            taskID: taskID, jobID: spec.job.id, groupName: spec.group.name, taskName: spec.task.name,
            allocID: spec.allocID, podUUID: uuid, executorPID: launched.executorPid,
            executorSocket: launched.socketPath, executorStateDirectory: executorDirectory,
            killTimeoutMilliseconds: timeout.wholeMilliseconds, killSignal: signal,
            logDirectory: spec.allocDirectory.logs, network: nil, startedAt: Date(), cpuMHz: spec.task.resources.cpu)
        try store.save(state)
        return TaskHandle(state: state)
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : "\(FileManager.default.currentDirectoryPath)/\(path)"
    }

    /// A relative ACI path is taken relative to the job file's directory when it exists there.
    private func resolvedImage(_ image: String, base: String?) -> String {
        guard let base, !image.hasPrefix("/"), image.hasSuffix(".aci") || image.contains("/"),
            !image.contains("://"), !image.hasPrefix("sha512-"),
            FileManager.default.fileExists(atPath: "\(base)/\(image)")
        else {
            return image
        }
        let joined = "\(base)/\(image)"
        let absolute = joined.hasPrefix("/") ? joined : "\(FileManager.default.currentDirectoryPath)/\(joined)"
        return PathText.normalized(absolute)
    }

    /// The ports of a local ACI file's manifest (nil when the image is not a local file).
    private func localImagePorts(_ image: String) throws -> [AppcPort]? {
        let path = image.hasPrefix("file://") ? String(image.dropFirst(7)) : image
        guard path.hasPrefix("/"), FileManager.default.fileExists(atPath: path) else {
            return nil
        }
        let manifest = try ACIManifestReader.read(fromFile: path)
        do {
            return try AppcManifest.imagePorts(manifestJSON: String(decoding: manifest, as: UTF8.self))
        } catch {
            throw RktError(error.code, "image \"\(path)\": \(error.message)")
        }
    }

    private func containerPortMap(_ config: RktTaskConfig, imagePorts: [AppcPort]) -> [String: Int] {
        config.portMap.compactMapValues { name in imagePorts.first { $0.name == name }?.port }
    }

    /// AutoAdvertise: false on rkt's host-only `default` nets, true on a named CNI network (like
    /// Nomad's docker driver on user-defined networks), unless the `auto_advertise` option says.
    public static func autoAdvertise(net: [String], override: Bool?) -> Bool {
        if let override {
            return override
        }
        let nets = net.isEmpty ? ["default"] : net
        return !nets.allSatisfy { $0 == "default" || $0 == "default-restricted" || $0.hasPrefix("default:") }
    }
}

import Foundation
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

    /// Starts the task: trust, prepare, run-prepared, network discovery. On failure nothing is
    /// left: a prepared or started pod is stopped and removed.
    public func start(_ spec: TaskSpec) throws -> TaskHandle {
        let plan = try prestart(spec)
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
        logger.info("task started", ["task.name": task.name, "pod.id": uuid, "pid": "\(handle.process.pid)"])

        guard !plan.config.skipsNetworkLookup else {
            return handle
        }
        do {
            var discovery = NetworkDiscovery(client: client)
            discovery.deadline = networkDeadline
            let network = try discovery.discover(
                uuid: uuid, portMap: plan.config.portMap, autoAdvertise: autoAdvertise(plan.config), logger: logger
            ) { handle.poll() == nil }
            handle.setNetwork(network)
        } catch {
            if handle.poll() != nil {
                return handle
            }
            logger.warning(
                "network status retrieval failed", ["task.name": task.name, "pod.id": uuid, "error": "\(error)"])
            if !plan.config.portMap.isEmpty {
                handle.kill()
                try? client.remove(uuid)
                throw RktError(
                    .timeout, "Trying to map ports but driver could not determine network information",
                    cause: error as? RktError)
            }
        }
        return handle
    }

    /// How long Start waits for the pod's IP (upstream: 1 minute).
    public var networkDeadline: Duration { .seconds(60) }

    /// Removes the pod of a task that has exited (`rkt rm`), logging instead of failing.
    public func cleanup(_ handle: TaskHandle) {
        do {
            try client.remove(handle.uuid)
            logger.debug("removed pod", ["pod.id": handle.uuid])
        } catch {
            logger.error("error removing pod - must gc manually", ["pod.id": handle.uuid, "error": "\(error)"])
        }
    }

    private func launch(_ spec: TaskSpec, plan: Plan, uuid: String) throws -> TaskHandle {
        let logs = spec.allocDirectory.logs
        let stdout = try openLog("\(logs)/\(spec.task.name).stdout.0")
        defer { close(stdout) }
        let stderr = try openLog("\(logs)/\(spec.task.name).stderr.0")
        defer { close(stderr) }
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(devNull) }

        let arguments = client.insertGlobals(plan.command.runPrepared + [uuid])
        logger.debug("starting pod", ["task.name": spec.task.name, "argv": arguments.joined(separator: " ")])
        let process = try Subprocess.spawn(
            settings.rktPath, arguments, environment: settings.rktEnvironment(),
            stdio: .init(stdin: devNull, stdout: stdout, stderr: stderr), newSession: true,
            directory: spec.allocDirectory.taskDirectory(spec.task.name))
        let signal = spec.task.killSignal.isEmpty ? SIGINT : (Signals.number(named: spec.task.killSignal) ?? SIGINT)
        return TaskHandle(
            taskName: spec.task.name, uuid: uuid, process: process,
            killTimeout: settings.killTimeout(spec.task.killTimeout),
            killSignal: signal)
    }

    private func openLog(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw RktError.sys("open", path, "cannot open task log")
        }
        return fd
    }

    /// A relative ACI path is taken relative to the job file's directory when it exists there.
    private func resolvedImage(_ image: String, base: String?) -> String {
        guard let base, !image.hasPrefix("/"), image.hasSuffix(".aci") || image.contains("/"),
            !image.contains("://"), !image.hasPrefix("sha512-"),
            FileManager.default.fileExists(atPath: "\(base)/\(image)")
        else {
            return image
        }
        let joined = (base as NSString).appendingPathComponent(image)
        let absolute = joined.hasPrefix("/") ? joined : "\(FileManager.default.currentDirectoryPath)/\(joined)"
        return (absolute as NSString).standardizingPath
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

    /// AutoAdvertise: false on rkt's host-only `default` nets, true on a named CNI network.
    private func autoAdvertise(_ config: RktTaskConfig) -> Bool {
        let nets = config.net.isEmpty ? ["default"] : config.net
        return !nets.allSatisfy { $0 == "default" || $0 == "default-restricted" || $0.hasPrefix("default:") }
    }
}

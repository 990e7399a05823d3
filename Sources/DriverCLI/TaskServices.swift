import Dispatch
import Driver
import FoundationEssentials
import RktError
import RktSys
import Services
import Synchronization
import TaskModel

/// Registers each task's services in the catalog (embedded, or a Consul agent when
/// `consul_address` is set) with the address its `address_mode` picks, runs their checks, and
/// deregisters them when the task ends. Bridges the synchronous runner to ServiceManager.
final class TaskServices: Sendable {
    private let catalog: any Catalog
    private let driver: RktDriver
    private let logger: Logger
    private let managers = Mutex<[String: ServiceManager]>([:])

    init(settings: DriverSettings, driver: RktDriver, logger: Logger) throws {
        if let consul = settings.consulAddress {
            catalog = try ConsulCatalog(address: consul)
        } else {
            catalog = EmbeddedCatalog(
                path: EmbeddedCatalog.defaultPath(dataDir: settings.dataDirectory), logger: logger)
        }
        self.driver = driver
        self.logger = logger
    }

    /// Registers the task's services (their names and tags interpolated with `environment`, the
    /// task's) and, with the network Start reported, starts their checks.
    func register(_ spec: TaskSpec, environment: TaskEnvironment, handle: TaskHandle) throws {
        guard !spec.task.services.isEmpty else {
            return
        }
        let manager = ServiceManager(
            task: Self.boundToHost(spec.task, hostIP: spec.hostIP), allocID: spec.allocID,
            environment: environment, catalog: catalog, exec: scriptExecutor(handle), logger: logger)
        managers.withLock { $0[handle.uuid] = manager }
        try blocking {
            try await manager.start()
            try await manager.networkKnown(handle.network, environment: environment)
        }
    }

    /// Stops the task's checks and removes its services from the catalog.
    func deregister(_ handle: TaskHandle) {
        guard let manager = managers.withLock({ $0.removeValue(forKey: handle.uuid) }) else {
            return
        }
        try? blocking { await manager.stop() }
    }

    /// The task with the host IP on each network that has none. Host-mode addresses come from
    /// the networks' IPs, which Nomad's scheduler fills in with the node's address; `run` only
    /// assigns the ports, so without this a host-mode service would be advertised at "".
    static func boundToHost(_ task: Task, hostIP: String) -> Task {
        var bound = task
        for index in bound.resources.networks.indices where bound.resources.networks[index].ip.isEmpty {
            bound.resources.networks[index].ip = hostIP
        }
        return bound
    }

    private func scriptExecutor(_ handle: TaskHandle) -> ScriptExecutor {
        let driver = driver
        return { command, args, timeout in
            let result = try driver.exec(handle, command: [command] + args, timeout: timeout)
            return (String(decoding: result.output, as: UTF8.self), Int(result.exitCode))
        }
    }

    /// Runs async work to completion from synchronous code (never called on the cooperative pool).
    private func blocking(_ work: @escaping @Sendable () async throws -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        let failure = Mutex<(any Error)?>(nil)
        _Concurrency.Task {
            do {
                try await work()
            } catch {
                failure.withLock { $0 = error }
            }
            done.signal()
        }
        done.wait()
        if let error = failure.withLock({ $0 }) {
            throw error
        }
    }
}

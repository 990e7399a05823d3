import Driver
import RktSys
import Synchronization
import TaskModel

/// The services of one task through its life: registered when the task starts (host and auto
/// services with their host address; driver-mode services wait, as they have no address yet),
/// updated once the driver reports its network (then checks start), and deregistered when the
/// task stops.
///
/// Address errors are thrown with Nomad's wording; as in Nomad, the caller treats them as fatal
/// for the start, kills the task and calls `stop()`.
public final class ServiceManager: Sendable {
    private struct State {
        var environment: TaskEnvironment
        var registrations: [ServiceRegistration] = []
        var stopped = false
    }

    private let task: Task
    private let allocID: String
    private let catalog: any Catalog
    private let runner: CheckRunner
    private let logger: Logger
    private let state: Mutex<State>

    public init(
        task: Task, allocID: String, environment: TaskEnvironment, catalog: any Catalog, exec: ScriptExecutor?,
        logger: Logger
    ) {
        self.task = task
        self.allocID = allocID
        self.catalog = catalog
        self.logger = logger.with(["alloc.id": allocID, "task.name": task.name])
        runner = CheckRunner(catalog: catalog, exec: exec, logger: self.logger)
        state = Mutex(State(environment: environment))
    }

    /// What was last registered, sorted by ID.
    public var registrations: [ServiceRegistration] {
        state.withLock { $0.registrations }
    }

    /// IDs of the checks being run here.
    public var runningCheckIDs: [String] { runner.runningCheckIDs }

    /// Registers every service before the driver's network is known.
    public func start() async throws {
        let environment = state.withLock { $0.environment }
        let built = try RegistrationBuilder.build(
            task: task, allocID: allocID, environment: environment, network: .pending)
        try await apply(built)
    }

    /// Re-resolves every service with the driver's network (nil when it has none), updates the
    /// catalog, and starts the checks. `environment` replaces the one given at init, e.g. once
    /// `NOMAD_PORT_<label>` carries the container port.
    public func networkKnown(_ network: DriverNetwork?, environment: TaskEnvironment? = nil) async throws {
        let environment = state.withLock { current in
            if let environment {
                current.environment = environment
            }
            return current.environment
        }
        let built = try RegistrationBuilder.build(
            task: task, allocID: allocID, environment: environment, network: .known(network))
        try await apply(built)
        guard !state.withLock({ $0.stopped }) else {
            return
        }
        for check in built.flatMap(\.checks) where shouldRun(check) {
            await runner.start(check)
        }
    }

    /// Stops every check, then deregisters every service. Failures are logged, not thrown: the
    /// task is going away regardless. Call the three steps in order (start, networkKnown, stop);
    /// a `networkKnown` that overlaps `stop` starts no checks.
    public func stop() async {
        state.withLock { $0.stopped = true }
        await runner.stopAll()
        let registered = state.withLock { current in
            defer { current.registrations = [] }
            return current.registrations
        }
        for registration in registered {
            await deregister(registration.id)
        }
    }

    /// Registers `built`, and deregisters earlier IDs that it no longer contains (an
    /// interpolated name or label can change once the network is known).
    private func apply(_ built: [ServiceRegistration]) async throws {
        let sorted = built.sorted { $0.id < $1.id }
        let previous = state.withLock { current in
            defer { current.registrations = sorted }
            return current.registrations
        }
        let catalog = catalog
        for registration in sorted {
            try await Blocking.run { try catalog.register(registration) }
        }
        let kept = Set(sorted.map(\.id))
        for stale in previous where !kept.contains(stale.id) {
            for check in stale.checks {
                await runner.stop(checkID: check.id)
            }
            await deregister(stale.id)
        }
    }

    private func deregister(_ id: String) async {
        let catalog = catalog
        do {
            try await Blocking.run { try catalog.deregister(serviceID: id) }
        } catch {
            logger.warning("could not deregister a service", ["service.id": id, "error": "\(error)"])
        }
    }

    /// Consul runs http and tcp checks itself; otherwise every check with a target runs here.
    private func shouldRun(_ check: CheckRegistration) -> Bool {
        if check.type == "script" {
            return true
        }
        return !catalog.runsNetworkChecks
    }
}

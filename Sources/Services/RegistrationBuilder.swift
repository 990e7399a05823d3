import Driver
import RktError
import TaskModel

/// What is known about the driver's network when registrations are built.
public enum NetworkState: Equatable, Sendable {
    /// The task is starting and the driver has not reported yet.
    case pending
    /// The driver reported; nil means it has no network (rkt with `net=host`, `none`, or ≤0.6).
    case known(DriverNetwork?)
}

/// Turns a task's services into catalog registrations: interpolation, IDs, and addresses.
public enum RegistrationBuilder {
    /// The output recorded for a check whose target is not known yet.
    public static let waitingOutput = "waiting for the task's network"

    /// Registrations for the services of `task`. With `.pending`, driver-mode services are left
    /// out and driver-mode checks of other services get no target yet; everything else is
    /// resolved now and may throw.
    public static func build(
        task: Task, allocID: String, environment: TaskEnvironment, network: NetworkState
    ) throws(RktError) -> [ServiceRegistration] {
        var registrations: [ServiceRegistration] = []
        for raw in task.services {
            let service = interpolate(raw, environment)
            // A driver-mode service has no address before the driver reports; advertising the
            // agent's address with port 0 meanwhile would mislead consumers, so it waits.
            if network == .pending && needsDriver(serviceMode: service.addressMode) {
                continue
            }
            registrations.append(
                try build(
                    service: service, allocID: allocID, taskName: task.name, networks: task.resources.networks,
                    network: network))
        }
        return registrations
    }

    /// The registration of one already-interpolated service.
    public static func build(
        service: Service, allocID: String, taskName: String, networks: [NetworkResource], network: NetworkState
    ) throws(RktError) -> ServiceRegistration {
        let id = serviceID(allocID: allocID, taskName: taskName, service: service)
        var registration = ServiceRegistration(
            id: id, name: service.name, tags: service.tags, allocID: allocID, taskName: taskName)
        if let driverNetwork = settled(network, needsDriver: needsDriver(serviceMode: service.addressMode)) {
            let resolved = try AddressResolver.serviceAddress(service, networks: networks, driverNetwork: driverNetwork)
            registration.address = resolved.address
            registration.port = resolved.port
        }
        for check in service.checks {
            var entry = CheckRegistration(
                id: checkID(serviceID: id, check: check), name: check.name, type: check.type, path: check.path,
                command: check.command, args: check.args, interval: check.interval, timeout: check.timeout,
                status: .critical, output: waitingOutput)
            if let driverNetwork = settled(network, needsDriver: check.addressMode == "driver") {
                let resolved = try AddressResolver.checkAddress(
                    check, service: service, networks: networks, driverNetwork: driverNetwork)
                entry.address = resolved.address
                entry.port = resolved.port
                entry.output = ""
            }
            registration.checks.append(entry)
        }
        return registration
    }

    /// `_nomad-task-<allocID>-<task>-<service name>-<port label>`.
    public static func serviceID(allocID: String, taskName: String, service: Service) -> String {
        "_nomad-task-\(allocID)-\(taskName)-\(service.name)-\(service.portLabel)"
    }

    /// `_nomad-check-<16 hex digits>`: a hash of the service ID and the check definition. The
    /// address mode takes part only when set, so IDs of checks written without one do not change.
    public static func checkID(serviceID: String, check: ServiceCheck) -> String {
        var hash = StableHash()
        let fields = [
            serviceID, check.name, check.type, check.command, check.path, check.portLabel,
            String(check.interval.components.seconds), String(check.interval.components.attoseconds),
            String(check.timeout.components.seconds), String(check.timeout.components.attoseconds),
        ]
        for field in fields + check.args {
            hash.add(field)
        }
        if !check.addressMode.isEmpty {
            hash.add(check.addressMode)
        }
        return "_nomad-check-\(hash.hex)"
    }

    /// Interpolates the user-written fields of a service and its checks with the task environment.
    public static func interpolate(_ service: Service, _ environment: TaskEnvironment) -> Service {
        var result = service
        result.name = environment.interpolate(service.name)
        result.portLabel = environment.interpolate(service.portLabel)
        result.tags = service.tags.map(environment.interpolate)
        result.checks = service.checks.map { check in
            var copy = check
            copy.name = environment.interpolate(check.name)
            copy.portLabel = environment.interpolate(check.portLabel)
            copy.path = environment.interpolate(check.path)
            copy.command = environment.interpolate(check.command)
            copy.args = check.args.map(environment.interpolate)
            return copy
        }
        return result
    }

    /// Whether a service must wait for the driver's network. `auto` does not: without a network
    /// it means host (always, for rkt), and the update after the driver reports re-resolves it.
    static func needsDriver(serviceMode: String) -> Bool {
        serviceMode == "driver"
    }

    /// The driver network to resolve with, or nil (outer) when resolution must wait.
    /// While pending, host-only items resolve at once, against no driver network.
    private static func settled(_ state: NetworkState, needsDriver: Bool) -> DriverNetwork?? {
        switch state {
        case .known(let network):
            return .some(network)
        case .pending:
            return needsDriver ? nil : .some(nil)
        }
    }
}

/// 64-bit FNV-1a over length-prefixed fields: stable across runs and platforms, unlike `Hasher`.
struct StableHash {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in Array("\(text.utf8.count):".utf8) + Array(text.utf8) {
            state ^= UInt64(byte)
            state = state &* 0x0000_0100_0000_01b3
        }
    }

    var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

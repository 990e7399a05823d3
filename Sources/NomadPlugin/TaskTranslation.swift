import Driver
import JSONCore
import MsgPack
import RktError
import RktSys
import TaskModel

/// Turns Nomad's `TaskConfig` into the driver's `TaskSpec`.
public enum TaskTranslation {
    /// The task's cty-msgpack `config {}` as the JSON value `RktTaskConfig.decode` reads: null attributes are
    /// dropped (absent), integral numbers become integers.
    public static func driverConfig(_ bytes: [UInt8]) throws(RktError) -> JSONValue {
        guard !bytes.isEmpty else {
            throw RktError(.invalidArgument, "the task's driver config is missing")
        }
        do {
            return json(try MsgPackDecoder().decode(bytes))
        } catch {
            throw RktError(.invalidArgument, "the task's driver config is not valid msgpack: \(error)")
        }
    }

    static func json(_ value: MsgPackValue) -> JSONValue {
        switch value {
        case .null, .ext: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .integer(number)
        case .uint(let number): return Int64(exactly: number).map(JSONValue.integer) ?? .double(Double(number))
        case .float(let number): return .double(Double(number))
        case .double(let number):
            return number.rounded() == number && abs(number) < 9e18 ? .integer(Int64(number)) : .double(number)
        case .string(let text): return .string(text)
        case .binary(let bytes): return .string(String(decoding: bytes, as: UTF8.self))
        case .array(let values): return .array(values.map(json))
        case .map(let pairs):
            var members: [String: JSONValue] = [:]
            for pair in pairs {
                guard case .string(let key) = pair.key, pair.value != .null else { continue }
                members[key] = json(pair.value)
            }
            return .object(members)
        }
    }

    /// The spec to start: Nomad's environment (minus values rkt cannot pass), its allocation directory, and
    /// resources with the ports Nomad allocated.
    public static func taskSpec(_ config: TaskConfigMessage, logger: Logger? = nil) throws(RktError) -> TaskSpec {
        guard config.allocDir.hasPrefix("/"), !config.name.isEmpty else {
            throw RktError(.invalidArgument, "task config needs a name and an absolute alloc_dir")
        }
        let allocDir = config.allocDir.hasSuffix("/") ? String(config.allocDir.dropLast()) : config.allocDir
        let slash = allocDir.lastIndex(of: "/") ?? allocDir.startIndex
        let root = String(allocDir[..<slash])
        let directoryName = String(allocDir[allocDir.index(after: slash)...])
        let allocID = config.allocID.isEmpty ? directoryName : config.allocID

        var environment: [String: String] = [:]
        for (key, value) in config.env {
            if value.contains(where: \.isNewline) {
                logger?.warning("environment variable dropped: its value has a newline", ["key": key])
            } else {
                environment[key] = value
            }
        }
        let networks = self.networks(config.resources)
        let hostIP = networks.first { !$0.ip.isEmpty }?.ip ?? "127.0.0.1"
        let task = Task(
            name: config.name, driver: "rkt", user: config.user, config: try driverConfig(config.msgpackDriverConfig),
            env: environment,
            resources: Resources(
                cpu: Int(config.resources.cpuShares > 0 ? config.resources.cpuShares : 100),
                memoryMB: Int(config.resources.memoryMB > 0 ? config.resources.memoryMB : 300), networks: networks))
        let group = TaskGroup(name: config.taskGroupName.isEmpty ? config.name : config.taskGroupName, tasks: [task])
        let job = Job(
            id: environment["NOMAD_JOB_ID"] ?? config.jobName, name: config.jobName.isEmpty ? nil : config.jobName,
            region: environment["NOMAD_REGION"] ?? "global", namespace: environment["NOMAD_NAMESPACE"] ?? "default",
            taskGroups: [group])
        return TaskSpec(
            job: job, group: group, task: task, allocID: allocID,
            allocIndex: Int(environment["NOMAD_ALLOC_INDEX"] ?? "") ?? 0,
            allocDirectory: AllocDirectory(root: root, allocID: directoryName), hostIP: hostIP,
            node: NodeContext(datacenter: environment["NOMAD_DC"] ?? "dc1"),
            outputPaths: config.stdoutPath.isEmpty || config.stderrPath.isEmpty
                ? nil : (config.stdoutPath, config.stderrPath))
    }

    /// Task-level networks, then one network holding the group's port mappings.
    static func networks(_ resources: TaskResourcesMessage) -> [NetworkResource] {
        var networks = resources.networks.map { network in
            NetworkResource(
                ip: network.ip, mbits: Int(network.mbits),
                reservedPorts: network.reservedPorts.map { Port(label: $0.label, value: Int($0.value)) },
                dynamicPorts: network.dynamicPorts.map { Port(label: $0.label, value: Int($0.value)) })
        }
        if !resources.ports.isEmpty {
            networks.append(
                NetworkResource(
                    ip: resources.ports.first { !$0.hostIP.isEmpty }?.hostIP ?? "",
                    reservedPorts: resources.ports.map { Port(label: $0.label, value: Int($0.value)) }))
        }
        return networks
    }
}

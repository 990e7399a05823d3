/// Everything the `NOMAD_*` set is computed from.
public struct TaskEnvironmentInput: Sendable {
    public var job: Job
    public var group: TaskGroup
    /// The task, with its networks' dynamic ports already allocated.
    public var task: Task
    public var allocID: String
    public var allocIndex: Int
    public var node: NodeContext
    /// The host IP ports are bound on, used when a network has no `IP` of its own.
    public var hostIP: String
    /// Port label → container port, when the driver maps ports (from Prestart); empty otherwise.
    public var containerPorts: [String: Int]

    public init(
        job: Job, group: TaskGroup, task: Task, allocID: String, allocIndex: Int = 0, node: NodeContext,
        hostIP: String, containerPorts: [String: Int] = [:]
    ) {
        self.job = job
        self.group = group
        self.task = task
        self.allocID = allocID
        self.allocIndex = allocIndex
        self.node = node
        self.hostIP = hostIP
        self.containerPorts = containerPorts
    }
}

extension TaskEnvironment {
    /// Builds the environment of an image-isolated task.
    ///
    /// The task's `env` block is interpolated against the `NOMAD_*` set and node data only (not
    /// against other `env` entries, whose order would make the result ambiguous) and overrides
    /// `NOMAD_*` keys of the same name. A value containing a newline is rejected, naming the key:
    /// rkt writes the environment one `KEY=VALUE` per line, so such a value would corrupt it.
    public static func build(_ input: TaskEnvironmentInput) throws(SpecError) -> TaskEnvironment {
        var base = standardVariables(input)
        for (key, value) in portVariables(input) {
            base[key] = value
        }
        let baseEnvironment = TaskEnvironment(variables: base, node: input.node)
        var all = base
        for (key, value) in input.task.env {
            all[sanitizeKey(key)] = baseEnvironment.interpolate(value)
        }
        let path = [SpecPath.group(input.group.name, index: 0), SpecPath.task(input.task.name, index: 0), "env"]
        let bad = all.keys.sorted().filter { all[$0]?.contains(where: \.isNewline) ?? false }
        guard bad.isEmpty else {
            throw SpecError(
                bad.map { SpecIssue(path: path, "value of \"\($0)\" contains a newline, which rkt cannot pass") })
        }
        return TaskEnvironment(variables: all, node: input.node)
    }

    static func standardVariables(_ input: TaskEnvironmentInput) -> [String: String] {
        let job = input.job
        var variables: [String: String] = [
            "NOMAD_ALLOC_DIR": "/alloc",
            "NOMAD_TASK_DIR": "/local",
            "NOMAD_SECRETS_DIR": "/secrets",
            "NOMAD_MEMORY_LIMIT": String(input.task.resources.memoryMB),
            "NOMAD_CPU_LIMIT": String(input.task.resources.cpu),
            "NOMAD_ALLOC_ID": input.allocID,
            "NOMAD_ALLOC_NAME": "\(job.id).\(input.group.name)[\(input.allocIndex)]",
            "NOMAD_ALLOC_INDEX": String(input.allocIndex),
            "NOMAD_TASK_NAME": input.task.name,
            "NOMAD_GROUP_NAME": input.group.name,
            "NOMAD_JOB_NAME": job.name,
            "NOMAD_DC": input.node.datacenter,
            "NOMAD_REGION": job.region,
            "NOMAD_NAMESPACE": job.namespace,
        ]
        let meta = job.meta.merging(input.group.meta) { $1 }.merging(input.task.meta) { $1 }
        for (key, value) in meta {
            let clean = sanitizeKey(key)
            variables["NOMAD_META_" + clean] = value
            variables["NOMAD_META_" + clean.uppercased()] = value
        }
        return variables
    }

    /// `NOMAD_IP_`, `NOMAD_PORT_`, `NOMAD_HOST_PORT_` and `NOMAD_ADDR_` for every port.
    static func portVariables(_ input: TaskEnvironmentInput) -> [String: String] {
        var variables: [String: String] = [:]
        for network in input.task.resources.networks {
            let ip = network.ip.isEmpty ? input.hostIP : network.ip
            for port in network.reservedPorts + network.dynamicPorts {
                let label = sanitizeKey(port.label)
                let mapped = input.containerPorts[port.label].flatMap { $0 == 0 ? nil : $0 }
                variables["NOMAD_IP_" + label] = ip
                variables["NOMAD_HOST_PORT_" + label] = String(port.value)
                variables["NOMAD_PORT_" + label] = String(mapped ?? port.value)
                variables["NOMAD_ADDR_" + label] = joinHostPort(ip, port.value)
            }
        }
        return variables
    }

    /// `host:port`, with the host in brackets when it is an IPv6 address.
    public static func joinHostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

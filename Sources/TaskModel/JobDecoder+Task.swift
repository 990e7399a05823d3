import JSONCore

/// Task-level decoding: the task itself, its resources and its services.
extension JobDecoder {
    static func decodeTask(_ reader: inout ObjectReader) -> Task {
        reader.rejectUnknown(allowed: JobFields.task.union(JobFields.taskAccepted))
        var task = Task(name: reader.string("Name") ?? "", driver: reader.string("Driver") ?? "")
        task.user = reader.string("User") ?? ""
        task.config = reader.object("Config").map(JSONValue.object) ?? .object([:])
        task.env = reader.stringMap("Env") ?? [:]
        task.meta = reader.stringMap("Meta") ?? [:]
        task.killTimeout = reader.int64("KillTimeout").map(Duration.nanoseconds) ?? Task.defaultKillTimeout
        task.killSignal = reader.string("KillSignal") ?? ""
        if let fields = reader.object("LogConfig") {
            var sub = ObjectReader(fields, path: reader.path + ["logs"])
            sub.rejectUnknown(allowed: JobFields.logConfig)
            task.logConfig = LogConfig(
                maxFiles: sub.int("MaxFiles") ?? 10, maxFileSizeMB: sub.int("MaxFileSizeMB") ?? 10)
            reader.absorb(sub.issues)
        }
        if let fields = reader.object("Resources") {
            var sub = ObjectReader(fields, path: reader.path + ["resources"])
            task.resources = decodeResources(&sub)
            reader.absorb(sub.issues)
        }
        for (index, fields) in reader.objects("Services") {
            let name = fields["Name"]?.stringValue ?? ""
            var sub = ObjectReader(fields, path: reader.path + [SpecPath.service(name, index: index)])
            task.services.append(decodeService(&sub))
            reader.absorb(sub.issues)
        }
        return task
    }

    static func decodeResources(_ reader: inout ObjectReader) -> Resources {
        reader.rejectUnknown(allowed: JobFields.resources.union(JobFields.resourcesAccepted))
        var resources = Resources()
        resources.cpu = reader.int("CPU") ?? resources.cpu
        resources.memoryMB = reader.int("MemoryMB") ?? resources.memoryMB
        for (index, fields) in reader.objects("Networks") {
            var sub = ObjectReader(fields, path: reader.path + ["network[\(index)]"])
            sub.rejectUnknown(allowed: JobFields.network.union(JobFields.networkAccepted))
            var network = NetworkResource(ip: sub.string("IP") ?? "", mbits: sub.int("MBits") ?? 10)
            network.reservedPorts = decodePorts(&sub, "ReservedPorts")
            network.dynamicPorts = decodePorts(&sub, "DynamicPorts")
            resources.networks.append(network)
            reader.absorb(sub.issues)
        }
        return resources
    }

    static func decodePorts(_ reader: inout ObjectReader, _ key: String) -> [Port] {
        var ports: [Port] = []
        for (index, fields) in reader.objects(key) {
            var sub = ObjectReader(fields, path: reader.path + ["\(key)[\(index)]"])
            sub.rejectUnknown(allowed: JobFields.port.union(JobFields.portAccepted))
            ports.append(Port(label: sub.string("Label") ?? "", value: sub.int("Value") ?? 0))
            reader.absorb(sub.issues)
        }
        return ports
    }

    static func decodeService(_ reader: inout ObjectReader) -> Service {
        reader.rejectUnknown(allowed: JobFields.service.union(JobFields.serviceAccepted))
        var service = Service(name: reader.string("Name") ?? "", portLabel: reader.string("PortLabel") ?? "")
        service.tags = reader.strings("Tags") ?? []
        service.addressMode = reader.string("AddressMode").flatMap { $0.isEmpty ? nil : $0 } ?? "auto"
        for (index, fields) in reader.objects("Checks") {
            let name = fields["Name"]?.stringValue ?? ""
            var sub = ObjectReader(fields, path: reader.path + [SpecPath.check(name, index: index)])
            service.checks.append(decodeCheck(&sub))
            reader.absorb(sub.issues)
        }
        return service
    }

    static func decodeCheck(_ reader: inout ObjectReader) -> ServiceCheck {
        reader.rejectUnknown(allowed: JobFields.check.union(JobFields.checkAccepted))
        var check = ServiceCheck(name: reader.string("Name") ?? "", type: reader.string("Type") ?? "")
        check.portLabel = reader.string("PortLabel") ?? ""
        check.path = reader.string("Path") ?? ""
        check.interval = reader.int64("Interval").map(Duration.nanoseconds) ?? check.interval
        check.timeout = reader.int64("Timeout").map(Duration.nanoseconds) ?? check.timeout
        check.addressMode = reader.string("AddressMode") ?? ""
        check.command = reader.string("Command") ?? ""
        check.args = reader.strings("Args") ?? []
        return check
    }
}

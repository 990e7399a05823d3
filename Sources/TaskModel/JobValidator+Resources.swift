/// Resource, port, service and check rules.
extension JobValidator {
    static func resourceIssues(_ resources: Resources, path: [String]) -> [SpecIssue] {
        var found: [SpecIssue] = []
        func add(_ message: String) {
            found.append(SpecIssue(path: path, message))
        }
        if resources.cpu < 1 {
            add("field \"CPU\" must be at least 1 MHz; got \(resources.cpu)")
        }
        if resources.memoryMB < 1 {
            add("field \"MemoryMB\" must be at least 1; got \(resources.memoryMB)")
        }
        let ports = resources.allPorts
        if ports.contains(where: { $0.label.isEmpty }) {
            add("every port needs a label")
        }
        for label in duplicates(ports.map(\.label)) {
            add("port label \"\(label)\" is defined more than once")
        }
        let reserved = resources.networks.flatMap(\.reservedPorts)
        for port in reserved where !(1...65535).contains(port.value) {
            add("reserved port \"\(port.label)\" has invalid value \(port.value)")
        }
        for value in duplicates(reserved.map { String($0.value) }) {
            add("reserved port \(value) is used more than once")
        }
        return found
    }

    static func serviceIssues(_ service: Service, portLabels: Set<String>, path: [String]) -> [SpecIssue] {
        var found: [SpecIssue] = []
        func add(_ message: String) {
            found.append(SpecIssue(path: path, message))
        }
        if service.name.isEmpty {
            add("field \"Name\" is required")
        }
        if !Service.addressModes.contains(service.addressMode) {
            add("service address_mode must be \"auto\", \"host\", or \"driver\"; not \"\(service.addressMode)\"")
        }
        let label = service.portLabel
        if let number = Int(label) {
            if number <= 0 {
                add("service \"\(service.name)\" has invalid numeric port \(number)")
            } else if service.addressMode != "driver" {
                add(
                    "service \"\(service.name)\" cannot use a numeric port \(number) without setting address_mode=\"driver\""
                )
            }
        } else if !label.isEmpty, !portLabels.contains(label) {
            add("port label \"\(label)\" is not defined in the task's network resources")
        }
        for (index, check) in service.checks.enumerated() {
            let checkPath = path + [SpecPath.check(check.name, index: index)]
            found += checkIssues(check, servicePort: label, path: checkPath)
        }
        return found
    }

    static func checkIssues(_ check: ServiceCheck, servicePort: String, path: [String]) -> [SpecIssue] {
        var found: [SpecIssue] = []
        func add(_ message: String) {
            found.append(SpecIssue(path: path, message))
        }
        if !["http", "tcp", "grpc", "script"].contains(check.type) {
            add("check type must be \"http\", \"tcp\", \"grpc\", or \"script\"; not \"\(check.type)\"")
        }
        if check.addressMode == "auto" {
            add("invalid address_mode \"auto\" - auto only valid for services")
        } else if !["", "host", "driver"].contains(check.addressMode) {
            add("invalid address_mode \"\(check.addressMode)\"")
        }
        if check.interval <= .zero || check.timeout <= .zero {
            add("interval and timeout must be greater than zero")
        }
        if check.type == "script", check.command.isEmpty {
            add("script checks need a command")
        }
        if check.type == "http", check.path.isEmpty {
            add("http checks need a path")
        }
        let port = check.portLabel.isEmpty ? servicePort : check.portLabel
        if check.requiresPort, port.isEmpty {
            add("check \"\(check.name)\" is missing a port")
        }
        if check.type != "script", let number = Int(port) {
            if number <= 0 {
                add("check \"\(check.name)\" has invalid numeric port \(number)")
            } else if check.addressMode != "driver" {
                add(
                    "check \"\(check.name)\" cannot use a numeric port \(number) without setting address_mode=\"driver\""
                )
            }
        }
        return found
    }
}

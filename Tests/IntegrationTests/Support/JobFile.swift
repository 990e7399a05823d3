import Foundation

/// A one-task Nomad JSON job (the shape of examples/hello/job.json, fields the driver reads).
struct JobFile {
    var taskName = "app"
    var config: [String: Any]
    var reservedPorts: [String: Int] = [:]
    var env: [String: String] = [:]
    var memoryMB = 64
    var killTimeoutSeconds = 5
    /// Nomad `Services` entries, as JSON objects.
    var services: [[String: Any]] = []

    /// The job as JSON text.
    func json() throws -> String {
        var resources: [String: Any] = ["CPU": 200, "MemoryMB": memoryMB]
        if !reservedPorts.isEmpty {
            let ports = reservedPorts.sorted { $0.key < $1.key }.map { ["Label": $0.key, "Value": $0.value, "To": 0] }
            resources["Networks"] = [["MBits": 10, "ReservedPorts": ports]]
        }
        var task: [String: Any] = [
            "Name": taskName, "Driver": "rkt", "Config": config, "Env": env, "Resources": resources,
            "KillTimeout": killTimeoutSeconds * 1_000_000_000,
        ]
        if !services.isEmpty {
            task["Services"] = services
        }
        let group: [String: Any] = ["Name": "group", "Count": 1, "Tasks": [task]]
        let job: [String: Any] = [
            "Job": [
                "ID": "integration", "Name": "integration", "Type": "service", "Datacenters": ["dc1"],
                "TaskGroups": [group],
            ]
        ]
        let data = try JSONSerialization.data(withJSONObject: job, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

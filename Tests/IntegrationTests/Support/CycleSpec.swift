import Driver
import Foundation
import JSONCore
import TaskModel

/// A one-task spec for driving `RktDriver` directly: the httpd image with its port mapped.
enum CycleSpec {
    static func make(image: String, port: Int, dataDirectory: String, cycle: Int) throws -> TaskSpec {
        var task = Task(name: "httpd", driver: "rkt")
        task.config = .object(["image": .string(image), "port_map": .object(["http": .string("http")])])
        task.resources = Resources(
            cpu: 100, memoryMB: 32, networks: [NetworkResource(reservedPorts: [Port(label: "http", value: port)])])
        task.killTimeout = .seconds(5)
        let group = TaskGroup(name: "cycle", tasks: [task])
        let job = Job(id: "cycles-\(cycle)", name: "cycles")
        let allocID = UUID().uuidString.lowercased()
        let allocDirectory = AllocDirectory(root: "\(dataDirectory)/alloc", allocID: allocID)
        try allocDirectory.build(tasks: ["httpd"])
        return TaskSpec(
            job: job, group: group, task: task, allocID: allocID, allocDirectory: allocDirectory, hostIP: "127.0.0.1",
            node: NodeContext(datacenter: "dc1"))
    }
}

import Driver
import RktError
import Services
import TaskModel
import Testing

@Suite("Service manager lifecycle")
struct ServiceManagerTests {
    /// Host IP 127.0.0.1 and pod IP 127.0.0.2 share the port number; only the pod listens.
    static func task(port: Int, serviceLabel: String = "http") -> Task {
        let podCheck = ServiceCheck(
            name: "pod-alive", type: "http", path: "/health", interval: .milliseconds(100), timeout: .seconds(1),
            addressMode: "driver")
        let hostCheck = ServiceCheck(
            name: "host-alive", type: "tcp", interval: .milliseconds(100), timeout: .seconds(1), addressMode: "host")
        let driverService = Service(
            name: "${NOMAD_TASK_NAME}-www", portLabel: serviceLabel, tags: ["dc-${node.datacenter}"],
            addressMode: "driver", checks: [podCheck, hostCheck])
        let hostService = Service(name: "web-admin", portLabel: "http", addressMode: "host")
        let network = NetworkResource(ip: "127.0.0.1", reservedPorts: [Port(label: "http", value: port)])
        return Task(name: "web", resources: Resources(networks: [network]), services: [driverService, hostService])
    }

    static let environment = TaskEnvironment(
        variables: ["NOMAD_TASK_NAME": "web"], node: NodeContext(datacenter: "dc1"))

    @Test func driverModeCheckProbesThePodAddressNotTheHost() async throws {
        let pod = try LoopbackServer(host: "127.0.0.2") { _ in (200, "pod ok") }
        defer { pod.stop() }
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let catalog = EmbeddedCatalog(path: "\(directory.path)/catalog.json")
        let manager = ServiceManager(
            task: Self.task(port: pod.port), allocID: "a1", environment: Self.environment, catalog: catalog,
            exec: nil, logger: quietLogger)

        try await manager.start()
        let early = try catalog.list()
        #expect(early.map(\.id) == ["_nomad-task-a1-web-web-admin-http"])
        #expect(early.first?.address == "127.0.0.1")
        #expect(early.first?.port == pod.port)
        #expect(manager.runningCheckIDs.isEmpty)

        try await manager.networkKnown(DriverNetwork(ip: "127.0.0.2", portMap: ["http": pod.port]))
        let service = try #require(try catalog.list().first { $0.name == "web-www" })
        #expect(service.id == "_nomad-task-a1-web-web-www-http")
        #expect(service.tags == ["dc-dc1"])
        #expect(service.address == "127.0.0.2")
        #expect(service.port == pod.port)

        let settled = try await eventually {
            let checks = try catalog.list().flatMap(\.checks)
            return checks.allSatisfy { $0.output != RegistrationBuilder.waitingOutput && !$0.output.isEmpty }
        }
        #expect(settled)
        let checks = try #require(try catalog.list().first { $0.name == "web-www" }?.checks)
        let podCheck = try #require(checks.first { $0.name == "pod-alive" })
        let hostCheck = try #require(checks.first { $0.name == "host-alive" })
        #expect(podCheck.status == .passing)
        #expect(podCheck.output.hasPrefix("HTTP GET http://127.0.0.2:\(pod.port)/health: 200 OK"))
        #expect(hostCheck.status == .critical)
        #expect(hostCheck.output.hasSuffix("Connection refused"))
        #expect(hostCheck.address == "127.0.0.1")

        await manager.stop()
        #expect(try catalog.list().isEmpty)
        #expect(manager.runningCheckIDs.isEmpty)
    }

    @Test func labelAbsentFromThePortMapErrorsAndNeverRegistersPortZero() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let catalog = EmbeddedCatalog(path: "\(directory.path)/catalog.json")
        let manager = ServiceManager(
            task: Self.task(port: 8080), allocID: "a1", environment: Self.environment, catalog: catalog, exec: nil,
            logger: quietLogger)
        try await manager.start()

        let error = await #expect(throws: RktError.self) {
            try await manager.networkKnown(DriverNetwork(ip: "127.0.0.2", portMap: ["db": 6379]))
        }
        #expect(
            error?.message
                == "unable to get address for service \"web-www\": invalid port label \"http\": port labels in driver "
                + "address_mode must be numeric or in the driver's port map")
        #expect(try catalog.list().allSatisfy { $0.name != "web-www" })
        #expect(try catalog.list().allSatisfy { $0.port != 0 })
        await manager.stop()
        #expect(try catalog.list().isEmpty)
    }

    @Test func driverModeWithoutADriverNetworkIsFatal() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let manager = ServiceManager(
            task: Self.task(port: 8080), allocID: "a1", environment: Self.environment,
            catalog: EmbeddedCatalog(path: "\(directory.path)/catalog.json"), exec: nil, logger: quietLogger)
        try await manager.start()
        let error = await #expect(throws: RktError.self) { try await manager.networkKnown(nil) }
        #expect(
            error?.message
                == "unable to get address for service \"web-www\": cannot use address_mode=\"driver\": no driver "
                + "network exists")
        await manager.stop()
    }

    @Test func withConsulOnlyScriptChecksRunLocally() async throws {
        let agent = try FakeConsulAgent()
        defer { agent.stop() }
        var task = Self.task(port: 8080)
        task.services[1].checks = [
            ServiceCheck(name: "script", type: "script", interval: .milliseconds(100), command: "/bin/ok")
        ]
        let manager = ServiceManager(
            task: task, allocID: "a1", environment: Self.environment,
            catalog: try ConsulCatalog(address: agent.address),
            exec: { _, _, _ in ("fine", 0) }, logger: quietLogger)
        try await manager.start()
        try await manager.networkKnown(DriverNetwork(ip: "127.0.0.2", portMap: ["http": 80]))

        #expect(manager.runningCheckIDs.count == 1)
        #expect(await eventually { agent.checkStatuses.values.contains("passing") })
        await manager.stop()
        #expect(agent.violations.isEmpty)
        #expect(agent.server.requests.last?.path.hasPrefix("/v1/agent/service/deregister/") == true)
    }
}

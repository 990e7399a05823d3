import RktSys
import Services
import TaskModel
import Testing

@Suite("Registration model")
struct RegistrationModelTests {
    @Test func serviceIDFollowsNomad() {
        let service = Service(name: "www", portLabel: "http")
        #expect(
            RegistrationBuilder.serviceID(allocID: "5d3f", taskName: "web", service: service)
                == "_nomad-task-5d3f-web-www-http")
    }

    @Test func checkIDIsStableAndIgnoresAnEmptyAddressMode() {
        let check = ServiceCheck(name: "alive", type: "http", path: "/")
        let first = RegistrationBuilder.checkID(serviceID: "s", check: check)
        #expect(first == RegistrationBuilder.checkID(serviceID: "s", check: check))
        #expect(first.hasPrefix("_nomad-check-") && first.count == "_nomad-check-".count + 16)
        #expect(first != RegistrationBuilder.checkID(serviceID: "t", check: check))

        var host = check
        host.addressMode = "host"
        #expect(first != RegistrationBuilder.checkID(serviceID: "s", check: host))
    }

    @Test(arguments: [
        (Duration.seconds(10), "10s"), (.milliseconds(1500), "1500ms"), (.zero, "0s"), (.milliseconds(250), "250ms"),
    ])
    func goDurations(duration: Duration, text: String) {
        #expect(GoDuration.format(duration) == text)
        #expect(GoDuration.parse(text) == duration)
    }

    @Test func checkRoundTripsThroughJSON() throws {
        let check = CheckRegistration(
            id: "c", name: "n", type: "script", command: "/bin/x", args: ["a"], interval: .milliseconds(1500),
            status: .warning, output: "o")
        #expect(try JSON.decode(CheckRegistration.self, from: try JSON.encode(check)) == check)
    }

    @Test func pendingBuildLeavesDriverServicesOutAndDriverChecksUnresolved() throws {
        let checks = [
            ServiceCheck(name: "d", type: "tcp", addressMode: "driver"), ServiceCheck(name: "h", type: "tcp"),
        ]
        let task = Task(
            name: "web",
            resources: Resources(networks: [
                NetworkResource(ip: "10.0.0.1", dynamicPorts: [Port(label: "http", value: 2000)])
            ]),
            services: [
                Service(name: "a", portLabel: "http", checks: checks),
                Service(name: "b", portLabel: "http", addressMode: "driver"),
            ])
        let built = try RegistrationBuilder.build(
            task: task, allocID: "x",
            environment: TaskEnvironment(variables: [:], node: NodeContext(datacenter: "dc1")),
            network: .pending)
        #expect(built.map(\.name) == ["a"])
        #expect(built[0].address == "10.0.0.1" && built[0].port == 2000)
        #expect(built[0].checks.map(\.port) == [0, 2000])
        #expect(built[0].checks.map(\.output) == [RegistrationBuilder.waitingOutput, ""])
    }
}

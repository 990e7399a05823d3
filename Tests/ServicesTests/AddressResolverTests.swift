import Driver
import RktError
import Services
import TaskModel
import Testing

/// What a resolution should produce: an address, or an error with this exact message.
enum Expected: Sendable {
    case address(ResolvedAddress)
    case error(String)
}

/// One row of the §4.3 table: a mode, a label, the driver network, and the expected outcome.
struct ResolutionRow: CustomTestStringConvertible, Sendable {
    let name: String
    let mode: String
    let label: String
    let driver: DriverNetwork?
    let expected: Expected

    var testDescription: String { name }
}

/// Two host networks: "http" reserved on the first, "admin" dynamic on the second.
let twoNetworks = [
    NetworkResource(ip: "10.0.0.1", reservedPorts: [Port(label: "http", value: 8080)]),
    NetworkResource(ip: "10.0.0.2", dynamicPorts: [Port(label: "admin", value: 25_000)]),
]
let oneNetwork = [
    NetworkResource(
        ip: "10.0.0.1", reservedPorts: [Port(label: "http", value: 8080)],
        dynamicPorts: [Port(label: "db", value: 23_456)])
]
let pod = DriverNetwork(ip: "172.16.28.5", portMap: ["http": 80, "db": 6379])
let advertisingPod = DriverNetwork(ip: "172.16.28.5", portMap: ["http": 80], autoAdvertise: true)

private func ok(_ address: String, _ port: Int) -> Expected {
    .address(ResolvedAddress(address: address, port: port))
}

let resolutionRows: [ResolutionRow] = [
    // auto: driver only when the driver asks for it (rkt never does).
    ResolutionRow(
        name: "auto, no driver network → host", mode: "auto", label: "http", driver: nil, expected: ok("10.0.0.1", 8080)
    ),
    ResolutionRow(
        name: "auto, rkt network (no AutoAdvertise) → host", mode: "auto", label: "http", driver: pod,
        expected: ok("10.0.0.1", 8080)),
    ResolutionRow(
        name: "auto, AutoAdvertise → driver", mode: "auto", label: "http", driver: advertisingPod,
        expected: ok("172.16.28.5", 80)),
    ResolutionRow(
        name: "auto, AutoAdvertise, unmapped label → driver error", mode: "auto", label: "admin",
        driver: advertisingPod,
        expected: .error(
            "invalid port label \"admin\": port labels in driver address_mode must be numeric or in the driver's port map"
        )),
    ResolutionRow(
        name: "auto, unknown label → host error", mode: "auto", label: "nope", driver: nil,
        expected: .error("invalid port \"nope\": port label not found")),
    // host
    ResolutionRow(
        name: "host, reserved port", mode: "host", label: "http", driver: pod, expected: ok("10.0.0.1", 8080)),
    ResolutionRow(
        name: "host, dynamic port of the second network", mode: "host", label: "admin", driver: pod,
        expected: ok("10.0.0.2", 25_000)),
    ResolutionRow(
        name: "host, empty label, two networks → agent address", mode: "host", label: "", driver: pod,
        expected: ok("", 0)),
    ResolutionRow(
        name: "host, unknown label", mode: "host", label: "nope", driver: pod,
        expected: .error("invalid port \"nope\": port label not found")),
    ResolutionRow(
        name: "host, numeric label is still a label", mode: "host", label: "8080", driver: pod,
        expected: .error("invalid port \"8080\": port label not found")),
    // driver
    ResolutionRow(
        name: "driver, no network", mode: "driver", label: "http", driver: nil,
        expected: .error("cannot use address_mode=\"driver\": no driver network exists")),
    ResolutionRow(
        name: "driver, no network, empty label", mode: "driver", label: "", driver: nil,
        expected: .error("cannot use address_mode=\"driver\": no driver network exists")),
    ResolutionRow(
        name: "driver, empty label → pod IP, port 0", mode: "driver", label: "", driver: pod,
        expected: ok("172.16.28.5", 0)),
    ResolutionRow(
        name: "driver, mapped label → container port", mode: "driver", label: "db", driver: pod,
        expected: ok("172.16.28.5", 6379)),
    ResolutionRow(
        name: "driver, label absent from port map → error, never port 0", mode: "driver", label: "admin", driver: pod,
        expected: .error(
            "invalid port label \"admin\": port labels in driver address_mode must be numeric or in the driver's port map"
        )),
    ResolutionRow(
        name: "driver, numeric port", mode: "driver", label: "9000", driver: pod, expected: ok("172.16.28.5", 9000)),
    ResolutionRow(
        name: "driver, port 0", mode: "driver", label: "0", driver: pod,
        expected: .error("invalid port: \"0\": port must be >0")),
    ResolutionRow(
        name: "driver, negative port", mode: "driver", label: "-3", driver: pod,
        expected: .error("invalid port: \"-3\": port must be >0")),
    // invalid
    ResolutionRow(
        name: "unknown mode", mode: "bridge", label: "http", driver: pod,
        expected: .error("service address_mode must be \"auto\", \"host\", or \"driver\"; not \"bridge\"")),
]

@Suite("Address resolution (Nomad 0.8, §4.3)")
struct AddressResolverTests {
    @Test(arguments: resolutionRows)
    func resolve(row: ResolutionRow) {
        let result = Result { () throws(RktError) in
            try AddressResolver.resolve(
                mode: row.mode, portLabel: row.label, networks: twoNetworks, driverNetwork: row.driver)
        }
        switch (result, row.expected) {
        case (.success(let got), .address(let want)):
            #expect(got == want)
        case (.failure(let error), .error(let message)):
            #expect(error.message == message)
            #expect(error.code == .invalidArgument)
        default:
            Issue.record("got \(result), want \(row.expected)")
        }
    }

    @Test func hostEmptyLabelWithOneNetworkUsesItsIP() throws {
        let got = try AddressResolver.resolve(mode: "host", portLabel: "", networks: oneNetwork, driverNetwork: nil)
        #expect(got == ResolvedAddress(address: "10.0.0.1", port: 0))
    }

    @Test func hostEmptyLabelWithNoNetworks() throws {
        let got = try AddressResolver.resolve(mode: "host", portLabel: "", networks: [], driverNetwork: nil)
        #expect(got == .none)
    }

    @Test func serviceErrorsAreWrappedWithTheServiceName() {
        let service = Service(name: "redis-cache", portLabel: "admin", addressMode: "driver")
        let error = #expect(throws: RktError.self) {
            try AddressResolver.serviceAddress(service, networks: twoNetworks, driverNetwork: pod)
        }
        #expect(
            error?.message
                == "unable to get address for service \"redis-cache\": invalid port label \"admin\": port labels in "
                + "driver address_mode must be numeric or in the driver's port map")
    }

    @Test func driverServiceWithoutNetworkIsAnError() {
        let service = Service(name: "web", portLabel: "http", addressMode: "driver")
        let error = #expect(throws: RktError.self) {
            try AddressResolver.serviceAddress(service, networks: twoNetworks, driverNetwork: nil)
        }
        #expect(
            error?.message
                == "unable to get address for service \"web\": cannot use address_mode=\"driver\": no driver network exists"
        )
    }

    @Test func driverServiceWithoutPortAdvertisesPodIPWithPortZero() throws {
        let service = Service(name: "web", addressMode: "driver")
        let got = try AddressResolver.serviceAddress(service, networks: twoNetworks, driverNetwork: pod)
        #expect(got == ResolvedAddress(address: "172.16.28.5", port: 0))
    }
}

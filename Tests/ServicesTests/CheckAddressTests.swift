import Driver
import RktError
import Services
import TaskModel
import Testing

/// One check-address row: the check's mode and label, the service's label, and the outcome.
struct CheckRow: CustomTestStringConvertible, Sendable {
    let name: String
    let type: String
    let mode: String
    let checkLabel: String
    let serviceLabel: String
    let serviceMode: String
    let driver: DriverNetwork?
    let expected: Expected

    var testDescription: String { name }
}

private func ok(_ address: String, _ port: Int) -> Expected {
    .address(ResolvedAddress(address: address, port: port))
}

private func wrapped(_ message: String) -> Expected {
    .error("error getting address for check \"alive\": \(message)")
}

let checkRows: [CheckRow] = [
    CheckRow(
        name: "default mode is host even when the service is driver", type: "tcp", mode: "", checkLabel: "",
        serviceLabel: "http", serviceMode: "driver", driver: pod, expected: ok("10.0.0.1", 8080)),
    CheckRow(
        name: "driver mode probes the pod address (regression)", type: "http", mode: "driver", checkLabel: "",
        serviceLabel: "http", serviceMode: "driver", driver: pod, expected: ok("172.16.28.5", 80)),
    CheckRow(
        name: "explicit host mode", type: "http", mode: "host", checkLabel: "admin", serviceLabel: "http",
        serviceMode: "driver", driver: pod, expected: ok("10.0.0.2", 25_000)),
    CheckRow(
        name: "own label overrides the service's", type: "tcp", mode: "driver", checkLabel: "db", serviceLabel: "http",
        serviceMode: "host", driver: pod, expected: ok("172.16.28.5", 6379)),
    CheckRow(
        name: "numeric driver port", type: "tcp", mode: "driver", checkLabel: "8500", serviceLabel: "http",
        serviceMode: "host", driver: pod, expected: ok("172.16.28.5", 8500)),
    CheckRow(
        name: "auto is rejected for checks", type: "tcp", mode: "auto", checkLabel: "", serviceLabel: "http",
        serviceMode: "auto", driver: pod,
        expected: wrapped("invalid address_mode \"auto\" - auto only valid for services")),
    CheckRow(
        name: "unknown check mode", type: "tcp", mode: "bridge", checkLabel: "", serviceLabel: "http",
        serviceMode: "auto",
        driver: pod, expected: wrapped("invalid address_mode \"bridge\"")),
    CheckRow(
        name: "driver mode without network", type: "http", mode: "driver", checkLabel: "", serviceLabel: "http",
        serviceMode: "driver", driver: nil,
        expected: wrapped("cannot use address_mode=\"driver\": no driver network exists")),
    CheckRow(
        name: "driver mode, label absent from port map", type: "http", mode: "driver", checkLabel: "admin",
        serviceLabel: "http", serviceMode: "driver", driver: pod,
        expected: wrapped(
            "invalid port label \"admin\": port labels in driver address_mode must be numeric or in the driver's port map"
        )),
    CheckRow(
        name: "host mode, unknown label", type: "tcp", mode: "host", checkLabel: "nope", serviceLabel: "http",
        serviceMode: "host", driver: nil, expected: wrapped("invalid port \"nope\": port label not found")),
    CheckRow(
        name: "script checks get no address, whatever the mode", type: "script", mode: "driver", checkLabel: "nope",
        serviceLabel: "http", serviceMode: "driver", driver: nil, expected: ok("", 0)),
]

@Suite("Check address resolution")
struct CheckAddressTests {
    @Test(arguments: checkRows)
    func resolve(row: CheckRow) {
        let check = ServiceCheck(name: "alive", type: row.type, portLabel: row.checkLabel, addressMode: row.mode)
        let service = Service(name: "web", portLabel: row.serviceLabel, addressMode: row.serviceMode, checks: [check])
        let result = Result { () throws(RktError) in
            try AddressResolver.checkAddress(check, service: service, networks: twoNetworks, driverNetwork: row.driver)
        }
        switch (result, row.expected) {
        case (.success(let got), .address(let want)):
            #expect(got == want)
        case (.failure(let error), .error(let message)):
            #expect(error.message == message)
        default:
            Issue.record("got \(result), want \(row.expected)")
        }
    }
}

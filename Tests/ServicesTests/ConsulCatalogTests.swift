import Foundation
import RktError
import Services
import Testing

/// ConsulCatalog against `FakeConsulAgent`, a loopback server that checks each request against
/// Consul's documented agent API. No Consul binary is available here.
@Suite("Consul catalog (loopback fake agent)")
struct ConsulCatalogTests {
    static func registration() -> ServiceRegistration {
        ServiceRegistration(
            id: "_nomad-task-a1-web-www-http", name: "www", tags: ["v1", "edge"], address: "172.16.28.5", port: 80,
            checks: [
                CheckRegistration(
                    id: "_nomad-check-h", name: "alive", type: "http", address: "172.16.28.5", port: 80,
                    path: "/health", interval: .seconds(10), timeout: .seconds(2)),
                CheckRegistration(
                    id: "_nomad-check-t", name: "port", type: "tcp", address: "10.0.0.1", port: 8080,
                    interval: .milliseconds(1500), timeout: .seconds(1)),
                CheckRegistration(
                    id: "_nomad-check-s", name: "script", type: "script", command: "/bin/check", interval: .seconds(5),
                    timeout: .seconds(3)),
            ], allocID: "a1", taskName: "web")
    }

    @Test func registerSendsConsulFieldNames() throws {
        let agent = try FakeConsulAgent()
        defer { agent.stop() }
        try ConsulCatalog(address: "http://\(agent.address)").register(Self.registration())

        #expect(agent.violations.isEmpty)
        let request = try #require(agent.server.requests.first)
        #expect(request.method == "PUT")
        #expect(request.path == "/v1/agent/service/register")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(body["ID"] as? String == "_nomad-task-a1-web-www-http")
        #expect(body["Name"] as? String == "www")
        #expect(body["Tags"] as? [String] == ["v1", "edge"])
        #expect(body["Address"] as? String == "172.16.28.5")
        #expect(body["Port"] as? Int == 80)

        let checks = try #require(body["Checks"] as? [[String: String]])
        #expect(
            checks[0] == [
                "CheckID": "_nomad-check-h", "Name": "alive", "HTTP": "http://172.16.28.5:80/health",
                "Interval": "10s", "Timeout": "2s",
            ])
        #expect(
            checks[1] == [
                "CheckID": "_nomad-check-t", "Name": "port", "TCP": "10.0.0.1:8080", "Interval": "1500ms",
                "Timeout": "1s",
            ])
        #expect(checks[2] == ["CheckID": "_nomad-check-s", "Name": "script", "TTL": "38s", "Status": "critical"])
    }

    @Test func scriptResultsBecomeTTLUpdatesWithNotes() throws {
        let agent = try FakeConsulAgent()
        defer { agent.stop() }
        let catalog = try ConsulCatalog(address: agent.address)
        try catalog.register(Self.registration())

        try catalog.updateCheck(checkID: "_nomad-check-s", status: .warning, output: "disk 91% & rising")
        #expect(
            agent.server.requests.last?.target == "/v1/agent/check/warn/_nomad-check-s?note=disk%2091%25%20%26%20rising"
        )
        #expect(agent.checkStatuses["_nomad-check-s"] == "warning")
        #expect(agent.checkOutputs["_nomad-check-s"] == "disk 91% & rising")

        try catalog.updateCheck(checkID: "_nomad-check-s", status: .passing, output: "")
        #expect(agent.server.requests.last?.path == "/v1/agent/check/pass/_nomad-check-s")
        try catalog.updateCheck(checkID: "_nomad-check-s", status: .critical, output: "x")
        #expect(agent.server.requests.last?.path == "/v1/agent/check/fail/_nomad-check-s")
        #expect(agent.violations.isEmpty)
    }

    @Test func listAndDeregister() throws {
        let agent = try FakeConsulAgent()
        defer { agent.stop() }
        let catalog = try ConsulCatalog(address: agent.address)
        try catalog.register(Self.registration())

        let listed = try catalog.list()
        #expect(listed.map(\.id) == ["_nomad-task-a1-web-www-http"])
        #expect(listed.first?.port == 80)
        #expect(listed.first?.checks.map(\.id) == ["_nomad-check-h", "_nomad-check-s", "_nomad-check-t"])

        try catalog.deregister(serviceID: "_nomad-task-a1-web-www-http")
        #expect(agent.server.requests.last?.method == "PUT")
        #expect(agent.server.requests.last?.path == "/v1/agent/service/deregister/_nomad-task-a1-web-www-http")
        #expect(try catalog.list().isEmpty)
    }

    @Test func agentErrorsNameTheRequest() throws {
        let agent = try FakeConsulAgent()
        defer { agent.stop() }
        let error = #expect(throws: RktError.self) {
            try ConsulCatalog(address: agent.address).updateCheck(checkID: "nope", status: .passing, output: "")
        }
        #expect(error?.code == .notFound)
        #expect(
            error?.message
                == "consul PUT /v1/agent/check/pass/nope?note=: 404 Not Found: CheckID \"nope\" does not have associated TTL"
        )
    }

    @Test func unreachableAgent() throws {
        let listener = try LoopbackServer()
        let port = listener.port
        listener.stop()
        let error = #expect(throws: RktError.self) {
            try ConsulCatalog(address: "127.0.0.1:\(port)", timeout: .seconds(1)).deregister(serviceID: "x")
        }
        #expect(
            error?.message
                == "consul PUT /v1/agent/service/deregister/x: connect to 127.0.0.1:\(port): Connection refused")
    }

    @Test(arguments: [
        ("consul:8500x", "consul_address \"consul:8500x\" must be host:port"),
        ("https://127.0.0.1:8501", "consul_address \"https://127.0.0.1:8501\": https is not supported"),
    ])
    func badAddresses(address: String, message: String) {
        let error = #expect(throws: RktError.self) { try ConsulCatalog(address: address) }
        #expect(error?.message == message)
    }
}

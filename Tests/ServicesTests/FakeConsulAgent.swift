import Foundation
import Synchronization

/// A loopback stand-in for a Consul agent. Each request is checked against Consul's documented
/// agent HTTP API (method, path, body field names and types); a violation is answered with 400
/// and recorded in `violations`. Registered services and TTL checks are kept so that `list`
/// and the TTL updates can be verified.
final class FakeConsulAgent: Sendable {
    let book = ConsulBook()
    let server: LoopbackServer

    init() throws {
        server = try LoopbackServer { [book] request in book.handle(request) }
    }

    var address: String { "127.0.0.1:\(server.port)" }
    var violations: [String] { book.violations }
    var checkStatuses: [String: String] { book.checkStatuses }
    var checkOutputs: [String: String] { book.checkOutputs }

    func stop() {
        server.stop()
    }
}

/// A registered service as `GET /v1/agent/services` reports it.
struct AgentService: Sendable {
    let id: String
    let name: String
    let tags: [String]
    let address: String
    let port: Int

    var json: [String: Any] { ["ID": id, "Service": name, "Tags": tags, "Address": address, "Port": port] }
}

/// The agent's state and its request validation.
final class ConsulBook: Sendable {
    /// Fields Consul documents for a service definition and for a check inside it.
    static let serviceFields: Set<String> = [
        "ID", "Name", "Tags", "Address", "Port", "Meta", "EnableTagOverride", "Check", "Checks", "Kind", "Weights",
        "TaggedAddresses",
    ]
    static let checkFields: Set<String> = [
        "CheckID", "Name", "HTTP", "TCP", "TTL", "Interval", "Timeout", "Status", "Notes", "Method", "Header",
        "Args", "DeregisterCriticalServiceAfter", "TLSSkipVerify",
    ]

    private struct State {
        var services: [String: AgentService] = [:]
        var checks: [String: [String: String]] = [:]
        var violations: [String] = []
    }

    private let state = Mutex<State>(State())

    var violations: [String] { state.withLock { $0.violations } }
    var checkStatuses: [String: String] { state.withLock { $0.checks.mapValues { $0["Status"] ?? "" } } }
    var checkOutputs: [String: String] { state.withLock { $0.checks.mapValues { $0["Output"] ?? "" } } }

    func handle(_ request: RecordedRequest) -> (status: Int, body: String) {
        switch (request.method, request.path) {
        case ("PUT", "/v1/agent/service/register"):
            return register(request)
        case ("PUT", let path) where path.hasPrefix("/v1/agent/service/deregister/"):
            let id = String(path.dropFirst("/v1/agent/service/deregister/".count)).removingPercentEncoding ?? ""
            state.withLock { current in
                current.services[id] = nil
                current.checks = current.checks.filter { $0.value["ServiceID"] != id }
            }
            return (200, "")
        case ("PUT", let path) where path.hasPrefix("/v1/agent/check/"):
            return ttlUpdate(request)
        case ("GET", "/v1/agent/services"):
            return (200, Self.json(state.withLock { $0.services }.mapValues(\.json)))
        case ("GET", "/v1/agent/checks"):
            return (200, state.withLock { Self.json($0.checks) })
        default:
            return reject("unknown endpoint \(request.method) \(request.path)")
        }
    }

    private func register(_ request: RecordedRequest) -> (status: Int, body: String) {
        guard request.headers["content-type"] == "application/json",
            let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
        else {
            return reject("register: body is not a JSON object")
        }
        if let problem = Self.validateService(body) {
            return reject("register: \(problem)")
        }
        let id = body["ID"] as? String ?? ""
        let entry = AgentService(
            id: id, name: body["Name"] as? String ?? "", tags: body["Tags"] as? [String] ?? [],
            address: body["Address"] as? String ?? "", port: body["Port"] as? Int ?? 0)
        let checks = (body["Checks"] as? [[String: Any]] ?? []).map { check in
            [
                "CheckID": check["CheckID"] as? String ?? "", "Name": check["Name"] as? String ?? "", "ServiceID": id,
                "Type": check["TTL"] != nil ? "ttl" : (check["HTTP"] != nil ? "http" : "tcp"),
                "Status": check["Status"] as? String ?? "critical", "Output": "",
            ]
        }
        state.withLock { current in
            current.services[id] = entry
            for check in checks {
                current.checks[check["CheckID"] ?? ""] = check
            }
        }
        return (200, "")
    }

    /// `PUT /v1/agent/check/{pass,warn,fail}/<id>?note=<text>` on a TTL check.
    private func ttlUpdate(_ request: RecordedRequest) -> (status: Int, body: String) {
        let parts = request.path.split(separator: "/").map(String.init)
        let statuses = ["pass": "passing", "warn": "warning", "fail": "critical"]
        guard parts.count == 5, let status = statuses[parts[3]], let id = parts[4].removingPercentEncoding else {
            return reject("bad check update path \(request.path)")
        }
        if let query = request.query, !query.hasPrefix("note=") {
            return reject("check update: unknown query \(query)")
        }
        let note = request.query.map { String($0.dropFirst(5)).removingPercentEncoding ?? "" } ?? ""
        return state.withLock { current in
            guard current.checks[id]?["Type"] == "ttl" else {
                return (404, "CheckID \"\(id)\" does not have associated TTL")
            }
            current.checks[id]?["Status"] = status
            current.checks[id]?["Output"] = note
            return (200, "")
        }
    }

    static func validateService(_ body: [String: Any]) -> String? {
        if let unknown = Set(body.keys).subtracting(serviceFields).sorted().first {
            return "unknown service field \(unknown)"
        }
        guard body["Name"] is String, body["ID"] is String else {
            return "Name and ID must be strings"
        }
        guard body["Tags"] == nil || body["Tags"] is [String], body["Address"] == nil || body["Address"] is String,
            body["Port"] == nil || body["Port"] is Int
        else {
            return "Tags, Address or Port has the wrong type"
        }
        for check in body["Checks"] as? [[String: Any]] ?? [] {
            if let problem = validateCheck(check) {
                return problem
            }
        }
        return nil
    }

    static func validateCheck(_ check: [String: Any]) -> String? {
        if let unknown = Set(check.keys).subtracting(checkFields).sorted().first {
            return "unknown check field \(unknown)"
        }
        let kinds = ["HTTP", "TCP", "TTL"].filter { check[$0] != nil }
        guard kinds.count == 1 else {
            return "a check needs exactly one of HTTP, TCP and TTL, got \(kinds)"
        }
        if kinds != ["TTL"], check["Interval"] == nil {
            return "\(kinds[0]) checks need an Interval"
        }
        for key in ["Interval", "Timeout", "TTL"] {
            if let value = check[key], !isDuration(value) {
                return "\(key) is not a duration: \(value)"
            }
        }
        if let http = check["HTTP"] as? String, !http.hasPrefix("http://") {
            return "HTTP must be a URL"
        }
        return nil
    }

    private static func isDuration(_ value: Any) -> Bool {
        guard let text = value as? String else {
            return false
        }
        return text.range(of: #"^[0-9]+(ms|s|m|h)$"#, options: .regularExpression) != nil
    }

    private func reject(_ problem: String) -> (status: Int, body: String) {
        state.withLock { $0.violations.append(problem) }
        return (400, problem)
    }

    private static func json(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

import RktError
import RktSys

/// Registers services with a Consul agent through its HTTP API (`/v1/agent/...`). Consul runs
/// http and tcp checks itself; script checks are registered as TTL checks that `updateCheck`
/// keeps alive with `/v1/agent/check/pass|warn|fail/<id>`.
public final class ConsulCatalog: Catalog {
    /// How much longer than one interval plus timeout a TTL check waits for the next result.
    public static let ttlSlack: Duration = .seconds(30)

    public let host: String
    public let port: Int
    public let timeout: Duration

    /// `address` is the `consul_address` setting: `host:port`, optionally with `http://`.
    public init(address: String, timeout: Duration = .seconds(5)) throws(RktError) {
        (host, port) = try Self.parse(address)
        self.timeout = timeout
    }

    public var runsNetworkChecks: Bool { true }

    public func register(_ registration: ServiceRegistration) throws {
        let body = try JSON.encode(ConsulService(registration))
        _ = try request("PUT", "/v1/agent/service/register", body: body)
    }

    public func deregister(serviceID: String) throws {
        _ = try request("PUT", "/v1/agent/service/deregister/\(HTTPClient.percentEncode(serviceID))")
    }

    public func updateCheck(checkID: String, status: CheckStatus, output: String) throws {
        let verb =
            switch status {
            case .passing: "pass"
            case .warning: "warn"
            case .critical: "fail"
            }
        let path =
            "/v1/agent/check/\(verb)/\(HTTPClient.percentEncode(checkID))?note=\(HTTPClient.percentEncode(output))"
        _ = try request("PUT", path)
    }

    /// The agent's services registered by Nomad tasks (IDs starting `_nomad-task-`), with the
    /// status and output of their checks.
    public func list() throws -> [ServiceRegistration] {
        let services = try JSON.decode(
            [String: ConsulAgentService].self, from: try request("GET", "/v1/agent/services"))
        let checks = try JSON.decode([String: ConsulAgentCheck].self, from: try request("GET", "/v1/agent/checks"))
        return services.values.filter { $0.id.hasPrefix("_nomad-task-") }.sorted { $0.id < $1.id }.map { service in
            let owned = checks.values.filter { $0.serviceID == service.id }.sorted { $0.checkID < $1.checkID }
            return service.registration(checks: owned)
        }
    }

    /// The TTL given to a script check.
    public static func ttl(for check: CheckRegistration) -> Duration {
        check.interval + check.timeout + ttlSlack
    }

    /// Sends a request and returns the body of a 2xx response; anything else is an error that
    /// names the request and quotes the agent's answer.
    private func request(_ method: String, _ path: String, body: [UInt8]? = nil) throws -> [UInt8] {
        let response: HTTPResponse
        do {
            response = try HTTPClient.send(
                method: method, host: host, port: port, path: path, body: body ?? (method == "PUT" ? [] : nil),
                timeout: timeout)
        } catch {
            throw RktError(error.code, "consul \(method) \(path): \(error.message)")
        }
        guard (200..<300).contains(response.status) else {
            let detail = response.bodyText.trimmed
            throw RktError(
                response.status == 404 ? .notFound : .internal,
                "consul \(method) \(path): \(response.statusLine)\(detail.isEmpty ? "" : ": \(detail)")")
        }
        return response.body
    }

    private static func parse(_ address: String) throws(RktError) -> (String, Int) {
        var rest = Substring(address)
        if rest.hasPrefix("https://") {
            throw RktError(.unsupported, "consul_address \"\(address)\": https is not supported")
        }
        if rest.hasPrefix("http://") {
            rest = rest.dropFirst(7)
        }
        while rest.hasSuffix("/") {
            rest = rest.dropLast()
        }
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
            (1...65_535).contains(port)
        else {
            throw RktError(.invalidArgument, "consul_address \"\(address)\" must be host:port")
        }
        var host = String(rest[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}

// The JSON bodies of the Consul agent API, with Consul's field names.

/// The body of `PUT /v1/agent/service/register`.
struct ConsulService: Encodable {
    var id: String
    var name: String
    var tags: [String]
    var address: String
    var port: Int
    var checks: [ConsulCheck]

    enum CodingKeys: String, CodingKey {
        case id = "ID"
        case name = "Name"
        case tags = "Tags"
        case address = "Address"
        case port = "Port"
        case checks = "Checks"
    }

    init(_ registration: ServiceRegistration) {
        id = registration.id
        name = registration.name
        tags = registration.tags
        address = registration.address
        port = registration.port
        checks = registration.checks.compactMap(ConsulCheck.init)
    }
}

/// One entry of a service definition's `Checks`. Exactly one of `HTTP`, `TCP` and `TTL` is set.
struct ConsulCheck: Encodable {
    var checkID: String
    var name: String
    var http: String?
    var tcp: String?
    var ttl: String?
    var interval: String?
    var timeout: String?
    var status: String?

    enum CodingKeys: String, CodingKey {
        case checkID = "CheckID"
        case name = "Name"
        case http = "HTTP"
        case tcp = "TCP"
        case ttl = "TTL"
        case interval = "Interval"
        case timeout = "Timeout"
        case status = "Status"
    }

    /// Nil for check types Consul cannot run from this definition (and for checks whose target
    /// is not known yet: they are added by the update that follows the driver's network).
    init?(_ check: CheckRegistration) {
        checkID = check.id
        name = check.name
        let target = TCPConnection.joinHostPort(check.address, check.port)
        switch check.type {
        case "http":
            guard check.port > 0 else {
                return nil
            }
            http = "http://\(target)\(check.path.hasPrefix("/") ? "" : "/")\(check.path)"
        case "tcp":
            guard check.port > 0 else {
                return nil
            }
            tcp = target
        case "script":
            ttl = GoDuration.format(ConsulCatalog.ttl(for: check))
            status = CheckStatus.critical.rawValue
            return
        default:
            return nil
        }
        interval = GoDuration.format(check.interval)
        timeout = GoDuration.format(check.timeout)
    }
}

/// An entry of `GET /v1/agent/services`.
struct ConsulAgentService: Decodable {
    var id: String
    var service: String
    var tags: [String]?
    var address: String?
    var port: Int?

    enum CodingKeys: String, CodingKey {
        case id = "ID"
        case service = "Service"
        case tags = "Tags"
        case address = "Address"
        case port = "Port"
    }

    func registration(checks: [ConsulAgentCheck]) -> ServiceRegistration {
        let entries = checks.map { check in
            CheckRegistration(
                id: check.checkID, name: check.name, type: check.type ?? "",
                status: CheckStatus(rawValue: check.status) ?? .critical, output: check.output ?? "")
        }
        return ServiceRegistration(
            id: id, name: service, tags: tags ?? [], address: address ?? "", port: port ?? 0, checks: entries)
    }
}

/// An entry of `GET /v1/agent/checks`.
struct ConsulAgentCheck: Decodable {
    var checkID: String
    var name: String
    var status: String
    var output: String?
    var serviceID: String
    var type: String?

    enum CodingKeys: String, CodingKey {
        case checkID = "CheckID"
        case name = "Name"
        case status = "Status"
        case output = "Output"
        case serviceID = "ServiceID"
        case type = "Type"
    }
}

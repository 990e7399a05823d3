/// JSON form of a check: durations as Go-style strings (`"10s"`, `"1500ms"`), the form Consul
/// takes, so the catalog file reads like the job and the agent API.
extension CheckRegistration: Codable {
    enum CodingKeys: String, CodingKey {
        case id, name, type, address, port, path, command, args, interval, timeout, status, output
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        type = try container.decode(String.self, forKey: .type)
        address = try container.decodeIfPresent(String.self, forKey: .address) ?? ""
        port = try container.decodeIfPresent(Int.self, forKey: .port) ?? 0
        path = try container.decodeIfPresent(String.self, forKey: .path) ?? ""
        command = try container.decodeIfPresent(String.self, forKey: .command) ?? ""
        args = try container.decodeIfPresent([String].self, forKey: .args) ?? []
        interval = try Self.duration(container, .interval)
        timeout = try Self.duration(container, .timeout)
        status = try container.decode(CheckStatus.self, forKey: .status)
        output = try container.decodeIfPresent(String.self, forKey: .output) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(address, forKey: .address)
        try container.encode(port, forKey: .port)
        try container.encode(path, forKey: .path)
        try container.encode(command, forKey: .command)
        try container.encode(args, forKey: .args)
        try container.encode(GoDuration.format(interval), forKey: .interval)
        try container.encode(GoDuration.format(timeout), forKey: .timeout)
        try container.encode(status, forKey: .status)
        try container.encode(output, forKey: .output)
    }

    private static func duration(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Duration
    {
        let text = try container.decode(String.self, forKey: key)
        guard let value = GoDuration.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "not a duration like \"10s\" or \"1500ms\": \(text)")
        }
        return value
    }
}

import RktError

/// What `setUp` will do, worked out before any side effect: the networks in file-name order
/// with their plugins and arguments, and where ports are forwarded.
struct NetPlan: Sendable {
    struct Step: Sendable {
        let conf: NetConf
        let pluginPath: String
        let args: String
    }

    let steps: [Step]
    /// Index of the network ports are forwarded on: the first with `ipMasq`, else the last.
    let forwardable: Int

    /// Resolves `requests` against `available`; `all` means every available network.
    init(requests: [NetRequest], available: [NetConf], plugin: CNIPlugin) throws {
        guard !requests.isEmpty else {
            throw RktError(.invalidArgument, "no networks requested")
        }
        let wanted: [NetRequest] =
            requests.count == 1 && requests[0].name == "all"
            ? available.map { NetRequest(name: $0.name) } : requests
        let byName = Dictionary(available.map { ($0.name, $0) }) { first, _ in first }
        let missing = wanted.map(\.name).filter { byName[$0] == nil }
        guard missing.isEmpty else {
            throw RktError(.notFound, "networks not found: \(missing.joined(separator: ", "))")
        }
        steps = try wanted.compactMap { request in
            guard let conf = byName[request.name] else {
                return nil
            }
            return Step(conf: conf, pluginPath: try plugin.locate(conf.type), args: request.args)
        }
        .sorted { $0.conf.fileName < $1.conf.fileName }
        forwardable = steps.firstIndex { $0.conf.ipMasq } ?? steps.count - 1
    }
}

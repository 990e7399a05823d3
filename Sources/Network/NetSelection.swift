import RktError

/// One network a pod asked for with `--net`, plus the `CNI_ARGS` given after its name.
public struct NetRequest: Equatable, Sendable {
    /// The network name (`name` in its conf), or `all` for every known network.
    public let name: String
    /// The text after `name:` (for example `IP=10.1.0.5;K=V`), passed as `CNI_ARGS`; empty if none.
    public let args: String

    public init(name: String, args: String = "") {
        self.name = name
        self.args = args
    }
}

/// The networking mode chosen by rkt's repeatable `--net` flag (reference §3.1).
public struct NetSelection: Equatable, Sendable {
    /// How the pod is networked.
    public enum Mode: Equatable, Sendable {
        /// The pod shares the host's network namespace.
        case host
        /// A new network namespace with only `lo`.
        case none
        /// A new network namespace joined to each requested CNI network, in conf file-name order.
        case contained([NetRequest])
    }

    /// The parsed mode.
    public let mode: Mode

    public init(mode: Mode) {
        self.mode = mode
    }

    /// Parses the values of every `--net` flag. No flag, a bare `--net` (empty value) or `default`
    /// selects the builtin `default` network. Values are comma-separated `name[:args]` items.
    public static func parse(_ flags: [String]) throws -> NetSelection {
        let items = try flags.flatMap(splitItems)
        guard !items.isEmpty else {
            return NetSelection(mode: .contained([NetRequest(name: "default")]))
        }
        var seen: Set<String> = []
        for item in items where !seen.insert(item.name).inserted {
            throw usage("network \"\(item.name)\" is given more than once")
        }
        for special in ["host", "none", "all"] where seen.contains(special) {
            guard items.count == 1 else {
                throw usage("--net=\(special) cannot be combined with other networks")
            }
            guard items[0].args.isEmpty else {
                throw usage("--net=\(special) does not take arguments")
            }
        }
        switch items[0].name {
        case "host" where items.count == 1: return NetSelection(mode: .host)
        case "none" where items.count == 1: return NetSelection(mode: .none)
        default: return NetSelection(mode: .contained(items))
        }
    }

    /// Splits one flag value into requests; an empty value means `default`.
    private static func splitItems(_ value: String) throws -> [NetRequest] {
        guard !value.isEmpty else {
            return [NetRequest(name: "default")]
        }
        return try value.split(separator: ",", omittingEmptySubsequences: false).map { item in
            let parts = item.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard !name.isEmpty else {
                throw usage("empty network name in --net=\(value)")
            }
            return NetRequest(name: name, args: parts.count > 1 ? String(parts[1]) : "")
        }
    }

    private static func usage(_ message: String) -> RktError {
        RktError(.invalidArgument, message)
    }
}

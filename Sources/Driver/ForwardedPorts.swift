import RktSys

/// Host ports that the CNI `portmap` plugin forwards to pods right now (`--dport N` in its
/// `CNI-DN-*` chains). Nothing is bound to them on the host, so a bind probe misses them; a
/// standalone `run` must still not hand them out again.
public enum ForwardedPorts {
    /// The forwarded ports, from `iptables -t nat -S`; empty when iptables cannot be read.
    public static func current() -> Set<Int> {
        guard let output = try? Subprocess.run("iptables", ["-t", "nat", "-S", "--wait"]), output.status.succeeded
        else {
            return []
        }
        return parse(output.stdoutText)
    }

    /// The `--dport` values of the rules appended to `CNI-DN-*` chains in `iptables -S` text.
    public static func parse(_ rules: String) -> Set<Int> {
        var ports: Set<Int> = []
        for line in rules.split(separator: "\n") where line.hasPrefix("-A CNI-DN-") {
            let words = line.split(separator: " ")
            if let flag = words.firstIndex(of: "--dport"), flag + 1 < words.count, let port = Int(words[flag + 1]) {
                ports.insert(port)
            }
        }
        return ports
    }
}

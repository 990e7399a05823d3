import Foundation
import Glibc
import RktSys

/// The host-wide traces a pod can leave: netns, runc containers, veths, CNI iptables chains and
/// rules, host-local leases, and mounts. Other engineers and other test targets (NetworkTests)
/// run pods on this host at the same time, so traces are attributed to the suite's own pods by
/// UUID, IP address, or path, never by a before/after difference.
struct HostState: Sendable {
    static let runcRoot = "/run/rkt/runc"
    static let netnsDirectory = "/var/run/netns"
    static let leaseDirectory = "/var/lib/cni/networks"
    /// Every sandbox lives under this prefix.
    static let temporaryPrefix = "/tmp/rkt-integ-"

    var namespaces: [String] = []
    /// runc containers as "id (bundle)".
    var containers: [String] = []
    /// `ip -o link show type veth` lines.
    var veths: [String] = []
    /// `iptables-save -t nat` lines.
    var natRules: [String] = []
    /// host-local leases as "net/ip -> container id".
    var leases: [String] = []
    /// Mount points from /proc/self/mountinfo.
    var mounts: [String] = []

    static func capture() -> HostState {
        var state = HostState()
        state.namespaces = ((try? FileSystem.list(netnsDirectory)) ?? []).filter { $0.hasPrefix("rkt-") }
        state.containers = runcContainers()
        state.veths = HostTool.output("ip", "-o", "link", "show", "type", "veth").split(separator: "\n").map(
            String.init)
        state.natRules = HostTool.output("iptables-save", "-t", "nat").split(separator: "\n").map(String.init)
        state.leases = leaseFiles()
        // Through cat, not the product's file reader under test.
        state.mounts = HostTool.output("cat", "/proc/self/mountinfo").split(separator: "\n").compactMap {
            let fields = $0.split(separator: " ")
            return fields.count > 4 ? String(fields[4]) : nil
        }
        return state
    }

    /// Every trace that names one of `pods`, one of `addresses`, or a path under `root`.
    func traces(pods: Set<String>, addresses: Set<String>, under root: String) -> [String] {
        var lines: [String] = []
        for uuid in pods.sorted() {
            lines += namespaces.filter { $0 == "rkt-\(uuid)" }.map { "netns: \($0)" }
            lines += containers.filter { $0.hasPrefix("rkt-\(uuid) ") }.map { "runc container: \($0)" }
            lines += veths.filter { $0.contains("link-netns rkt-\(uuid)") }.map { "veth: \($0)" }
            lines += natRules.filter { $0.contains(uuid) }.map { "CNI iptables: \($0)" }
            lines += leases.filter { $0.hasSuffix("-> \(uuid)") }.map { "host-local lease: \($0)" }
        }
        for address in addresses.sorted() {
            lines += natRules.filter { $0.contains("\(address)/") || $0.contains("\(address):") }.map {
                "CNI iptables: \($0)"
            }
        }
        lines += containers.filter { $0.contains("(\(root)") }.map { "runc container: \($0)" }
        lines += mounts.filter { $0.hasPrefix(root) }.map { "mount: \($0)" }
        return Array(Set(lines)).sorted()
    }

    /// The IP addresses leased to `pods`.
    func leasedAddresses(of pods: Set<String>) -> Set<String> {
        Set(
            leases.compactMap { lease in
                guard let owner = lease.split(separator: " ").last, pods.contains(String(owner)) else {
                    return nil
                }
                return lease.split(separator: " ").first?.split(separator: "/").last.map(String.init)
            })
    }

    /// `rkt-*` containers in the runtime's runc root, as "id (bundle)".
    private static func runcContainers() -> [String] {
        let json = HostTool.output("runc", "--root", runcRoot, "list", "--format", "json")
        guard let list = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [[String: Any]] else {
            return []
        }
        return list.compactMap { entry in
            guard let id = entry["id"] as? String, id.hasPrefix("rkt-") else {
                return nil
            }
            return "\(id) (\(entry["bundle"] as? String ?? "?"))"
        }
    }

    /// host-local lease files as "net/ip -> container id".
    private static func leaseFiles() -> [String] {
        var result: [String] = []
        for network in (try? FileSystem.list(leaseDirectory)) ?? [] {
            for name in (try? FileSystem.list("\(leaseDirectory)/\(network)")) ?? []
            where name != "lock" && !name.hasPrefix("last_reserved_ip") {
                let owner = (try? FileSystem.readText("\(leaseDirectory)/\(network)/\(name)")) ?? ""
                let id = owner.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
                result.append("\(network)/\(name) -> \(id)")
            }
        }
        return result
    }
}

/// Every pod UUID and IP address the suite has seen, so the last test's teardown checks them all.
final class SuitePods: @unchecked Sendable {
    // @unchecked: the sets are only touched under `lock`.
    static let shared = SuitePods()
    private let lock = NSLock()
    private var pods: Set<String> = []
    private var addresses: Set<String> = []
    private var reported: Set<String> = []

    func add(pods newPods: Set<String>, addresses newAddresses: Set<String>) {
        lock.withLock {
            pods.formUnion(newPods)
            addresses.formUnion(newAddresses)
        }
    }

    var all: (pods: Set<String>, addresses: Set<String>) {
        lock.withLock { (pods, addresses) }
    }

    /// The traces not reported before (each trace is reported once).
    func unreported(_ traces: [String]) -> [String] {
        lock.withLock {
            let fresh = traces.filter { !reported.contains($0) }
            reported.formUnion(fresh)
            return fresh
        }
    }
}

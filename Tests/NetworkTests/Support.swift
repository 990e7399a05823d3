import Foundation
import Glibc
import RktSys

/// A logger that keeps test output quiet.
let quietLogger = Logger(label: "network-test", level: .warning)

/// A directory under /tmp removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init(prefix: String = "rkt-net-test") throws {
        path = "/tmp/\(prefix)-\(UUID().uuidString.lowercased())"
        try FileSystem.makeDirectories(path)
    }

    func write(_ name: String, _ text: String) throws {
        try FileSystem.writeAtomically(text, to: "\(path)/\(name)")
    }

    func remove() {
        try? FileSystem.removeTree(path)
    }
}

/// Observations of host state, each through a real command.
enum Host {
    static var canRunIntegration: Bool {
        geteuid() == 0 && access("/usr/lib/cni/ptp", X_OK) == 0 && access("/usr/lib/cni/portmap", X_OK) == 0
            && access("/usr/bin/busybox", X_OK) == 0 && access("/usr/bin/curl", X_OK) == 0
    }

    /// Runs a command and returns its stdout, or "" if it failed.
    @discardableResult
    static func run(_ command: String, _ args: String...) -> String {
        (try? Subprocess.run(command, args))?.stdoutText ?? ""
    }

    /// Names of the host's network interfaces (`ip -o link`).
    static func linkNames() -> Set<String> {
        let lines = run("ip", "-o", "link").split(separator: "\n")
        return Set(
            lines.compactMap { line in
                let fields = line.split(separator: ":", maxSplits: 2)
                guard fields.count > 1 else {
                    return nil
                }
                return String(fields[1].trimmingCharacters(in: .whitespaces).split(separator: "@")[0])
            })
    }

    static func natRules() -> String {
        run("iptables-save", "-t", "nat")
    }

    /// Whether any nat rule names the address (as `ip/…` or `ip:port`) or mentions `id`.
    static func natMentions(ip: String?, id: String) -> Bool {
        let rules = natRules()
        let ipHit = ip.map { rules.contains("\($0)/") || rules.contains("\($0):") } ?? false
        return ipHit || rules.contains(id)
    }

    /// Lease files of host-local IPAM for `network` naming the container `id`.
    static func leases(network: String, id: String) -> [String] {
        let dir = "/var/lib/cni/networks/\(network)"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return files.filter { file in
            let text = (try? FileSystem.readText("\(dir)/\(file)")) ?? ""
            return text.contains(id)
        }
    }

    /// The IPv4 address of the interface holding the default route, if any.
    static func primaryAddress() -> String? {
        let route = run("ip", "-o", "-4", "route", "show", "default").split(separator: " ").map(String.init)
        guard let devIndex = route.firstIndex(of: "dev"), devIndex + 1 < route.count else {
            return nil
        }
        let addr = run("ip", "-o", "-4", "addr", "show", "dev", route[devIndex + 1]).split(separator: " ").map(
            String.init)
        guard let inetIndex = addr.firstIndex(of: "inet"), inetIndex + 1 < addr.count else {
            return nil
        }
        return String(addr[inetIndex + 1].split(separator: "/")[0])
    }

    /// GETs `http://<address>/index.html` with curl, retrying briefly while a server starts.
    static func fetch(_ address: String, attempts: Int = 30) -> String? {
        for _ in 0..<attempts {
            if let output = try? Subprocess.run("curl", ["-s", "-m", "2", "http://\(address)/index.html"]),
                output.status.succeeded
            {
                return output.stdoutText
            }
            usleep(100_000)
        }
        return nil
    }
}

/// A busybox httpd listening on port 80 inside a netns, serving one page.
final class NetnsHTTPServer {
    private let child: ChildProcess
    private let root: TemporaryDirectory

    init(netns: String, body: String) throws {
        root = try TemporaryDirectory(prefix: "rkt-net-www")
        try root.write("index.html", body)
        child = try Subprocess.spawn(
            "ip", ["netns", "exec", netns, "busybox", "httpd", "-f", "-p", "80", "-h", root.path])
    }

    func stop() {
        child.send(SIGKILL)
        _ = try? child.wait()
        root.remove()
    }
}

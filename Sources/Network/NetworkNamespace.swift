import CShim
import FoundationEssentials
import Glibc
import RktError
import RktSys

/// A named network namespace bound at `/var/run/netns/<name>`, as iproute2 lays them out. It is
/// created by the C shim (a forked single-threaded child unshares, bind-mounts its netns and
/// raises `lo`, so `unshare` never runs in our multi-threaded process, STYLE §4.2, §5.7), which
/// saves the two `ip` processes on every pod start; `ip netns delete` unmounts and removes it.
struct NetworkNamespace {
    static let directory = "/var/run/netns"

    let name: String

    var path: String { "\(Self.directory)/\(name)" }

    var exists: Bool { FileSystem.exists(path) }

    /// Creates the namespace with `lo` already up (runc leaves lo alone in a joined netns).
    func create() throws {
        try FileSystem.makeDirectories(Self.directory)
        let fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0)
        guard fd >= 0 else {
            throw RktError.sys("open", path, "cannot create the network namespace file")
        }
        close(fd)
        var step: UnsafePointer<CChar>?
        let err = rkt_netns_create(path, &step)
        guard err == 0 else {
            unlink(path)
            let call = step.map { String(cString: $0) } ?? "netns"
            throw RktError.sys(call, path, errno: err, "cannot create network namespace \(name)")
        }
    }

    /// Unmounts and deletes the namespace; nothing to do if it is already gone.
    func delete() throws {
        guard exists else {
            return
        }
        try ip(["netns", "delete", name])
    }

    private func ip(_ arguments: [String]) throws {
        let output = try Subprocess.run("ip", arguments)
        guard output.status.succeeded else {
            let text = output.stderrText.trimmed
            throw RktError(.internal, "ip \(arguments.joined(separator: " ")) failed (\(output.status)): \(text)")
        }
    }
}

import Foundation
import RktError
import RktSys

/// A named network namespace managed with iproute2: `ip netns add` bind-mounts a new netns at
/// `/var/run/netns/<name>` (making that directory a shared mount first), and `ip netns delete`
/// unmounts and removes it. Running `ip` as a child keeps `unshare`/`setns` out of our
/// multi-threaded process (STYLE §4.2, §5.7).
struct NetworkNamespace {
    static let directory = "/var/run/netns"

    let name: String

    var path: String { "\(Self.directory)/\(name)" }

    var exists: Bool { FileSystem.exists(path) }

    func create() throws {
        try ip(["netns", "add", name])
    }

    /// Brings `lo` up inside the namespace (runc leaves lo alone in a joined netns).
    func bringLoopbackUp() throws {
        try ip(["-n", name, "link", "set", "lo", "up"])
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
            let text = output.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
            throw RktError(.internal, "ip \(arguments.joined(separator: " ")) failed (\(output.status)): \(text)")
        }
    }
}

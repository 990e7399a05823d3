import FoundationEssentials
import Glibc
import RktError
import RktSys

/// The runc binary and the state root our pods use (`/run/rkt/runc`), kept apart from other
/// runc users on the host.
public struct Runc: Sendable {
    public let executable: String
    public let stateRoot: String

    public init(
        executable: String = ProcessInfo.processInfo.environment["RKT_RUNC"] ?? "runc",
        stateRoot: String = "/run/rkt/runc"
    ) {
        self.executable = executable
        self.stateRoot = stateRoot
    }

    /// Arguments of `runc create`: the container is set up (namespaces, mounts, cgroups) and its
    /// init waits for `start` before it runs the app. Its stdio are the ones `runc create` has.
    public func createArguments(bundle: String, containerID: String, pidFile: String) -> [String] {
        ["--root", stateRoot, "create", "--bundle", bundle, "--pid-file", pidFile, containerID]
    }

    /// Lets a created container's init run the app.
    public func start(_ containerID: String) throws {
        let output = try Subprocess.run(executable, ["--root", stateRoot, "start", containerID])
        guard output.status.succeeded else {
            throw RktError(.internal, "runc start \(containerID): \(output.stderrText.trimmed)")
        }
    }

    /// Sends a signal to the container's init (or, with `all`, every process in it).
    public func kill(_ containerID: String, signal: String, all: Bool = false) throws {
        let output = try Subprocess.run(
            executable, ["--root", stateRoot, "kill"] + (all ? ["--all"] : []) + [containerID, signal])
        guard output.status.succeeded else {
            throw RktError(.internal, "runc kill \(containerID) \(signal): \(output.stderrText.trimmed)")
        }
    }

    /// Whether runc still knows the container (created, running, paused or stopped).
    public func exists(_ containerID: String) -> Bool {
        FileSystem.exists("\(stateRoot)/\(containerID)")
    }

    /// Kills whatever is left of a container and deletes it; a no-op when runc does not know it.
    public func forceDelete(_ containerID: String) throws {
        guard exists(containerID) else {
            return
        }
        _ = try? kill(containerID, signal: "KILL", all: true)
        let output = try Subprocess.run(executable, ["--root", stateRoot, "delete", "--force", containerID])
        guard output.status.succeeded || !exists(containerID) else {
            throw RktError(.internal, "runc delete \(containerID): \(output.stderrText.trimmed)")
        }
    }
}

import Foundation
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

    /// Arguments of `runc run` in the foreground for a bundle.
    public func runArguments(bundle: String, containerID: String) -> [String] {
        ["--root", stateRoot, "run", "--bundle", bundle, containerID]
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

    /// The PID of the container's init, if it is running.
    public func initPID(_ containerID: String) -> Int32? {
        guard let output = try? Subprocess.run(executable, ["--root", stateRoot, "state", containerID]),
            output.status.succeeded,
            let object = try? JSONSerialization.jsonObject(with: Data(output.stdout)) as? [String: Any],
            object["status"] as? String == "running"
        else {
            return nil
        }
        return (object["pid"] as? Int).map(Int32.init)
    }

    /// The pid of the container's init once runc has created it. Read from runc's own state file
    /// (`<root>/<id>/state.json`, `init_process_pid`), which costs a file read instead of a
    /// `runc state` process every few milliseconds while a pod starts; `runc state` is the fallback.
    public func containerPID(_ containerID: String) -> Int32? {
        if let bytes = try? FileSystem.read("\(stateRoot)/\(containerID)/state.json"),
            let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let pid = object["init_process_pid"] as? Int, pid > 0
        {
            return Self.isLive(Int32(pid)) ? Int32(pid) : nil
        }
        guard FileSystem.exists("\(stateRoot)/\(containerID)"),
            let output = try? Subprocess.run(executable, ["--root", stateRoot, "state", containerID]),
            output.status.succeeded,
            let object = try? JSONSerialization.jsonObject(with: Data(output.stdout)) as? [String: Any],
            let status = object["status"] as? String, ["created", "running", "paused"].contains(status),
            let pid = object["pid"] as? Int, pid > 0
        else {
            return nil
        }
        return Int32(pid)
    }

    /// Whether `pid` is a process that has not exited (zombies count as exited).
    static func isLive(_ pid: Int32) -> Bool {
        guard let stat = try? FileSystem.readText("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else {
            return false
        }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
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

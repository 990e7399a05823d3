import Cgroups
import FoundationEssentials
import Glibc
import RktSys

/// The supervisor's OOM watch of its container: a CgroupOOMMonitor on the cgroup of the
/// container's init, set up between `runc create` and `runc start`, so it watches the app from
/// its first instruction. Driven by the supervisor's loop; no threads.
struct PodOOMWatch {
    private let monitor: CgroupOOMMonitor?

    /// How long the loop may sleep between two looks at the counters.
    let pollTimeoutMilliseconds: Int32 = 200

    /// Finds the cgroup of `pid`, the created container's init. Without one (no memory
    /// controller, or the pid is not in the container's cgroup) OOM kills go undetected; that is
    /// logged, not fatal.
    init(pid: pid_t, containerID: String, logger: Logger) {
        guard let paths = try? CgroupLocator().locate(pid: pid), let watched = paths.memory ?? paths.unified,
            watched.hasSuffix("/\(containerID)")
        else {
            logger.warning("cannot find the container's cgroup; OOM kills will not be detected", ["id": containerID])
            monitor = nil
            return
        }
        let monitor = CgroupOOMMonitor(paths: paths)
        self.monitor = monitor
        logger.debug(
            "watching the container's cgroup for OOM kills",
            ["id": containerID, "pid": "\(pid)", "cgroup": watched, "source": monitor.source.rawValue])
    }

    /// The descriptor to poll next to the signals (nil when there is none).
    var pollDescriptor: Int32? { monitor?.pollDescriptor }

    /// One loop tick: reads pending notifications and the counters.
    func tick() {
        monitor?.check()
    }

    /// Set by `finish`: whether the OOM killer acted in the container.
    private(set) var oomKilled = false

    /// After the container's init exited (its cgroup stays until `runc delete`): the monitor's
    /// last look. Returns `oomKilled`.
    mutating func finish() -> Bool {
        if let monitor {
            monitor.finish()
            oomKilled = monitor.oomKilled
        }
        return oomKilled
    }

    /// What the supervisor records beside the app's status when the app was OOM-killed.
    var record: [String: UInt64] {
        var record: [String: UInt64] = ["oom_events": monitor?.oomEvents ?? 0]
        // The kill counter exists only on kernels that keep one (v1 oom_kill since Linux 4.13).
        if let kills = monitor?.counters?.oomKills, kills > 0 {
            record["oom_kills"] = kills
        }
        return record
    }
}

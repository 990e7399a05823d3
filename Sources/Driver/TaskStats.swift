import Cgroups
import FoundationEssentials
import Glibc
import JSONCore
import RktSys

/// Live resource usage of running tasks, read from their pods' cgroups.
///
/// The cgroup is found from the container's init: `runc --root /run/rkt/runc state rkt-<uuid>`
/// gives its pid (our runtime's fixed runc root and container ID; `RKT_RUNC` names the runc
/// binary as it does for the runtime), then /proc/<pid>/cgroup and our mountinfo give the
/// directories. With a real rkt (no such runc container) there are no stats.
///
/// CPU percent: two samples `interval` apart, as a percent of the task's CPU ask. The driver
/// passes `Resources.CPU` MHz to rkt as `--cpu=<MHz>m`, which the runtime turns into a CFS quota
/// of MHz/1000 cores, so the share is MHz/1000 cores and 100% means the pod uses its whole
/// quota. Handles saved without `cpuMHz` use one core.
extension RktDriver {
    /// The runc state root and container ID prefix of our runtime's pods.
    static let runcStateRoot = "/run/rkt/runc"

    /// Usage of each running task in `states` (by task ID); tasks whose cgroup cannot be found
    /// or read are left out. Takes about `interval` in all, whatever the number of tasks.
    public func liveStats(
        _ states: [TaskState], interval: Duration = .milliseconds(100)
    ) -> [String: TaskResourceUsage] {
        let watchers = states.compactMap { state in statsWatcher(for: state).map { (state.taskID, $0) } }
        guard !watchers.isEmpty else {
            return [:]
        }
        Pause.for(interval)
        var usage: [String: TaskResourceUsage] = [:]
        for (taskID, watcher) in watchers {
            usage[taskID] = watcher.sample()
        }
        return usage
    }

    /// A watcher on the task's pod cgroup that has taken its first sample, or nil.
    public func statsWatcher(for state: TaskState) -> CgroupWatcher? {
        let containerID = "rkt-\(state.podUUID)"
        guard let pid = containerPID(containerID), let paths = try? CgroupLocator().locate(pid: pid),
            let directory = paths.memory ?? paths.unified, directory.hasSuffix("/\(containerID)")
        else {
            return nil
        }
        let share = state.cpuMHz.map { CgroupCPUShare(cores: Double($0) / 1000) } ?? .oneCore
        let watcher = CgroupWatcher(paths: paths, share: share)
        return watcher.sample() == nil ? nil : watcher
    }

    /// The pid of a runc container's init while it is created, running or paused.
    private func containerPID(_ containerID: String) -> pid_t? {
        let environment = settings.rktEnvironment()
        let runc = environment["RKT_RUNC"] ?? "runc"
        guard
            let output = try? Subprocess.run(
                runc, ["--root", Self.runcStateRoot, "state", containerID], environment: environment,
                timeout: .seconds(10)),
            output.status.succeeded,
            let object = (try? JSONValue.parse(output.stdout))?.objectValue,
            let status = object["status"]?.stringValue, ["created", "running", "paused"].contains(status),
            let pid = object["pid"]?.int64Value, pid > 0
        else {
            return nil
        }
        return pid_t(pid)
    }
}

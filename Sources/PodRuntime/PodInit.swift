import Glibc
import RktSys

/// The pod's PID 1 (`rkt-init`) as seen from the host: its pid, which `runc create` writes to the
/// pod's `pid` file, and whether it has started the app yet. rkt-init blocks every signal before
/// it starts the app, so from then on a signal sent to it from outside the pod is queued, not
/// dropped, and the app is there for `rkt enter` to join.
enum PodInit {
    /// The init's pid once it has started the app; nil before (or when there is no container).
    static func startedApp(_ paths: PodPaths) -> pid_t? {
        guard let text = try? FileSystem.readText(paths.pid), let pid = pid_t(text.trimmed), pid > 0,
            hasStartedApp(pid)
        else {
            return nil
        }
        return pid
    }

    /// Whether the init `pid` has a child (`/proc/<pid>/task/<pid>/children`).
    static func hasStartedApp(_ pid: pid_t) -> Bool {
        guard let children = try? FileSystem.readText("/proc/\(pid)/task/\(pid)/children") else {
            return false
        }
        return !children.trimmed.isEmpty
    }
}

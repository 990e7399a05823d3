import FoundationEssentials
import Glibc
import Network
import RktError
import RktSys

/// Releases what a pod holds on the host: its runc container, its network (CNI DEL, netns,
/// IPAM lease, iptables rules), its rootfs mount and its cgroup. Idempotent, so the supervisor
/// can run it on exit and `rm`/`gc` can run it again after a crash.
public struct PodCleaner: Sendable {
    public let runtime: RuntimeContext

    public init(runtime: RuntimeContext) {
        self.runtime = runtime
    }

    /// Undoes everything `run` set up for the pod in `podDirectory`; reports every failure at once.
    public func release(uuid: PodUUID, podDirectory: String) throws {
        var failures: [String] = []
        do {
            try runtime.runc.forceDelete(uuid.containerID)
        } catch {
            failures.append("\(error)")
        }
        do {
            try runtime.networking.tearDown(podID: uuid.canonical, podDirectory: podDirectory)
        } catch {
            failures.append("\(error)")
        }
        do {
            try unmountRootfs(podDirectory)
        } catch {
            failures.append("\(error)")
        }
        guard failures.isEmpty else {
            throw RktError(.internal, "cleaning up pod \(uuid): \(failures.joined(separator: "; "))")
        }
    }

    /// Unmounts every app rootfs of the pod that is still mounted.
    func unmountRootfs(_ podDirectory: String) throws {
        let paths = PodPaths(podDirectory: podDirectory)
        let stage2 = "\(paths.stage1Rootfs)/opt/stage2"
        let apps = FileSystem.exists(stage2) ? ((try? FileSystem.list(stage2)) ?? []) : []
        for app in apps {
            let rootfs = paths.appRootfs(app)
            if Mounts.isMountPoint(rootfs), umount2(rootfs, Int32(MNT_DETACH)) != 0 {
                throw RktError.sys("umount2", rootfs, "cannot unmount pod rootfs")
            }
        }
    }
}

/// Facts about mounts, read from /proc/self/mountinfo.
public enum Mounts {
    /// Whether `path` is the mount point of some mount in this mount namespace.
    public static func isMountPoint(_ path: String) -> Bool {
        mountPoints().contains(path)
    }

    /// Every mount point below `prefix` (to check that nothing is left behind).
    public static func mountPoints(under prefix: String) -> [String] {
        mountPoints().filter { $0 == prefix || $0.hasPrefix(prefix + "/") }
    }

    private static func mountPoints() -> [String] {
        let text = (try? FileSystem.readText("/proc/self/mountinfo")) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            return fields.count > 4 ? unescape(String(fields[4])) : nil
        }
    }

    /// mountinfo escapes space, tab, newline and backslash as octal.
    private static func unescape(_ field: String) -> String {
        field.replacing("\\040", with: " ").replacing("\\011", with: "\t")
            .replacing("\\012", with: "\n").replacing("\\134", with: "\\")
    }
}

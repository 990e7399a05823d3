import FoundationEssentials
import Glibc
import RktSys

/// Linux capability names and numbers, and the host's bounding set: runc refuses to grant a
/// capability the runtime itself does not hold (EPERM), so a pod's set is cut down to it.
public enum Capabilities {
    static let numbers: [String: Int] = [
        "CAP_CHOWN": 0, "CAP_DAC_OVERRIDE": 1, "CAP_DAC_READ_SEARCH": 2, "CAP_FOWNER": 3, "CAP_FSETID": 4,
        "CAP_KILL": 5,
        "CAP_SETGID": 6, "CAP_SETUID": 7, "CAP_SETPCAP": 8, "CAP_LINUX_IMMUTABLE": 9, "CAP_NET_BIND_SERVICE": 10,
        "CAP_NET_BROADCAST": 11, "CAP_NET_ADMIN": 12, "CAP_NET_RAW": 13, "CAP_IPC_LOCK": 14, "CAP_IPC_OWNER": 15,
        "CAP_SYS_MODULE": 16, "CAP_SYS_RAWIO": 17, "CAP_SYS_CHROOT": 18, "CAP_SYS_PTRACE": 19, "CAP_SYS_PACCT": 20,
        "CAP_SYS_ADMIN": 21, "CAP_SYS_BOOT": 22, "CAP_SYS_NICE": 23, "CAP_SYS_RESOURCE": 24, "CAP_SYS_TIME": 25,
        "CAP_SYS_TTY_CONFIG": 26, "CAP_MKNOD": 27, "CAP_LEASE": 28, "CAP_AUDIT_WRITE": 29, "CAP_AUDIT_CONTROL": 30,
        "CAP_SETFCAP": 31,
    ]

    /// The capability bits of this process's bounding set (all bits if it cannot be read).
    public static func hostBoundingSet() -> UInt64 {
        let status = (try? FileSystem.readText("/proc/self/status")) ?? ""
        for line in status.split(separator: "\n") where line.hasPrefix("CapBnd:") {
            return UInt64(String(line.dropFirst("CapBnd:".count)).trimmed, radix: 16) ?? .max
        }
        return .max
    }

    /// `names` without those missing from `bounding`.
    public static func available(_ names: [String], bounding: UInt64) -> [String] {
        names.filter { name in numbers[name].map { bounding >> UInt64($0) & 1 == 1 } ?? false }
    }
}

/// The subset of the OCI runtime-spec 1.0 `config.json` that our pods use. Field names are the
/// spec's; optional fields are omitted when nil.
public struct OCISpec: Codable, Sendable {
    public struct Process: Codable, Sendable {
        public struct User: Codable, Sendable {
            public var uid: UInt32
            public var gid: UInt32
            public var additionalGids: [UInt32]?
        }

        public struct Capabilities: Codable, Sendable {
            public var bounding: [String]
            public var effective: [String]
            public var permitted: [String]
            public var inheritable: [String]
            public var ambient: [String]
        }

        public var terminal = false
        public var user: User
        public var args: [String]
        public var env: [String]
        public var cwd: String
        public var capabilities: Capabilities
        public var noNewPrivileges = false
        public var oomScoreAdj: Int?
    }

    public struct Root: Codable, Sendable {
        public var path: String
        public var readonly: Bool
    }

    public struct Mount: Codable, Sendable, Equatable {
        public var destination: String
        public var type: String
        public var source: String
        public var options: [String]

        public init(destination: String, type: String, source: String, options: [String]) {
            (self.destination, self.type, self.source, self.options) = (destination, type, source, options)
        }
    }

    public struct Linux: Codable, Sendable {
        public struct Namespace: Codable, Sendable, Equatable {
            public var type: String
            public var path: String?
        }

        public struct Resources: Codable, Sendable {
            public struct Memory: Codable, Sendable {
                public var limit: Int64
            }

            public struct CPU: Codable, Sendable {
                public var quota: Int64?
                public var period: UInt64?
                public var shares: UInt64?
            }

            public struct Device: Codable, Sendable {
                public var allow: Bool
                public var access: String
            }

            public var devices: [Device]
            public var memory: Memory?
            public var cpu: CPU?
        }

        public var namespaces: [Namespace]
        public var resources: Resources
        public var cgroupsPath: String
        public var maskedPaths: [String]
        public var readonlyPaths: [String]
    }

    public var ociVersion = "1.0.2"
    public var process: Process
    public var root: Root
    public var hostname: String
    public var mounts: [Mount]
    public var linux: Linux
}

extension OCISpec {
    /// The kernel filesystems every app gets (ACE Linux ABI: /proc, /sys, /dev, /dev/pts, /dev/shm).
    static let standardMounts: [Mount] = [
        Mount(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
        Mount(
            destination: "/dev", type: "tmpfs", source: "tmpfs",
            options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
        Mount(
            destination: "/dev/pts", type: "devpts", source: "devpts",
            options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]),
        Mount(
            destination: "/dev/shm", type: "tmpfs", source: "shm",
            options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
        Mount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
        Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
        Mount(destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=1777"]),
    ]

    /// The capability set rkt grants apps by default.
    static let defaultCapabilities = [
        "CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_KILL", "CAP_MKNOD",
        "CAP_NET_RAW", "CAP_NET_BIND_SERVICE", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETFCAP",
        "CAP_SYS_CHROOT",
    ]

    /// What `--insecure-options=capabilities` grants: the container set of systemd-nspawn, which is
    /// what rkt's stage1 actually fell back to.
    static let insecureCapabilities =
        defaultCapabilities + [
            "CAP_DAC_READ_SEARCH", "CAP_IPC_OWNER", "CAP_LEASE", "CAP_LINUX_IMMUTABLE", "CAP_NET_BROADCAST",
            "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_PTRACE", "CAP_SYS_RESOURCE", "CAP_SYS_TTY_CONFIG",
            "CAP_IPC_LOCK", "CAP_NET_ADMIN",
        ]

    static let maskedPaths = [
        "/proc/config.gz", "/proc/kallsyms", "/proc/sched_debug", "/proc/kcore", "/proc/kmem", "/proc/mem",
        "/sys/firmware", "/sys/hypervisor", "/sys/module", "/sys/power",
    ]

    static let readonlyPaths = [
        "/proc/bus", "/proc/sys/kernel/core_pattern", "/proc/sys/kernel/modprobe", "/proc/sys/vm/panic_on_oom",
        "/proc/sysrq-trigger",
    ]
}

// Finds a process's cgroup directories from /proc/<pid>/cgroup and this process's mountinfo.
//
// /proc/<pid>/cgroup has one line per hierarchy the process belongs to:
//   v1:     "4:memory:/rkt-<uuid>"  or  "2:cpu,cpuacct:/rkt-<uuid>"  or  "9:name=systemd:/..."
//   v2:     "0::/rkt-<uuid>"
//   hybrid: both kinds (v1 controllers plus a cgroup2 hierarchy that may hold no useful controller).
// The path is relative to the root of the hierarchy *as seen from the reader's cgroup namespace*,
// and a hierarchy can be mounted anywhere, or more than once, or with a mount root other than "/"
// (e.g. inside a container). So the directory is: the mount point of a mount of that hierarchy
// whose root is a prefix of the path, plus the rest of the path. Nothing assumes /sys/fs/cgroup.
//
// Limitation: a process in a different cgroup namespace than ours reports paths relative to its
// own namespace root; callers should pass pids from our namespace (runc's "pid" is one).

import FoundationEssentials
import Glibc
import RktError
import RktSys

/// One line of /proc/<pid>/cgroup.
public struct CgroupMembership: Equatable, Sendable {
    /// The hierarchy id; 0 is the cgroup v2 (unified) hierarchy.
    public var hierarchyID: Int
    /// The v1 controllers (and `name=...` entries) of the hierarchy; empty for v2.
    public var controllers: [String]
    public var path: String

    public init(hierarchyID: Int, controllers: [String], path: String) {
        self.hierarchyID = hierarchyID
        self.controllers = controllers
        self.path = path
    }

    /// Parses the whole file; malformed lines are skipped.
    public static func parse(_ text: String) -> [CgroupMembership] {
        text.split(separator: "\n").compactMap { line in
            // The path may itself contain ':', so split into at most three fields.
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, let id = Int(fields[0]) else {
                return nil
            }
            let controllers = fields[1].split(separator: ",").map(String.init)
            return CgroupMembership(hierarchyID: id, controllers: controllers, path: String(fields[2]))
        }
    }
}

/// A cgroup file system mount, from one line of /proc/self/mountinfo.
public struct CgroupMount: Equatable, Sendable {
    /// The path inside the hierarchy that is mounted (field 4 of mountinfo).
    public var root: String
    public var mountPoint: String
    /// True for cgroup2, false for a v1 hierarchy.
    public var unified: Bool
    /// For v1: the controllers from the super options (e.g. ["cpu", "cpuacct"], ["name=systemd"]).
    public var controllers: [String]

    public init(root: String, mountPoint: String, unified: Bool, controllers: [String]) {
        self.root = root
        self.mountPoint = mountPoint
        self.unified = unified
        self.controllers = controllers
    }

    /// The v1 super options that are mount flags, not controllers.
    static let nonControllerOptions: Set<String> = [
        "rw", "ro", "noprefix", "clone_children", "xattr", "cpuset_v2_mode", "favordynmods",
    ]

    /// Parses mountinfo, keeping only cgroup and cgroup2 mounts.
    ///
    /// Format: `id parent major:minor root mountpoint options [optional...] - fstype source superoptions`.
    public static func parse(_ text: String) -> [CgroupMount] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            guard let dash = fields.firstIndex(of: "-"), dash >= 6, fields.count >= dash + 3 else {
                return nil
            }
            let fsType = fields[dash + 1]
            guard fsType == "cgroup" || fsType == "cgroup2" else {
                return nil
            }
            let options = fields.count > dash + 3 ? fields[dash + 3].split(separator: ",").map(String.init) : []
            let controllers = options.filter { !nonControllerOptions.contains($0) && !$0.hasPrefix("release_agent=") }
            return CgroupMount(
                root: unescape(fields[3]), mountPoint: unescape(fields[4]), unified: fsType == "cgroup2",
                controllers: fsType == "cgroup2" ? [] : controllers)
        }
    }

    /// Undoes mountinfo's octal escapes (`\040` for space, `\011`, `\012`, `\134`).
    static func unescape(_ field: String) -> String {
        guard field.contains("\\") else {
            return field
        }
        var bytes: [UInt8] = []
        var input = Array(field.utf8)[...]
        while let byte = input.popFirst() {
            let digits = input.prefix(3)
            let octal = String(decoding: digits, as: UTF8.self)
            if byte == UInt8(ascii: "\\"), digits.count == 3, let value = UInt8(octal, radix: 8) {
                bytes.append(value)
                input = input.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The directory of `path` (a hierarchy path from /proc/<pid>/cgroup) under this mount,
    /// or nil when this mount does not expose it.
    public func directory(for path: String) -> String? {
        let relative: Substring
        if root == "/" {
            relative = path.dropFirst(path.hasPrefix("/") ? 1 : 0)
        } else if path == root {
            relative = ""
        } else if path.hasPrefix(root + "/") {
            relative = path.dropFirst(root.count + 1)
        } else {
            return nil
        }
        let base = mountPoint.hasSuffix("/") ? String(mountPoint.dropLast()) : mountPoint
        return relative.isEmpty ? base : base + "/" + relative
    }
}

/// The cgroup directories of one process, as needed for stats and OOM detection.
public struct CgroupPaths: Equatable, Sendable {
    /// v1 memory controller directory.
    public var memory: String?
    /// v1 cpu controller directory (cpu.stat with throttling).
    public var cpu: String?
    /// v1 cpuacct controller directory (cpuacct.usage and friends).
    public var cpuacct: String?
    /// The cgroup v2 directory. On a hybrid host it may hold no memory or cpu controller.
    public var unified: String?

    public init(memory: String? = nil, cpu: String? = nil, cpuacct: String? = nil, unified: String? = nil) {
        self.memory = memory
        self.cpu = cpu
        self.cpuacct = cpuacct
        self.unified = unified
    }

    /// All directories, for callers that want to watch for the cgroup disappearing.
    public var all: [String] { [memory, cpu, cpuacct, unified].compactMap { $0 } }
}

/// Resolves a pid's cgroup directories. `procRoot` is a seam for tests.
public struct CgroupLocator: Sendable {
    public var procRoot: String

    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
    }

    /// Reads /proc/<pid>/cgroup and /proc/self/mountinfo and resolves the directories.
    /// Throws notFound when the process is gone.
    public func locate(pid: pid_t) throws -> CgroupPaths {
        let cgroupFile = try FileSystem.readText("\(procRoot)/\(pid)/cgroup")
        let mountInfo = try FileSystem.readText("\(procRoot)/self/mountinfo")
        return Self.resolve(cgroupFile: cgroupFile, mountInfo: mountInfo)
    }

    /// The pure part of `locate`: both files' texts in, directories out.
    public static func resolve(cgroupFile: String, mountInfo: String) -> CgroupPaths {
        let memberships = CgroupMembership.parse(cgroupFile)
        let mounts = CgroupMount.parse(mountInfo)
        var paths = CgroupPaths()
        for membership in memberships {
            if membership.hierarchyID == 0 && membership.controllers.isEmpty {
                paths.unified = directory(membership.path, mounts.filter(\.unified))
                continue
            }
            let wanted = Set(membership.controllers)
            let candidates = mounts.filter { !$0.unified && Set($0.controllers) == wanted }
            guard let dir = directory(membership.path, candidates) else {
                continue
            }
            if membership.controllers.contains("memory") {
                paths.memory = dir
            }
            if membership.controllers.contains("cpu") {
                paths.cpu = dir
            }
            if membership.controllers.contains("cpuacct") {
                paths.cpuacct = dir
            }
        }
        return paths
    }

    /// Picks a mount exposing `path`, preferring one that mounts the hierarchy's root.
    private static func directory(_ path: String, _ mounts: [CgroupMount]) -> String? {
        let ordered = mounts.filter { $0.root == "/" } + mounts.filter { $0.root != "/" }
        return ordered.lazy.compactMap { $0.directory(for: path) }.first
    }
}

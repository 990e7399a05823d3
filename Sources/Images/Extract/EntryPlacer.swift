import Glibc
import RktError
import RktSys

/// Creates one tar entry of each kind inside a `RootedDirectory` and sets its metadata.
final class EntryPlacer {
    private let rootfs: RootedDirectory
    private let reader: TarReader
    private let preserveOwners: Bool

    init(rootfs: RootedDirectory, reader: TarReader, preserveOwners: Bool) {
        self.rootfs = rootfs
        self.reader = reader
        self.preserveOwners = preserveOwners
    }

    private var archive: String { reader.archiveName }

    /// Creates `entry` at `parts` (relative to rootfs). Directories get their metadata later.
    func place(_ entry: TarEntry, at parts: [String]) throws {
        let (parent, name) = try rootfs.parent(of: parts, create: true, entry: entry.path)
        let exists = try clearSlot(parent, name, for: entry)

        switch entry.kind {
        case .directory:
            if !exists && mkdirat(parent.fd, name, 0o700) != 0 {
                throw RktError.sys("mkdirat", "\(parent.path)/\(name)")
            }
        case .regular:
            try writeFile(entry, parent, name)
        case .symbolicLink:
            guard symlinkat(entry.linkTarget, parent.fd, name) == 0 else {
                throw RktError.sys("symlinkat", "\(parent.path)/\(name)")
            }
            try setLinkMetadata(entry, parent, name)
        case .hardLink:
            try link(entry, parent, name)
        case .characterDevice, .blockDevice, .fifo:
            try makeNode(entry, parent, name)
        }
    }

    /// Owner, mode and mtime of a directory, applied once everything inside it exists.
    func applyDirectoryMetadata(_ entry: TarEntry, at parts: [String]) throws {
        let dir = try rootfs.directory(parts, entry: entry.path)
        try setMetadata(entry, fd: dir.fd, path: dir.path)
    }

    /// Makes room for the new entry: an existing non-directory is replaced (later entries win, as in
    /// tar); an existing directory is kept for a directory entry and is an error for anything else.
    /// Returns whether a directory was kept.
    private func clearSlot(_ parent: Descriptor, _ name: String, for entry: TarEntry) throws -> Bool {
        var info = stat()
        guard fstatat(parent.fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            return false
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            guard entry.kind == .directory else {
                throw RktError(
                    .invalidArgument, "\(archive): entry \"\(entry.path)\" would replace an existing directory")
            }
            return true
        }
        guard unlinkat(parent.fd, name, 0) == 0 else {
            throw RktError.sys("unlinkat", "\(parent.path)/\(name)")
        }
        return false
    }

    private func writeFile(_ entry: TarEntry, _ parent: Descriptor, _ name: String) throws {
        let path = "\(parent.path)/\(name)"
        let fd = openat(parent.fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw RktError.sys("openat", path)
        }
        let file = Descriptor(owning: fd, path: path)

        while true {
            let chunk = try reader.readData()
            if chunk.isEmpty {
                break
            }
            try FileSystem.writeAll(file.fd, chunk, path: path)
        }
        try setMetadata(entry, fd: file.fd, path: path)
    }

    /// A hard link's target is an archive path; it must name something already extracted in rootfs/.
    private func link(_ entry: TarEntry, _ parent: Descriptor, _ name: String) throws {
        let target = entry.linkTarget
        let outside = "\(archive): hard link \"\(entry.path)\" points to \"\(target)\""
        guard !target.hasPrefix("/") else {
            throw RktError(.invalidArgument, "\(outside), an absolute path; hard links must stay inside rootfs/")
        }
        let rawParts = target.split(separator: "/")
        guard !rawParts.contains(".."), rawParts.first == "rootfs", rawParts.count >= 2 else {
            throw RktError(.invalidArgument, "\(outside), outside rootfs/; hard links must stay inside rootfs/")
        }

        let parts = try ArchivePath.components(of: target, archive: archive).dropFirst()
        let (targetParent, targetName) = try rootfs.parent(of: Array(parts), create: false, entry: entry.path)
        var info = stat()
        guard fstatat(targetParent.fd, targetName, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw RktError(.invalidArgument, "\(outside), which does not exist (yet) in the archive")
        }
        guard info.st_mode & S_IFMT != S_IFDIR else {
            throw RktError(.invalidArgument, "\(outside), a directory; hard links to directories are not allowed")
        }
        guard linkat(targetParent.fd, targetName, parent.fd, name, 0) == 0 else {
            throw RktError.sys("linkat", "\(parent.path)/\(name)")
        }
    }

    private func makeNode(_ entry: TarEntry, _ parent: Descriptor, _ name: String) throws {
        let type: mode_t =
            switch entry.kind {
            case .characterDevice: S_IFCHR
            case .blockDevice: S_IFBLK
            default: S_IFIFO
            }
        let device = Self.makeDevice(major: entry.deviceMajor, minor: entry.deviceMinor)
        guard mknodat(parent.fd, name, type | mode_t(entry.mode & 0o7777), device) == 0 else {
            let err = errno
            let hint = err == EPERM ? " (creating device nodes needs root)" : ""
            throw RktError.sys("mknodat", "\(parent.path)/\(name)", errno: err, "cannot create \(entry.path)\(hint)")
        }
        try setLinkMetadata(entry, parent, name)
        guard fchmodat(parent.fd, name, mode_t(entry.mode & 0o7777), 0) == 0 else {
            throw RktError.sys("fchmodat", "\(parent.path)/\(name)")
        }
    }

    /// Owner then mode (chown clears setuid bits, so the order matters) then times, on an open fd.
    private func setMetadata(_ entry: TarEntry, fd: Int32, path: String) throws {
        if preserveOwners {
            guard fchown(fd, uid_t(truncatingIfNeeded: entry.uid), gid_t(truncatingIfNeeded: entry.gid)) == 0 else {
                throw RktError.sys("fchown", path)
            }
        }
        guard fchmod(fd, mode_t(entry.mode & 0o7777)) == 0 else {
            throw RktError.sys("fchmod", path)
        }
        var times = Self.times(entry)
        guard futimens(fd, &times) == 0 else {
            throw RktError.sys("futimens", path)
        }
    }

    /// Owner and times of something we cannot open (a symlink or device node), without following it.
    private func setLinkMetadata(_ entry: TarEntry, _ parent: Descriptor, _ name: String) throws {
        if preserveOwners {
            let uid = uid_t(truncatingIfNeeded: entry.uid)
            let gid = gid_t(truncatingIfNeeded: entry.gid)
            guard fchownat(parent.fd, name, uid, gid, AT_SYMLINK_NOFOLLOW) == 0 else {
                throw RktError.sys("fchownat", "\(parent.path)/\(name)")
            }
        }
        var times = Self.times(entry)
        guard utimensat(parent.fd, name, &times, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw RktError.sys("utimensat", "\(parent.path)/\(name)")
        }
    }

    private static func times(_ entry: TarEntry) -> [timespec] {
        let time = timespec(tv_sec: Int(entry.modificationTime), tv_nsec: 0)
        return [time, time]
    }

    /// glibc's makedev encoding (the macro is not visible from Swift).
    static func makeDevice(major: UInt32, minor: UInt32) -> dev_t {
        let major = UInt64(major)
        let minor = UInt64(minor)
        let high = (major & 0xffff_f000) << 32 | (minor & 0xffff_ff00) << 12
        return dev_t(high | (major & 0x0000_0fff) << 8 | (minor & 0x0000_00ff))
    }
}

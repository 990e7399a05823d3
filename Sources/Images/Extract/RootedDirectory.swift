import Glibc
import RktError
import RktSys

/// A directory we create files under without ever letting a path escape it.
///
/// How escapes are prevented: paths are never handed to the kernel whole. Each lookup starts from an
/// open descriptor of the root and descends one component at a time with
/// `openat(dir, part, O_DIRECTORY | O_NOFOLLOW)`. A component that is a symbolic link fails that
/// call (ELOOP/ENOTDIR) and is reported instead of followed, so a link such as `a -> /` planted by an
/// earlier entry cannot redirect a later `a/etc/x`. The final component is then created relative to
/// its parent's descriptor with the `*at` calls (`mkdirat`, `openat(O_CREAT | O_EXCL | O_NOFOLLOW)`,
/// `symlinkat`, `linkat`, `mknodat`), which never follow a link in the last component either. ".."
/// and absolute names are refused earlier by `ArchivePath`. We are the only writer of the fresh
/// directory, so there is no concurrent attacker to race with between these steps.
final class RootedDirectory {
    let fd: Int32
    let path: String
    /// The archive name that prefixes error messages.
    let label: String
    /// How the root is named in messages, e.g. "rootfs/".
    let displayPrefix: String

    /// Opens an existing directory (not following a symlink in its last component).
    init(path: String, label: String, displayPrefix: String = "") throws {
        self.path = path
        self.label = label
        self.displayPrefix = displayPrefix
        fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            throw RktError.sys("open", path)
        }
    }

    deinit {
        close(fd)
    }

    /// The parent directory of `components` (opened) and the final name. Missing intermediate
    /// directories are created with mode 0755 when `create` is set, as tar does.
    func parent(of components: [String], create: Bool, entry: String) throws -> (Descriptor, String) {
        guard let last = components.last else {
            throw RktError(.invalidArgument, "\(label): entry \"\(entry)\" names the root itself")
        }
        var current = try Descriptor(duplicating: fd, path: path)
        for (depth, part) in components.dropLast().enumerated() {
            let shown = displayPrefix + components[...depth].joined(separator: "/")
            current = try descend(current, part, shown: shown, create: create, entry: entry)
        }
        return (current, last)
    }

    /// Opens the directory at `components` itself (the root for an empty list).
    func directory(_ components: [String], entry: String) throws -> Descriptor {
        guard !components.isEmpty else {
            return try Descriptor(duplicating: fd, path: path)
        }
        let (parentDir, name) = try parent(of: components, create: false, entry: entry)
        return try descend(
            parentDir, name, shown: displayPrefix + components.joined(separator: "/"), create: false, entry: entry)
    }

    private func descend(_ dir: Descriptor, _ part: String, shown: String, create: Bool, entry: String) throws
        -> Descriptor
    {
        let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
        var child = openat(dir.fd, part, flags)
        if child < 0 && errno == ENOENT && create {
            guard mkdirat(dir.fd, part, 0o755) == 0 || errno == EEXIST else {
                throw RktError.sys("mkdirat", "\(dir.path)/\(part)")
            }
            child = openat(dir.fd, part, flags)
        }
        guard child >= 0 else {
            let err = errno
            if err == ELOOP || err == ENOTDIR {
                let what = Self.isSymlink(dir.fd, part) ? "the symbolic link" : "the non-directory"
                throw RktError(
                    .invalidArgument,
                    "\(label): entry \"\(entry)\" would pass through \(what) \"\(shown)\"; refusing to extract it")
            }
            throw RktError.sys("openat", "\(dir.path)/\(part)", errno: err, "cannot open \"\(shown)\" for \"\(entry)\"")
        }
        return Descriptor(owning: child, path: "\(dir.path)/\(part)")
    }

    /// Whether `name` in `dir` is a symbolic link (lstat semantics).
    static func isSymlink(_ dir: Int32, _ name: String) -> Bool {
        var info = stat()
        return fstatat(dir, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }
}

/// An owned file descriptor, closed on release.
final class Descriptor {
    let fd: Int32
    let path: String

    init(owning fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    convenience init(duplicating original: Int32, path: String) throws {
        let copy = fcntl(original, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else {
            throw RktError.sys("fcntl(F_DUPFD_CLOEXEC)", path)
        }
        self.init(owning: copy, path: path)
    }

    deinit {
        close(fd)
    }
}

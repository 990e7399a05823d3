import FoundationEssentials
import Glibc
import RktError

/// File helpers with the guarantees our state needs: atomic replacement and errno-carrying errors.
public enum FileSystem {
    /// Writes `bytes` to `path` atomically: temp file in the same directory, fsync, rename,
    /// fsync of the directory. Readers see the old or the new content, never a mix, and the new
    /// content survives a power loss once this returns.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        try writeFile(bytes, to: path, mode: mode, durable: true)
    }

    /// Writes `bytes` to `path` atomically (temp file and rename) without fsync. For state that
    /// does not outlive a reboot anyway (pods, netns records, bundles): a process crash still never
    /// leaves a torn file, and each write costs microseconds instead of ~10 ms of fsync here.
    public static func replace(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        try writeFile(bytes, to: path, mode: mode, durable: false)
    }

    /// `replace(_:to:mode:)` for UTF-8 text.
    public static func replace(_ text: String, to path: String, mode: mode_t = 0o644) throws {
        try writeFile(Array(text.utf8), to: path, mode: mode, durable: false)
    }

    private static func writeFile(_ bytes: [UInt8], to path: String, mode: mode_t, durable: Bool) throws {
        let directory = PathText.directory(of: path)
        let temp = "\(path).tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw RktError.sys("open", temp)
        }
        defer { close(fd) }

        try writeAll(fd, bytes, path: temp)
        guard !durable || fsync(fd) == 0 else {
            throw RktError.sys("fsync", temp)
        }
        guard rename(temp, path) == 0 else {
            let err = errno
            unlink(temp)
            throw RktError.sys("rename", "\(temp) -> \(path)", errno: err)
        }
        if durable {
            try syncDirectory(directory.isEmpty ? "." : directory)
        }
    }

    /// Writes `text` (UTF-8) atomically; see `writeAtomically(_:to:mode:)`.
    public static func writeAtomically(_ text: String, to path: String, mode: mode_t = 0o644) throws {
        try writeAtomically(Array(text.utf8), to: path, mode: mode)
    }

    /// fsyncs a directory so that a rename inside it is durable.
    public static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw RktError.sys("open", path)
        }
        defer { close(fd) }
        guard fsync(fd) == 0 else {
            throw RktError.sys("fsync", path)
        }
    }

    /// Writes every byte, retrying short writes and EINTR.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { chunk in
                retryingEINTR { write(fd, chunk.baseAddress, chunk.count) }
            }
            guard count > 0 else {
                throw RktError.sys("write", path)
            }
            offset += count
        }
    }

    /// Reads a whole file, until read(2) returns 0. Files in /proc report size 0 and hand out
    /// one page per read (seq_file), so a reader that trusts the size or stops at the first short
    /// read (as `FileManager.contents(atPath:)` does) cuts /proc/self/mountinfo after 4 KiB.
    public static func read(_ path: String) throws -> [UInt8] {
        let fd = retryingEINTR { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else {
            throw RktError.sys("open", path, "cannot read \(path)")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = retryingEINTR { Glibc.read(fd, &buffer, buffer.count) }
            guard count >= 0 else {
                throw RktError.sys("read", path, "cannot read \(path)")
            }
            if count == 0 {
                return bytes
            }
            bytes += buffer[0..<count]
        }
    }

    /// Reads a whole file as UTF-8 text.
    public static func readText(_ path: String) throws -> String {
        String(decoding: try read(path), as: UTF8.self)
    }

    /// mkdir -p with the given mode for the directories it creates.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/\(component)"
            if mkdir(current, mode) != 0 && errno != EEXIST {
                throw RktError.sys("mkdir", current)
            }
        }
    }

    /// rm -rf, not following symlinks and staying on one filesystem would be nicer; this refuses
    /// to cross mount points by checking st_dev, so a forgotten bind mount is never emptied.
    public static func removeTree(_ path: String) throws {
        var root = stat()
        guard lstat(path, &root) == 0 else {
            if errno == ENOENT {
                return
            }
            throw RktError.sys("lstat", path)
        }
        try removeTree(path, device: root.st_dev)
    }

    /// An entry that vanishes during the walk (ENOENT) counts as removed: a process may still be
    /// cleaning up its own files there, as an exiting executor unlinks its socket.
    private static func removeTree(_ path: String, device: dev_t) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT {
                return
            }
            throw RktError.sys("lstat", path)
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            guard info.st_dev == device else {
                throw RktError(.invalidState, "refusing to remove \(path): it is a mount point (unmount it first)")
            }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            for entry in entries {
                try removeTree("\(path)/\(entry)", device: device)
            }
            guard rmdir(path) == 0 || errno == ENOENT else {
                throw RktError.sys("rmdir", path)
            }
        } else if unlink(path) != 0 && errno != ENOENT {
            throw RktError.sys("unlink", path)
        }
    }

    /// Whether `path` exists (without following a final symlink).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Whether `path` is a directory, or a symlink to one.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Where temporary files go: `$TMPDIR`, else `/tmp`, with a trailing slash.
    public static var temporaryDirectory: String {
        let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return directory.hasSuffix("/") ? directory : directory + "/"
    }
}

extension FileSystem {
    /// The names in a directory, sorted.
    public static func list(_ path: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw RktError(.notFound, "cannot list directory \(path)")
        }
    }
}

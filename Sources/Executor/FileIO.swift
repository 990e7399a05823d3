import Glibc

/// Small file helpers over raw descriptors (no Foundation in this target).
enum FileIO {
    /// Writes every byte of `bytes` to `fd`, continuing after short writes.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, what: String) throws(ExecutorError) {
        var offset = 0
        while offset < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            let written = try sys("write", what) { write(fd, rest.baseAddress, rest.count) }
            offset += written
        }
    }

    /// Writes all of `text` to `fd`.
    static func writeAll(_ fd: Int32, _ text: String, what: String) throws(ExecutorError) {
        let result = Array(text.utf8).withUnsafeBytes { raw in
            Result { () throws(ExecutorError) in try writeAll(fd, raw, what: what) }
        }
        try result.get()
    }

    /// Replaces `path` with `text` so a reader sees the old file or the new one, never a torn one, and the new
    /// one survives a crash: write a temporary sibling, fsync it, rename it over `path`, fsync the directory.
    static func writeAtomically(_ path: String, _ text: String, mode: mode_t = 0o600) throws(ExecutorError) {
        let temporary = "\(path).tmp"
        let fd = try sys("open", temporary) { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode) }
        do {
            try writeAll(fd, text, what: temporary)
            try sys("fsync", temporary) { fsync(fd) }
            closeQuietly(fd)
        } catch {
            closeQuietly(fd)
            _ = unlink(temporary)
            throw error
        }
        try sys("rename", path) { rename(temporary, path) }
        try syncDirectory(of: path)
    }

    /// Fsyncs the directory holding `path`, so a rename into it is durable.
    static func syncDirectory(of path: String) throws(ExecutorError) {
        let directory = parentDirectory(path)
        let fd = try sys("open", directory) { open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { closeQuietly(fd) }
        try sys("fsync", directory) { fsync(fd) }
    }

    /// The directory part of `path` ("." for a bare name, "/" for a top-level entry).
    static func parentDirectory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else {
            return "."
        }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Creates `path` with `mode` unless it exists already as a directory; the parent must exist.
    static func makeDirectory(_ path: String, mode: mode_t) throws(ExecutorError) {
        if mkdir(path, mode) == 0 {
            return
        }
        let err = errno
        var info = stat()
        guard err == EEXIST, stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw ExecutorError.syscall("mkdir", path, errno: err)
        }
    }

    /// Reads the whole file at `path` as UTF-8 text.
    static func readText(_ path: String, limit: Int = 1 << 20) throws(ExecutorError) -> String {
        let fd = try sys("open", path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { closeQuietly(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let count = try sys("read", path) { chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } }
            if count == 0 {
                break
            }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

import Glibc

/// Writes one stream of the task's output to numbered files, rotating by size.
///
/// Files are `<directory>/<baseName>.<N>`; the highest N is current. On start the writer appends to the
/// highest existing file, so a new executor for the same task continues the same sequence. Write failures
/// (a full disk, a removed directory) never stop the caller: the bytes are counted as dropped, one note is
/// given per run of failures, and the next write tries to reopen the file.
struct LogRotator {
    let directory: String
    let baseName: String
    let maxFiles: Int
    let maxBytes: Int

    private(set) var index = 0
    private(set) var size = 0
    private(set) var droppedBytes: Int64 = 0
    private var fd: Int32 = -1
    private var failing = false

    /// Prepares the writer and removes files beyond `maxFiles`; the first write opens the file.
    init(directory: String, baseName: String, maxFiles: Int, maxBytes: Int) {
        self.directory = directory
        self.baseName = baseName
        self.maxFiles = maxFiles
        self.maxBytes = maxBytes
        let existing = Self.existingIndexes(directory: directory, baseName: baseName)
        index = existing.max() ?? 0
        for old in existing where old <= index - maxFiles {
            _ = unlink(path(old))
        }
    }

    /// The path of file `number`.
    func path(_ number: Int) -> String { "\(directory)/\(baseName).\(number)" }

    /// Appends `bytes`, rotating whenever the current file is full. Returns a note for the executor's own log
    /// when writing starts failing, else nil.
    mutating func write(_ bytes: UnsafeRawBufferPointer) -> String? {
        var offset = 0
        while offset < bytes.count {
            if size >= maxBytes {
                rotate()
            }
            let take = min(bytes.count - offset, maxBytes - size)
            let chunk = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + take])
            do throws(ExecutorError) {
                try openIfNeeded()
                try FileIO.writeAll(fd, chunk, what: path(index))
            } catch {
                return fail(error, dropping: bytes.count - offset)
            }
            failing = false
            size += take
            offset += take
        }
        return nil
    }

    /// Closes the current file.
    mutating func close() {
        closeQuietly(fd)
        fd = -1
    }

    private mutating func fail(_ error: ExecutorError, dropping count: Int) -> String? {
        droppedBytes += Int64(count)
        close()
        if failing {
            return nil
        }
        failing = true
        return "log \(baseName): \(error.message); dropping output until writes succeed again"
    }

    private mutating func openIfNeeded() throws(ExecutorError) {
        guard fd < 0 else {
            return
        }
        let target = path(index)
        fd = try sys("open", target) { open(target, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644) }
        var info = stat()
        size = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
    }

    private mutating func rotate() {
        close()
        index += 1
        size = 0
        if index - maxFiles >= 0 {
            _ = unlink(path(index - maxFiles))
        }
        // A leftover file with this number (from an older run) must not be appended to.
        _ = unlink(path(index))
    }

    /// The numbers N of existing `<baseName>.N` files.
    static func existingIndexes(directory: String, baseName: String) -> [Int] {
        guard let dir = opendir(directory) else {
            return []
        }
        defer { closedir(dir) }
        let prefix = baseName + "."
        var found: [Int] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(prefix), let number = Int(name.dropFirst(prefix.count)), number >= 0 {
                found.append(number)
            }
        }
        return found
    }
}

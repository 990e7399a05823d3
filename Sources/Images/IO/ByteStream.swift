import Glibc
import RktError
import RktSys

/// Something bytes can be pulled from in chunks: a file, a decompressor, a hashing tap.
public protocol ByteSource: AnyObject {
    /// Returns up to `maxCount` bytes; an empty array means the end of the stream.
    func read(maxCount: Int) throws -> [UInt8]
}

/// Something bytes can be pushed into in chunks: a file, a compressor, memory.
public protocol ByteSink: AnyObject {
    /// Accepts all of `bytes` (or throws).
    func write(_ bytes: [UInt8]) throws

    /// Flushes anything buffered; called once after the last `write`.
    func finish() throws
}

/// Reads a file descriptor with read(2). The descriptor is closed when the source is released
/// if the source opened it.
public final class FileSource: ByteSource {
    /// The path used in error messages.
    public let path: String
    private let fd: Int32
    private let ownsDescriptor: Bool

    /// Opens `path` read-only.
    public init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        ownsDescriptor = true
        guard fd >= 0 else {
            throw RktError.sys("open", path, "cannot open \(path)")
        }
    }

    deinit {
        if ownsDescriptor {
            close(fd)
        }
    }

    public func read(maxCount: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maxCount)
        let count = buffer.withUnsafeMutableBytes { raw in
            retryingEINTR { Glibc.read(fd, raw.baseAddress, raw.count) }
        }
        guard count >= 0 else {
            throw RktError.sys("read", path, "cannot read \(path)")
        }
        buffer.removeLast(maxCount - count)
        return buffer
    }
}

/// Writes to a file descriptor it owns; `finish` fsyncs it.
public final class FileSink: ByteSink {
    /// The path used in error messages.
    public let path: String
    private let fd: Int32

    /// Creates (or truncates) `path` with `mode`.
    public init(path: String, mode: mode_t = 0o644, exclusive: Bool = false) throws {
        self.path = path
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC)
        fd = open(path, flags, mode)
        guard fd >= 0 else {
            throw RktError.sys("open", path, "cannot create \(path)")
        }
    }

    deinit {
        close(fd)
    }

    public func write(_ bytes: [UInt8]) throws {
        try FileSystem.writeAll(fd, bytes, path: path)
    }

    public func finish() throws {
        guard fsync(fd) == 0 else {
            throw RktError.sys("fsync", path)
        }
    }
}

/// An in-memory source, for small archives and tests.
public final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    /// A source that yields `bytes` and then ends.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public func read(maxCount: Int) throws -> [UInt8] {
        let end = min(bytes.count, offset + maxCount)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

/// An in-memory sink; `bytes` holds everything written.
public final class MemorySink: ByteSink {
    /// Everything written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty sink.
    public init() {}

    public func write(_ bytes: [UInt8]) throws {
        self.bytes.append(contentsOf: bytes)
    }

    public func finish() throws {}
}

/// Yields some already-read bytes, then the rest of another source: how a sniffed header is put back.
final class PrefixedSource: ByteSource {
    private var prefix: [UInt8]
    private let rest: any ByteSource

    init(prefix: [UInt8], rest: any ByteSource) {
        self.prefix = prefix
        self.rest = rest
    }

    func read(maxCount: Int) throws -> [UInt8] {
        guard prefix.isEmpty else {
            let chunk = Array(prefix.prefix(maxCount))
            prefix.removeFirst(chunk.count)
            return chunk
        }
        return try rest.read(maxCount: maxCount)
    }
}

/// Passes bytes through while hashing and counting them: the image ID is computed as the tar streams.
public final class HashingSource: ByteSource {
    private let inner: any ByteSource
    private var hasher = SHA512()

    /// How many bytes have passed through.
    public private(set) var byteCount: UInt64 = 0

    /// Wraps `inner`.
    public init(_ inner: any ByteSource) {
        self.inner = inner
    }

    public func read(maxCount: Int) throws -> [UInt8] {
        let chunk = try inner.read(maxCount: maxCount)
        hasher.update(chunk)
        byteCount += UInt64(chunk.count)
        return chunk
    }

    /// Reads (and hashes) whatever is left, e.g. the zero padding after the tar end marker.
    public func drain() throws {
        while try !read(maxCount: 64 * 1024).isEmpty {}
    }

    /// The hex SHA-512 of everything read so far. Call once, at the end.
    public func hexDigest() -> String {
        var copy = hasher
        return SHA512.hex(copy.finalize())
    }
}

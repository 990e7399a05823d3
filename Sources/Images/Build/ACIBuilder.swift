import FoundationEssentials
import Glibc
import RktError
import RktSys

/// Builds an ACI from a root filesystem directory and a manifest, like `actool build`.
///
/// The archive holds `manifest` first, then `rootfs/` and everything below it, depth first with the
/// names of each directory sorted bytewise, so the same tree always gives the same bytes (and image ID).
/// Modes, owners, modification times, symlinks, device nodes and FIFOs are recorded as they are; files
/// with several links become one regular entry plus hard-link entries. Sockets are skipped (they
/// cannot be archived). Extended attributes are not recorded.
public enum ACIBuilder {
    /// Validates `manifest`, archives `rootfs` and writes the ACI to `output` (gzip-compressed when
    /// `gzip` is set). Refuses an output path inside the rootfs, and an existing output unless
    /// `overwrite`. Returns the image ID the ACI will have once imported.
    @discardableResult
    public static func build(
        rootfs: String, manifest: ImageManifest, output: String, gzip: Bool = true, overwrite: Bool = false
    ) throws -> ImageID {
        try manifest.validate()
        let rootInfo = try lstatOrThrow(rootfs)
        guard rootInfo.st_mode & S_IFMT == S_IFDIR else {
            throw RktError(.invalidArgument, "rootfs \(rootfs) is not a directory")
        }
        try refuseOutputInside(rootfs: rootfs, output: output)
        if !overwrite && FileSystem.exists(output) {
            throw RktError(.exists, "\(output) already exists; remove it or pass overwrite")
        }

        let temp = "\(output).tmp-\(getpid())"
        do {
            let id = try writeArchive(rootfs: rootfs, rootInfo: rootInfo, manifest: manifest, to: temp, gzip: gzip)
            guard rename(temp, output) == 0 else {
                throw RktError.sys("rename", "\(temp) -> \(output)")
            }
            return id
        } catch {
            unlink(temp)
            throw error
        }
    }

    private static func writeArchive(
        rootfs: String, rootInfo: stat, manifest: ImageManifest, to path: String, gzip: Bool
    ) throws -> ImageID {
        let file = try FileSink(path: path, mode: 0o644, exclusive: true)
        let hashing = HashingSink(try gzip ? GzipSink(file) : file)
        let writer = TarWriter(hashing)

        let manifestBytes = try manifest.encoded(pretty: true)
        let manifestEntry = TarEntry(
            path: "manifest", kind: .regular, mode: 0o644, modificationTime: Int64(rootInfo.st_mtim.tv_sec))
        try writer.write(manifestEntry, data: manifestBytes)

        let walker = TreeArchiver(writer: writer)
        try walker.add(hostPath: rootfs, archivePath: "rootfs", info: rootInfo)
        try writer.finish()
        return ImageID(digestHex: hashing.hexDigest())
    }

    /// The output must not be written into the tree being archived (it would archive itself).
    private static func refuseOutputInside(rootfs: String, output: String) throws {
        guard let root = realPath(rootfs) else {
            throw RktError.sys("realpath", rootfs)
        }
        let parentPath = PathText.directory(of: output)
        guard let parent = realPath(parentPath.isEmpty ? "." : parentPath) else {
            throw RktError.sys("realpath", parentPath, "the directory of \(output) does not exist")
        }
        let resolved = parent + "/" + PathText.lastComponent(of: output)
        if resolved == root || resolved.hasPrefix(root == "/" ? "/" : root + "/") {
            throw RktError(
                .invalidArgument, "output \(output) is inside the rootfs \(rootfs); write the ACI somewhere else")
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else {
            return nil
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func lstatOrThrow(_ path: String) throws -> stat {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw RktError.sys("lstat", path)
        }
        return info
    }
}

/// Hashes the uncompressed tar on its way to the (possibly compressing) sink.
private final class HashingSink: ByteSink {
    private let inner: any ByteSink
    private var hasher = SHA512()

    init(_ inner: any ByteSink) {
        self.inner = inner
    }

    func write(_ bytes: [UInt8]) throws {
        hasher.update(bytes)
        try inner.write(bytes)
    }

    func finish() throws {
        try inner.finish()
    }

    func hexDigest() -> String {
        var copy = hasher
        return SHA512.hex(copy.finalize())
    }
}

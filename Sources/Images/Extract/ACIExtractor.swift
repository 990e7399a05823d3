import Glibc
import RktError
import RktSys

/// Extracts an ACI tar stream into a new directory, safely.
///
/// The archive may contain only a regular file `manifest` and a directory `rootfs/` at its top level.
/// Everything under `rootfs/` is created inside `<destination>/rootfs` through `RootedDirectory`, which
/// descends one component at a time with `O_NOFOLLOW` and creates with the `*at` calls, so no entry can
/// land outside it (see that type for the details). Absolute names, ".." components, paths through a
/// symlink, and hard links whose target is absolute or outside `rootfs/` are refused.
///
/// Preserved: permission bits (including setuid/setgid/sticky), modification times, symlinks, hard
/// links within rootfs, and, when running as root, owners (via fchown/lchown). Character and block
/// devices and FIFOs are created with `mknodat`; devices therefore need root, and when not root they fail
/// with a clear error rather than being skipped. Directory metadata is applied after all entries, deepest
/// first, so that creating children does not disturb the recorded mtimes and read-only directories can
/// still be filled. Extended attributes are not restored.
///
/// On any error the destination directory is removed entirely before the error is rethrown.
public enum ACIExtractor {
    /// The biggest manifest accepted.
    public static let manifestLimit = 4 << 20

    /// Extracts the tar stream `source` into `destination` (which must not exist yet) and returns the
    /// manifest bytes, also written to `<destination>/manifest`. `archiveName` prefixes error messages.
    @discardableResult
    public static func extract(from source: any ByteSource, archiveName: String, into destination: String) throws
        -> [UInt8]
    {
        guard mkdir(destination, 0o700) == 0 else {
            throw RktError.sys("mkdir", destination, "cannot create the extraction directory \(destination)")
        }

        do {
            guard mkdir(destination + "/rootfs", 0o755) == 0 else {
                throw RktError.sys("mkdir", destination + "/rootfs")
            }
            let reader = TarReader(source, archiveName: archiveName)
            let job = try ExtractionJob(reader: reader, destination: destination)
            return try job.run()
        } catch {
            try? FileSystem.removeTree(destination)
            throw error
        }
    }
}

/// The state of one extraction: the open rootfs, what has been seen, deferred directory metadata.
private final class ExtractionJob {
    private let reader: TarReader
    private let destination: String
    private let rootfs: RootedDirectory
    private let placer: EntryPlacer
    private var manifest: [UInt8]?
    private var sawRootfs = false
    private var directories: [([String], TarEntry)] = []

    init(reader: TarReader, destination: String) throws {
        self.reader = reader
        self.destination = destination
        rootfs = try RootedDirectory(
            path: destination + "/rootfs", label: reader.archiveName, displayPrefix: "rootfs/")
        placer = EntryPlacer(rootfs: rootfs, reader: reader, preserveOwners: geteuid() == 0)
    }

    var archive: String { reader.archiveName }

    func run() throws -> [UInt8] {
        while let entry = try reader.next() {
            try handle(entry)
        }
        guard let manifest else {
            throw RktError(.invalidArgument, "\(archive): not an ACI: it has no \"manifest\" file at the top level")
        }
        guard sawRootfs else {
            throw RktError(.invalidArgument, "\(archive): not an ACI: it has no \"rootfs/\" directory")
        }

        for (parts, entry) in directories.sorted(by: { $0.0.count > $1.0.count }) {
            try placer.applyDirectoryMetadata(entry, at: parts)
        }
        let sink = try FileSink(path: destination + "/manifest", mode: 0o644, exclusive: true)
        try sink.write(manifest)
        try sink.finish()
        return manifest
    }

    private func handle(_ entry: TarEntry) throws {
        let parts = try ArchivePath.components(of: entry.path, archive: archive)
        guard let top = parts.first else {
            return
        }

        switch top {
        case "manifest" where parts.count == 1:
            try readManifest(entry)
        case "rootfs":
            sawRootfs = true
            let inner = Array(parts.dropFirst())
            if entry.kind == .directory {
                directories.append((inner, entry))
            }
            if inner.isEmpty {
                guard entry.kind == .directory else {
                    throw RktError(.invalidArgument, "\(archive): \"rootfs\" must be a directory in an ACI")
                }
                return
            }
            try placer.place(entry, at: inner)
        default:
            throw RktError(
                .invalidArgument,
                "\(archive): unexpected top-level entry \"\(entry.path)\"; an ACI holds only \"manifest\" and "
                    + "\"rootfs/\"")
        }
    }

    private func readManifest(_ entry: TarEntry) throws {
        guard entry.kind == .regular else {
            throw RktError(.invalidArgument, "\(archive): \"manifest\" must be a regular file")
        }
        guard manifest == nil else {
            throw RktError(.invalidArgument, "\(archive): \"manifest\" appears more than once")
        }
        manifest = try reader.readAllData(limit: ACIExtractor.manifestLimit)
    }
}

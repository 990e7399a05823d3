import FoundationEssentials
import Glibc
import RktError
import RktSys

/// Walks a directory tree in a fixed order and writes each file as a tar entry.
final class TreeArchiver {
    private let writer: TarWriter
    private var firstLinks: [InodeKey: String] = [:]

    private struct InodeKey: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    init(writer: TarWriter) {
        self.writer = writer
    }

    /// Adds `hostPath` (already lstat'ed as `info`) under `archivePath`, recursing into directories.
    func add(hostPath: String, archivePath: String, info: stat) throws {
        var entry = TarEntry(
            path: archivePath, kind: .regular, mode: UInt32(info.st_mode & 0o7777), uid: Int(info.st_uid),
            gid: Int(info.st_gid), modificationTime: Int64(info.st_mtim.tv_sec))

        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            entry.kind = .directory
            entry.path += "/"
            try writer.write(entry)
            for name in try sortedNames(hostPath) {
                let child = hostPath + "/" + name
                try add(hostPath: child, archivePath: archivePath + "/" + name, info: ACIBuilder.lstatOrThrow(child))
            }
        case S_IFREG:
            try addFile(hostPath, entry, info)
        case S_IFLNK:
            entry.kind = .symbolicLink
            entry.linkTarget = try readLink(hostPath)
            try writer.write(entry)
        case S_IFCHR, S_IFBLK:
            entry.kind = info.st_mode & S_IFMT == S_IFCHR ? .characterDevice : .blockDevice
            (entry.deviceMajor, entry.deviceMinor) = Self.split(UInt64(info.st_rdev))
            try writer.write(entry)
        case S_IFIFO:
            entry.kind = .fifo
            try writer.write(entry)
        default:
            return  // sockets: nothing to archive
        }
    }

    /// A regular file, or a hard link to the first path seen with the same inode.
    private func addFile(_ hostPath: String, _ entry: TarEntry, _ info: stat) throws {
        var entry = entry
        let key = InodeKey(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        if info.st_nlink > 1 {
            if let first = firstLinks[key] {
                entry.kind = .hardLink
                entry.linkTarget = first
                try writer.write(entry)
                return
            }
            firstLinks[key] = entry.path
        }

        entry.size = Int64(info.st_size)
        try writer.begin(entry)
        let source = try FileSource(path: hostPath)
        var left = entry.size
        while left > 0 {
            let chunk = try source.read(maxCount: Int(min(left, 256 * 1024)))
            guard !chunk.isEmpty else {
                throw RktError(.invalidState, "\(hostPath) shrank while it was being archived")
            }
            try writer.writeData(chunk)
            left -= Int64(chunk.count)
        }
    }

    /// Directory entries in bytewise name order (stable across locales and runs).
    private func sortedNames(_ path: String) throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw RktError(.internal, "cannot list \(path): \(error)")
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    private func readLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else {
            throw RktError.sys("readlink", path)
        }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// glibc's major/minor split of a device number.
    static func split(_ device: UInt64) -> (UInt32, UInt32) {
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & 0xffff_f000)
        let minor = (device & 0xff) | ((device >> 12) & 0xffff_ff00)
        return (UInt32(truncatingIfNeeded: major), UInt32(truncatingIfNeeded: minor))
    }
}

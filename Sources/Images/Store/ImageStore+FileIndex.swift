import FoundationEssentials
import Glibc
import RktSys

/// Remembers which stored image an ACI file produced, keyed by the file's absolute path and
/// identified by its device, inode, size and modification time (nanoseconds), like `make`
/// trusts timestamps. Preparing the same unchanged file again then skips decompressing,
/// hashing and extracting it. Any change to the file, or a missing image, falls back to a full
/// import. Entries live in `<root>/by-file/<sha512(path) prefix>.json`.
extension ImageStore {
    /// The identity of a file as the index compares it.
    struct FileFingerprint: Codable, Equatable {
        var path: String
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedNanoseconds: Int64
        var key: String

        init?(path: String, key: String) {
            var info = stat()
            guard stat(path, &info) == 0 else {
                return nil
            }
            self.path = path
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            self.key = key
        }
    }

    var fileIndexDirectory: String { root + "/by-file" }

    /// The stored image an unchanged file was imported as, if the index knows it.
    func indexedImage(forFile path: String) -> StoredImage? {
        let entry = indexEntryPath(path)
        guard let bytes = try? FileSystem.read(entry), let saved = try? JSON.decode(FileFingerprint.self, from: bytes),
            FileFingerprint(path: path, key: saved.key) == saved
        else {
            return nil
        }
        return try? load(key: saved.key)
    }

    /// Records that `path`, as it is now, imports as `key`. Failing to record is harmless.
    func recordImport(ofFile path: String, key: String) {
        guard let fingerprint = FileFingerprint(path: path, key: key), let bytes = try? JSON.encode(fingerprint) else {
            return
        }
        try? FileSystem.makeDirectories(fileIndexDirectory, mode: 0o755)
        try? FileSystem.writeAtomically(bytes, to: indexEntryPath(path))
    }

    private func indexEntryPath(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let digest = SHA512.hexDigest(Array(absolute.utf8))
        return "\(fileIndexDirectory)/\(digest.prefix(32)).json"
    }
}

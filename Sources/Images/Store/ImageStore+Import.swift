import FoundationEssentials
import Glibc
import RktError
import RktSys

extension ImageStore {
    /// Imports an ACI file (a path or a `file://` URL; plain or gzip-compressed tar).
    ///
    /// The image ID is computed while the archive streams through the extractor, into a fresh
    /// directory under `tmp/`. The manifest is then decoded and validated, and the directory is renamed
    /// to `images/<key>` in one step. Importing an image that is already present returns the stored
    /// copy (the new extraction is discarded), so the call is idempotent and safe to race.
    public func importImage(fromFile location: String) throws -> StoredImage {
        let path = try Self.localPath(location)
        if let known = indexedImage(forFile: path) {
            return known
        }
        let work = "\(tempDirectory)/import-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

        let hashing = try HashingSource(Compression.decompressing(FileSource(path: path), name: path))
        let manifestBytes = try ACIExtractor.extract(from: hashing, archiveName: path, into: work)
        do {
            try hashing.drain()
            let id = ImageID(digestHex: hashing.hexDigest())
            try ImageManifest.decode(manifestBytes, source: "\(path): manifest").validate()

            let info = StoredImageInfo(
                version: StoredImageInfo.currentVersion, id: id.full,
                importedAt: Date().timeIntervalSince1970, size: hashing.byteCount)
            try FileSystem.writeAtomically(try JSON.encode(info), to: work + "/info.json")
            let stored = try publish(work, as: id)
            recordImport(ofFile: path, key: stored.key)
            return stored
        } catch {
            try? FileSystem.removeTree(work)
            throw Self.annotate(error, path: path)
        }
    }

    /// Renames the finished work directory into place, or keeps the copy already there.
    private func publish(_ work: String, as id: ImageID) throws -> StoredImage {
        let target = "\(imagesDirectory)/\(id.storeKey)"
        if FileSystem.exists(target) {
            try FileSystem.removeTree(work)
            return try load(key: id.storeKey)
        }

        guard rename(work, target) == 0 else {
            let err = errno
            guard err == EEXIST || err == ENOTEMPTY else {
                throw RktError.sys("rename", "\(work) -> \(target)", errno: err, "cannot store image \(id.storeKey)")
            }
            try FileSystem.removeTree(work)
            return try load(key: id.storeKey)
        }
        try FileSystem.syncDirectory(imagesDirectory)
        return try load(key: id.storeKey)
    }

    /// Accepts "/abs/x.aci", "rel/x.aci" or "file:///abs/x.aci"; other URL schemes are refused.
    static func localPath(_ location: String) throws -> String {
        var path = location
        if location.hasPrefix("file://") {
            guard let url = URL(string: location), url.isFileURL, !url.path.isEmpty else {
                throw RktError(.invalidArgument, "\"\(location)\" is not a usable file:// URL")
            }
            path = url.path
        } else if location.contains("://") {
            throw RktError(.unsupported, "\"\(location)\": only local files and file:// URLs can be imported")
        }

        var info = stat()
        guard stat(path, &info) == 0 else {
            throw RktError.sys("stat", path, "cannot import \(path)")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw RktError(.invalidArgument, "cannot import \(path): not a regular file")
        }
        return path
    }

    /// Prefixes manifest problems with the archive they came from.
    private static func annotate(_ error: any Error, path: String) -> any Error {
        guard let rkt = error as? RktError, rkt.message.hasPrefix("invalid image manifest") else {
            return error
        }
        return RktError(rkt.code, "\(path): \(rkt.message)")
    }
}

import FoundationEssentials
import Glibc
import RktError
import RktSys

/// A directory of imported ACIs, one extracted image per store key.
///
/// Layout under `root`:
/// * `images/<key>/manifest` – the manifest bytes as found in the archive;
/// * `images/<key>/rootfs/` – the extracted root filesystem;
/// * `images/<key>/info.json` – full ID, import time and size;
/// * `tmp/` – work directories; an import is extracted here and renamed into `images/` in one step,
///   so readers see a complete image or none;
/// * `quarantine/` – image directories that could not be loaded, moved aside instead of skipped.
public final class ImageStore: Sendable {
    /// The store's top directory.
    public let root: String
    private let logger: Logger

    /// Opens (creating if needed) a store at `root`.
    public init(root: String, logger: Logger = Logger(label: "images", level: .warning)) throws {
        self.root = root
        self.logger = logger
        try FileSystem.makeDirectories(imagesDirectory, mode: 0o755)
        try FileSystem.makeDirectories(tempDirectory, mode: 0o700)
    }

    var imagesDirectory: String { root + "/images" }
    var tempDirectory: String { root + "/tmp" }
    var quarantineDirectory: String { root + "/quarantine" }

    /// Every loadable image, oldest import first. Damaged entries are moved to `quarantine/` and logged.
    public func allImages() throws -> [StoredImage] {
        var images: [StoredImage] = []
        for key in try storedKeys() {
            do {
                images.append(try load(key: key))
            } catch  where FileSystem.exists("\(imagesDirectory)/\(key)") {
                quarantine(key: key, because: error)
            } catch {
                continue  // removed while we were listing
            }
        }
        return images.sorted { ($0.importedAt, $0.key) < ($1.importedAt, $1.key) }
    }

    /// The image whose ID starts with `idOrPrefix` ("sha512-" and at least two hex digits; the full
    /// 128-digit ID and the 64-digit key work too). No match is `notFound`; several are an error.
    public func image(matching idOrPrefix: String) throws -> StoredImage {
        let prefix = idOrPrefix.lowercased()
        guard ImageID.isLookupPrefix(prefix) else {
            throw RktError(
                .invalidArgument,
                "\"\(idOrPrefix)\" is not an image ID prefix; use \"sha512-\" followed by at least 2 hex digits")
        }

        let keyPrefix = String(prefix.prefix(ImageID.prefix.count + 64))
        let candidates = try storedKeys().filter { $0.hasPrefix(keyPrefix) }
        let matches = try candidates.map { try load(key: $0) }.filter { $0.id.hasPrefix(prefix) }
        guard let first = matches.first else {
            throw RktError(.notFound, "no image in the store matches \"\(idOrPrefix)\"")
        }
        guard matches.count == 1 else {
            let keys = matches.map(\.key).sorted().joined(separator: ", ")
            throw RktError(
                .invalidArgument,
                "image ID prefix \"\(idOrPrefix)\" is ambiguous: it matches \(matches.count) images (\(keys)); "
                    + "give more digits")
        }
        return first
    }

    /// The most recently imported image called `name` that carries every label in `labels`
    /// (e.g. ["version": "1.0", "os": "linux"]); nil if there is none.
    public func image(named name: String, labels: [String: String] = [:]) throws -> StoredImage? {
        try allImages().last { image in
            image.manifest.name == name && labels.allSatisfy { image.manifest.label($0.key) == $0.value }
        }
    }

    /// Deletes the image stored under `key` (a store key or full ID). It disappears from `images/` in
    /// one rename before its files are removed.
    public func remove(key: String) throws {
        let storeKey = try Self.normalizedKey(key)
        let source = "\(imagesDirectory)/\(storeKey)"
        guard FileSystem.exists(source) else {
            throw RktError(.notFound, "no image with key \(storeKey) in the store")
        }
        let doomed = "\(tempDirectory)/remove-\(storeKey)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard rename(source, doomed) == 0 else {
            throw RktError.sys("rename", "\(source) -> \(doomed)", "cannot remove image \(storeKey)")
        }
        try FileSystem.syncDirectory(imagesDirectory)
        try FileSystem.removeTree(doomed)
    }

    /// Loads one image by store key.
    func load(key: String) throws -> StoredImage {
        let directory = "\(imagesDirectory)/\(key)"
        let info = try JSON.decode(StoredImageInfo.self, from: try FileSystem.read(directory + "/info.json"))
        guard let id = ImageID(info.id), id.storeKey == key else {
            throw RktError(.invalidState, "\(directory)/info.json names image \(info.id), which does not match its key")
        }
        let manifestBytes = try FileSystem.read(directory + "/manifest")
        let manifest = try ImageManifest.decode(manifestBytes, source: directory + "/manifest")
        return StoredImage(
            id: id.full, key: key, manifest: manifest, manifestBytes: manifestBytes, path: directory,
            rootfsPath: directory + "/rootfs", importedAt: Date(timeIntervalSince1970: info.importedAt),
            size: info.size)
    }

    /// Directory names under `images/` that are well-formed store keys.
    func storedKeys() throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: imagesDirectory)
        } catch {
            throw RktError(.internal, "cannot list \(imagesDirectory): \(error)")
        }
        return names.filter { name in
            let isKey = (ImageID.hexPart(name)?.count ?? 0) == 64
            if !isKey {
                logger.debug("ignoring a non-image entry in the store", ["path": "\(imagesDirectory)/\(name)"])
            }
            return isKey
        }.sorted()
    }

    /// A store key from a key or a full ID.
    static func normalizedKey(_ text: String) throws -> String {
        let lowered = text.lowercased()
        guard let hex = ImageID.hexPart(lowered), hex.count == 64 || hex.count == 128 else {
            throw RktError(
                .invalidArgument, "\"\(text)\" is not an image key; expected \"sha512-\" followed by 64 hex digits")
        }
        return ImageID.prefix + hex.prefix(64)
    }

    private func quarantine(key: String, because error: any Error) {
        let target = "\(quarantineDirectory)/\(key)-\(Int(Date().timeIntervalSince1970))"
        let moved =
            (try? FileSystem.makeDirectories(quarantineDirectory)) != nil
            && rename("\(imagesDirectory)/\(key)", target) == 0
        logger.warning(
            "image in the store could not be loaded" + (moved ? "; moved to quarantine" : ""),
            ["image.key": key, "error": "\(error)", "path": moved ? target : "\(imagesDirectory)/\(key)"])
    }
}

import FoundationEssentials

/// An image in the store: its identity, manifest, and where its extracted rootfs lives.
public struct StoredImage: Sendable, Equatable {
    /// The full image ID, "sha512-" + 128 hex digits.
    public let id: String
    /// The store key, "sha512-" + the first 64 hex digits (what pod manifests and status show).
    public let key: String
    /// The decoded, validated manifest.
    public let manifest: ImageManifest
    /// The manifest exactly as it was in the archive.
    public let manifestBytes: [UInt8]
    /// The directory holding this image (`<root>/images/<key>`).
    public let path: String
    /// The extracted root filesystem, `<path>/rootfs`.
    public let rootfsPath: String
    /// When the image was first imported.
    public let importedAt: Date
    /// Size in bytes of the uncompressed tar the image was imported from.
    public let size: UInt64
}

/// The small record kept next to each image (`info.json`).
struct StoredImageInfo: Codable {
    /// Format version of this record.
    var version: Int
    var id: String
    var importedAt: Double
    var size: UInt64

    static let currentVersion = 1
}

import RktError

/// The container format of an archive, recognised by its first bytes (never by its file name).
public enum Compression: String, Sendable {
    case none
    case gzip
    case bzip2
    case xz
    case zstd

    /// Recognises the magic number at the start of `header`; anything unknown is taken as plain tar.
    public static func detect(_ header: [UInt8]) -> Compression {
        if header.starts(with: [0x1f, 0x8b]) {
            return .gzip
        }
        if header.starts(with: Array("BZh".utf8)) {
            return .bzip2
        }
        if header.starts(with: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) {
            return .xz
        }
        if header.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) {
            return .zstd
        }
        return .none
    }

    /// Wraps `source` so it yields the uncompressed tar stream. Only gzip is decoded: the others have
    /// no library on this system and are refused with the fix spelled out.
    public static func decompressing(_ source: any ByteSource, name: String) throws -> any ByteSource {
        var header: [UInt8] = []
        while header.count < 6 {
            let chunk = try source.read(maxCount: 6 - header.count)
            if chunk.isEmpty {
                break
            }
            header += chunk
        }

        let whole = PrefixedSource(prefix: header, rest: source)
        switch detect(header) {
        case .none:
            return whole
        case .gzip:
            return try GzipSource(whole, name: name)
        case let other:
            let tool = other == .bzip2 ? "bunzip2" : (other == .xz ? "unxz" : "unzstd")
            throw RktError(
                .unsupported,
                "\(name): unsupported compression (\(other.rawValue)); decompress it first (e.g. \(tool)) "
                    + "or recompress with gzip")
        }
    }
}

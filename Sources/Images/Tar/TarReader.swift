import RktError

/// Reads a tar stream entry by entry without holding more than one chunk in memory.
///
/// Understands ustar (with the prefix field), old v7 headers, GNU long names ('L') and long link
/// names ('K'), GNU base-256 numbers, and pax extended ('x') and global ('g') headers for path,
/// linkpath, size, uid, gid, uname, gname and mtime. Every header's checksum is verified. A damaged
/// or cut-off archive throws an error naming the archive, the byte offset and, when known, the entry;
/// it never traps. Reaching end of input exactly at a header boundary is accepted as the end of the
/// archive even without the two zero blocks (some writers omit them).
public final class TarReader {
    /// Name used in error messages (usually the file path).
    public let archiveName: String
    /// How many bytes of the tar stream have been consumed.
    public private(set) var offset: Int64 = 0

    private let source: any ByteSource
    private var buffer: [UInt8] = []
    private var bufferOffset = 0
    private var remaining: Int64 = 0
    private var padding: Int64 = 0
    private var currentPath = ""
    private var globalPax: [String: String] = [:]
    private var ended = false

    /// Largest pax or GNU long-name payload accepted, so a hostile header cannot exhaust memory.
    static let metadataLimit: Int64 = 1 << 20

    /// Reads the tar stream from `source`.
    public init(_ source: any ByteSource, archiveName: String) {
        self.source = source
        self.archiveName = archiveName
    }

    /// The next entry, or nil at the end of the archive. Unread data of the previous entry is skipped.
    public func next() throws -> TarEntry? {
        guard !ended else {
            return nil
        }
        try skip(remaining + padding)
        remaining = 0
        padding = 0

        var localPax: [String: String] = [:]
        var longName: String?
        var longLink: String?
        while true {
            let headerOffset = offset
            guard let block = try readHeaderBlock() else {
                ended = true
                return nil
            }
            try verifyChecksum(block, at: headerOffset)

            let typeFlag = block[TarHeader.Field.typeFlag]
            let size = try number(block, TarHeader.Field.size, "size", at: headerOffset)
            switch typeFlag {
            case UInt8(ascii: "x"):
                localPax.merge(try paxRecords(size: size, at: headerOffset)) { $1 }
            case UInt8(ascii: "g"):
                globalPax.merge(try paxRecords(size: size, at: headerOffset)) { $1 }
            case UInt8(ascii: "L"):
                longName = try metadataString(size: size, at: headerOffset)
            case UInt8(ascii: "K"):
                longLink = try metadataString(size: size, at: headerOffset)
            default:
                var entry = try makeEntry(block, typeFlag: typeFlag, size: size, at: headerOffset)
                entry.path = longName ?? entry.path
                entry.linkTarget = longLink ?? entry.linkTarget
                try apply(globalPax.merging(localPax) { $1 }, to: &entry, at: headerOffset)
                try begin(entry)
                return entry
            }
        }
    }

    /// Up to `maxCount` bytes of the current entry's data; empty once it has all been read.
    public func readData(maxCount: Int = 64 * 1024) throws -> [UInt8] {
        guard remaining > 0 else {
            return []
        }
        let chunk = try pull(Int(min(Int64(maxCount), remaining)))
        guard !chunk.isEmpty else {
            throw truncated("the data of \"\(currentPath)\" (\(remaining) bytes missing)")
        }
        remaining -= Int64(chunk.count)
        return chunk
    }

    /// All remaining data of the current entry, refusing entries larger than `limit` bytes.
    public func readAllData(limit: Int) throws -> [UInt8] {
        guard remaining <= Int64(limit) else {
            throw RktError(
                .invalidArgument,
                "\(archiveName): entry \"\(currentPath)\" is \(remaining) bytes, more than the \(limit) allowed")
        }
        var data: [UInt8] = []
        while true {
            let chunk = try readData()
            if chunk.isEmpty {
                return data
            }
            data += chunk
        }
    }

    // MARK: - Headers

    /// Reads one header block: nil at a clean end (EOF or the zero-block marker).
    private func readHeaderBlock() throws -> [UInt8]? {
        guard let block = try readBlock(what: "a header") else {
            return nil
        }
        guard TarHeader.isZero(block) else {
            return block
        }
        let markerOffset = offset
        guard let second = try readBlock(what: "the end-of-archive marker") else {
            return nil
        }
        guard TarHeader.isZero(second) else {
            throw corrupt("a lone zero block is followed by data at offset \(markerOffset)")
        }
        return nil
    }

    /// 512 bytes, nil if the input ended right at the block boundary, an error if it ended inside.
    private func readBlock(what: String) throws -> [UInt8]? {
        var block: [UInt8] = []
        while block.count < TarHeader.blockSize {
            let chunk = try pull(TarHeader.blockSize - block.count)
            if chunk.isEmpty {
                guard block.isEmpty else {
                    throw truncated("\(what) (\(block.count) of 512 bytes present)")
                }
                return nil
            }
            block += chunk
        }
        return block
    }

    private func verifyChecksum(_ block: [UInt8], at headerOffset: Int64) throws {
        let name = TarHeader.string(block, TarHeader.Field.name)
        guard let stored = TarHeader.number(block, TarHeader.Field.checksum) else {
            throw corrupt("unreadable header checksum at offset \(headerOffset) (entry \"\(name)\")")
        }
        let sums = TarHeader.checksums(block)
        guard stored == Int64(sums.unsigned) || stored == Int64(sums.signed) else {
            throw corrupt(
                "bad header checksum at offset \(headerOffset) (entry \"\(name)\"): stored "
                    + "\(String(stored, radix: 8)), computed \(String(sums.unsigned, radix: 8))")
        }
    }

    private func makeEntry(_ block: [UInt8], typeFlag: UInt8, size: Int64, at headerOffset: Int64) throws -> TarEntry {
        var path = TarHeader.string(block, TarHeader.Field.name)
        let magic = Array(block[TarHeader.Field.magic])
        let prefix = TarHeader.string(block, TarHeader.Field.prefix)
        if magic == Array("ustar\0".utf8) && !prefix.isEmpty {
            path = prefix + "/" + path
        }
        guard let kind = TarEntry.Kind(typeFlag: typeFlag) else {
            let flag = String(decoding: [typeFlag], as: UTF8.self)
            throw RktError(
                .unsupported,
                "\(archiveName): entry \"\(path)\" at offset \(headerOffset) has unsupported type '\(flag)'")
        }

        var entry = TarEntry(path: path, kind: kind, size: size)
        entry.mode = UInt32(truncatingIfNeeded: try number(block, TarHeader.Field.mode, "mode", at: headerOffset))
        entry.mode &= 0o7777
        entry.uid = Int(try number(block, TarHeader.Field.uid, "uid", at: headerOffset))
        entry.gid = Int(try number(block, TarHeader.Field.gid, "gid", at: headerOffset))
        entry.modificationTime = try number(block, TarHeader.Field.mtime, "mtime", at: headerOffset)
        entry.linkTarget = TarHeader.string(block, TarHeader.Field.linkName)
        entry.userName = TarHeader.string(block, TarHeader.Field.userName)
        entry.groupName = TarHeader.string(block, TarHeader.Field.groupName)
        if kind == .characterDevice || kind == .blockDevice {
            let major = try number(block, TarHeader.Field.deviceMajor, "devmajor", at: headerOffset)
            let minor = try number(block, TarHeader.Field.deviceMinor, "devminor", at: headerOffset)
            entry.deviceMajor = UInt32(truncatingIfNeeded: major)
            entry.deviceMinor = UInt32(truncatingIfNeeded: minor)
        }
        return entry
    }

    /// Applies pax overrides. Unknown keys (atime, ctime, charset, SCHILY.xattr.*) are ignored.
    private func apply(_ pax: [String: String], to entry: inout TarEntry, at headerOffset: Int64) throws {
        func integer(_ key: String) throws -> Int64? {
            guard let text = pax[key] else {
                return nil
            }
            let whole = text.split(separator: ".", maxSplits: 1).first.map(String.init) ?? text
            guard let value = Int64(whole), value >= 0 || key == "mtime" else {
                throw corrupt("pax header at offset \(headerOffset) has a bad \(key) \"\(text)\"")
            }
            return value
        }

        entry.path = pax["path"] ?? entry.path
        entry.linkTarget = pax["linkpath"] ?? entry.linkTarget
        entry.userName = pax["uname"] ?? entry.userName
        entry.groupName = pax["gname"] ?? entry.groupName
        entry.size = try integer("size") ?? entry.size
        entry.uid = Int(try integer("uid") ?? Int64(entry.uid))
        entry.gid = Int(try integer("gid") ?? Int64(entry.gid))
        entry.modificationTime = try integer("mtime") ?? entry.modificationTime
    }

    /// Makes `entry` current: its data (rounded up to whole blocks) follows.
    private func begin(_ entry: TarEntry) throws {
        guard entry.size >= 0 else {
            throw corrupt("entry \"\(entry.path)\" has a negative size")
        }
        currentPath = entry.path
        remaining = entry.size
        padding = (Int64(TarHeader.blockSize) - entry.size % Int64(TarHeader.blockSize)) % Int64(TarHeader.blockSize)
    }

    private func paxRecords(size: Int64, at headerOffset: Int64) throws -> [String: String] {
        let data = try metadataPayload(size: size, at: headerOffset)
        guard let records = PaxRecords.parse(data) else {
            throw corrupt("malformed pax extended header at offset \(headerOffset)")
        }
        return records
    }

    private func metadataString(size: Int64, at headerOffset: Int64) throws -> String {
        let data = try metadataPayload(size: size, at: headerOffset)
        let end = data.firstIndex(of: 0) ?? data.endIndex
        return String(decoding: data[..<end], as: UTF8.self)
    }

    /// Reads the data of a metadata entry (pax or GNU long name) and its padding.
    private func metadataPayload(size: Int64, at headerOffset: Int64) throws -> [UInt8] {
        guard size <= Self.metadataLimit else {
            throw corrupt("metadata entry at offset \(headerOffset) claims \(size) bytes; refusing more than 1 MiB")
        }
        currentPath = "<metadata at offset \(headerOffset)>"
        remaining = size
        let data = try readAllData(limit: Int(Self.metadataLimit))
        try skip((Int64(TarHeader.blockSize) - size % Int64(TarHeader.blockSize)) % Int64(TarHeader.blockSize))
        return data
    }

    private func number(_ block: [UInt8], _ field: Range<Int>, _ label: String, at headerOffset: Int64) throws -> Int64
    {
        guard let value = TarHeader.number(block, field) else {
            let name = TarHeader.string(block, TarHeader.Field.name)
            throw corrupt("header at offset \(headerOffset) (entry \"\(name)\") has an unreadable \(label) field")
        }
        return value
    }

    // MARK: - Byte plumbing

    /// Up to `count` bytes from the buffer or the source; empty only at end of input.
    private func pull(_ count: Int) throws -> [UInt8] {
        if bufferOffset == buffer.count {
            buffer = try source.read(maxCount: max(count, 64 * 1024))
            bufferOffset = 0
        }
        let end = min(buffer.count, bufferOffset + count)
        let chunk = Array(buffer[bufferOffset..<end])
        bufferOffset = end
        offset += Int64(chunk.count)
        return chunk
    }

    private func skip(_ count: Int64) throws {
        var left = count
        while left > 0 {
            let chunk = try pull(Int(min(left, 64 * 1024)))
            guard !chunk.isEmpty else {
                throw truncated("the data of \"\(currentPath)\" (\(left) bytes missing)")
            }
            left -= Int64(chunk.count)
        }
    }

    private func truncated(_ what: String) -> RktError {
        RktError(.invalidArgument, "\(archiveName): archive is truncated at offset \(offset) while reading \(what)")
    }

    private func corrupt(_ detail: String) -> RktError {
        RktError(.invalidArgument, "\(archiveName): corrupt tar archive: \(detail)")
    }
}

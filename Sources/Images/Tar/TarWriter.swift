import RktError

/// Writes a tar stream: POSIX ustar headers, preceded by a pax extended header whenever a name,
/// link target or number does not fit the fixed ustar fields.
///
/// The writer does not judge names: it will happily write "../x" or "/etc/x", which is how the
/// tests build hostile archives. Callers producing real images use `ACIBuilder`.
public final class TarWriter {
    private let sink: any ByteSink
    private var remaining: Int64 = 0
    private var written: Int64 = 0
    private var currentPath = ""

    /// Writes into `sink`.
    public init(_ sink: any ByteSink) {
        self.sink = sink
    }

    /// Starts an entry; exactly `entry.size` data bytes must follow through `writeData`.
    public func begin(_ entry: TarEntry) throws {
        guard remaining == 0 else {
            throw RktError(.invalidState, "tar entry \"\(currentPath)\" is missing \(remaining) bytes of data")
        }
        try closeEntry()

        var header = [UInt8](repeating: 0, count: TarHeader.blockSize)
        let overflow = fill(&header, entry)
        if !overflow.isEmpty {
            try writePaxHeader(overflow, for: entry)
        }
        TarHeader.sealChecksum(&header)
        try sink.write(header)

        currentPath = entry.path
        remaining = entry.kind == .regular ? entry.size : 0
        written = 0
    }

    /// Appends data to the current entry.
    public func writeData(_ bytes: [UInt8]) throws {
        guard Int64(bytes.count) <= remaining else {
            throw RktError(.invalidArgument, "tar entry \"\(currentPath)\" got more data than its declared size")
        }
        try sink.write(bytes)
        remaining -= Int64(bytes.count)
        written += Int64(bytes.count)
    }

    /// Writes a whole entry with its data; `entry.size` is set from `data` for regular files.
    public func write(_ entry: TarEntry, data: [UInt8] = []) throws {
        var entry = entry
        if entry.kind == .regular {
            entry.size = Int64(data.count)
        }
        try begin(entry)
        try writeData(data)
    }

    /// Pads the last entry, writes the two zero blocks and finishes the sink.
    public func finish() throws {
        guard remaining == 0 else {
            throw RktError(.invalidState, "tar entry \"\(currentPath)\" is missing \(remaining) bytes of data")
        }
        try closeEntry()
        try sink.write([UInt8](repeating: 0, count: 2 * TarHeader.blockSize))
        try sink.finish()
    }

    /// Pads the finished entry's data to a whole block.
    private func closeEntry() throws {
        let partial = Int(written % Int64(TarHeader.blockSize))
        if partial > 0 {
            try sink.write([UInt8](repeating: 0, count: TarHeader.blockSize - partial))
        }
        written = 0
    }

    /// Fills the ustar fields; returns pax records for whatever did not fit.
    private func fill(_ header: inout [UInt8], _ entry: TarEntry) -> [String: String] {
        var pax: [String: String] = [:]
        if !putName(entry.path, &header) {
            pax["path"] = entry.path
            let shortName = String(decoding: Array(entry.path.utf8).prefix(99), as: UTF8.self)
            _ = TarHeader.putString(shortName, &header, TarHeader.Field.name)
        }
        if !TarHeader.putString(entry.linkTarget, &header, TarHeader.Field.linkName) {
            pax["linkpath"] = entry.linkTarget
        }

        _ = TarHeader.putOctal(Int64(entry.mode & 0o7777), &header, TarHeader.Field.mode)
        let numbers: [(String, Int64, Range<Int>)] = [
            ("uid", Int64(entry.uid), TarHeader.Field.uid),
            ("gid", Int64(entry.gid), TarHeader.Field.gid),
            ("size", entry.kind == .regular ? entry.size : 0, TarHeader.Field.size),
            ("mtime", entry.modificationTime, TarHeader.Field.mtime),
        ]
        for (key, value, range) in numbers where !TarHeader.putOctal(value, &header, range) {
            pax[key] = String(value)
            _ = TarHeader.putOctal(0, &header, range)
        }
        _ = TarHeader.putOctal(Int64(entry.deviceMajor), &header, TarHeader.Field.deviceMajor)
        _ = TarHeader.putOctal(Int64(entry.deviceMinor), &header, TarHeader.Field.deviceMinor)

        header[TarHeader.Field.typeFlag] = entry.kind.typeFlag
        _ = TarHeader.putString("ustar\0", &header, TarHeader.Field.magic)
        _ = TarHeader.putString("00", &header, TarHeader.Field.version)
        if !TarHeader.putString(entry.userName, &header, TarHeader.Field.userName) {
            pax["uname"] = entry.userName
        }
        if !TarHeader.putString(entry.groupName, &header, TarHeader.Field.groupName) {
            pax["gname"] = entry.groupName
        }
        return pax
    }

    /// Stores `path` in name (≤ 100 bytes) or split at a "/" into prefix (≤ 155) and name.
    private func putName(_ path: String, _ header: inout [UInt8]) -> Bool {
        let bytes = Array(path.utf8)
        if bytes.count <= 100 {
            return TarHeader.putString(path, &header, TarHeader.Field.name)
        }
        let slashes = bytes.indices.filter { bytes[$0] == UInt8(ascii: "/") }
        guard let split = slashes.last(where: { $0 <= 155 && bytes.count - $0 - 1 <= 100 && $0 > 0 }),
            split < bytes.count - 1
        else {
            return false
        }
        let prefix = String(decoding: bytes[..<split], as: UTF8.self)
        let name = String(decoding: bytes[(split + 1)...], as: UTF8.self)
        return TarHeader.putString(prefix, &header, TarHeader.Field.prefix)
            && TarHeader.putString(name, &header, TarHeader.Field.name)
    }

    private func writePaxHeader(_ records: [String: String], for entry: TarEntry) throws {
        let data = PaxRecords.encode(records)
        let base = entry.path.split(separator: "/").last.map(String.init) ?? "entry"
        var paxEntry = TarEntry(path: "PaxHeaders/" + String(base.prefix(80)), kind: .regular, size: Int64(data.count))
        paxEntry.mode = 0o644
        var header = [UInt8](repeating: 0, count: TarHeader.blockSize)
        _ = fill(&header, paxEntry)
        header[TarHeader.Field.typeFlag] = UInt8(ascii: "x")
        TarHeader.sealChecksum(&header)
        try sink.write(header)
        try sink.write(data)
        written = Int64(data.count)
        try closeEntry()
    }
}

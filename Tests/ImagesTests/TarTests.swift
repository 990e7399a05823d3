import Images
import RktSys
import Testing

/// Hands out bytes a few at a time, to exercise the reader's buffering.
final class ChunkySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    private var step = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(maxCount: Int) throws -> [UInt8] {
        step = step % 7 + 1
        let end = min(bytes.count, offset + min(maxCount, step))
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

@Suite("Tar reader and writer")
struct TarTests {
    static func readAll(_ source: any ByteSource, name: String = "test.tar") throws -> [Fixtures.Member] {
        let reader = TarReader(source, archiveName: name)
        var members: [Fixtures.Member] = []
        while let entry = try reader.next() {
            members.append((entry, try reader.readAllData(limit: 1 << 24)))
        }
        return members
    }

    static let longPath = "rootfs/" + String(repeating: "deep/", count: 60) + "file.txt"
    static let splitPath = "rootfs/" + String(repeating: "d", count: 120) + "/name-that-fits.txt"

    static func sampleMembers() -> [Fixtures.Member] {
        var big = TarEntry(path: "rootfs/big-ids", kind: .regular, mode: 0o4755, uid: 3_000_000, gid: 70000)
        big.modificationTime = 1_700_000_000
        var device = TarEntry(path: "rootfs/dev/null", kind: .characterDevice, mode: 0o666)
        device.deviceMajor = 1
        device.deviceMinor = 3
        return [
            Fixtures.directory("rootfs/"),
            Fixtures.file("rootfs/hello", "hello world\n"),
            (big, Array("x".utf8)),
            Fixtures.file(longPath, "long"),
            Fixtures.file(splitPath, "split"),
            Fixtures.symlink("rootfs/link", to: "/" + String(repeating: "t", count: 150)),
            Fixtures.hardLink("rootfs/hard", to: "rootfs/hello"),
            (device, []),
            (TarEntry(path: "rootfs/fifo", kind: .fifo, mode: 0o600), []),
            Fixtures.file("rootfs/empty", ""),
            Fixtures.file("rootfs/block-sized", String(repeating: "b", count: 1024)),
        ]
    }

    @Test("writer then reader gives back every entry and its data, whatever the read chunking")
    func roundTrip() throws {
        let members = Self.sampleMembers()
        let bytes = try Fixtures.tar(members)
        #expect(bytes.count % 512 == 0)

        for source in [MemorySource(bytes), ChunkySource(bytes)] as [any ByteSource] {
            let read = try Self.readAll(source)
            #expect(read.count == members.count)
            for (got, want) in zip(read, members) {
                var expected = want.entry
                expected.size = want.entry.kind == .regular ? Int64(want.data.count) : 0
                #expect(got.entry == expected)
                #expect(got.data == want.data)
            }
        }
    }

    @Test("GNU tar reads what we write, and we read what GNU tar writes (long names included)")
    func interoperability() throws {
        let dir = try TempDir()
        try Fixtures.write(
            try Fixtures.tar(Self.sampleMembers().filter { $0.entry.kind != .characterDevice }), to: dir.sub("ours.tar")
        )
        let listing = try Subprocess.run("tar", ["-tf", dir.sub("ours.tar")])
        #expect(listing.status.succeeded, "\(listing.stderrText)")
        #expect(listing.stdoutText.contains(Self.longPath + "\n"))
        #expect(listing.stdoutText.contains(Self.splitPath + "\n"))

        let deep = dir.sub("src/" + String(repeating: "n", count: 90) + "/" + String(repeating: "m", count: 90))
        try FileSystem.makeDirectories(deep)
        try FileSystem.writeAtomically("gnu", to: deep + "/f")
        for format in ["gnu", "pax"] {
            let made = try Subprocess.run(
                "tar", ["--format=\(format)", "-cf", dir.sub("\(format).tar"), "-C", dir.sub("src"), "."])
            #expect(made.status.succeeded, "\(made.stderrText)")
            let read = try Self.readAll(FileSource(path: dir.sub("\(format).tar")))
            let file = read.first { $0.entry.path.hasSuffix("/f") }
            #expect(file?.entry.path.count == 2 + 91 + 91 + 1)
            #expect(file?.data == Array("gnu".utf8))
        }
    }

    @Test("a pax global header applies to the entries after it")
    func globalPax() throws {
        let records = Array("22 path=rootfs/global\n".utf8)
        var bytes = Self.rawHeader(name: "pax_global", type: "g", size: records.count)
        bytes += records + [UInt8](repeating: 0, count: 512 - records.count)
        bytes += Array(try Fixtures.tar([Fixtures.file("rootfs/plain", "data")]))
        let read = try Self.readAll(MemorySource(bytes))
        #expect(read.map(\.entry.path) == ["rootfs/global"])
        #expect(read.first?.data == Array("data".utf8))
    }

    @Test("a truncated archive is an error naming the archive, the offset and the entry")
    func truncated() throws {
        let bytes = try Fixtures.tar([Fixtures.file("rootfs/a", String(repeating: "z", count: 2000))])
        let cut = Array(bytes.prefix(512 + 700))
        let message = thrownMessage { _ = try Self.readAll(MemorySource(cut), name: "cut.tar") }
        #expect(
            message == "cut.tar: archive is truncated at offset 1212 while reading the data of \"rootfs/a\" "
                + "(1300 bytes missing)")

        let headerCut = Array(bytes.prefix(100))
        let headerMessage = thrownMessage { _ = try Self.readAll(MemorySource(headerCut), name: "cut.tar") }
        #expect(
            headerMessage
                == "cut.tar: archive is truncated at offset 100 while reading a header (100 of 512 bytes present)")
    }

    @Test("a header with a wrong checksum is refused")
    func badChecksum() throws {
        var bytes = try Fixtures.tar([Fixtures.file("rootfs/a", "x"), Fixtures.file("rootfs/b", "y")])
        bytes[1024 + 10] ^= 0x01
        let message = thrownMessage { _ = try Self.readAll(MemorySource(bytes), name: "bad.tar") }
        #expect(message?.hasPrefix("bad.tar: corrupt tar archive: bad header checksum at offset 1024") == true)
    }

    @Test("garbage instead of a tar is an error, not a crash")
    func garbage() {
        let bytes = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let message = thrownMessage { _ = try Self.readAll(MemorySource(bytes), name: "junk") }
        #expect(message?.hasPrefix("junk: corrupt tar archive:") == true)
    }

    /// A hand-made ustar header, for record types the writer does not produce.
    static func rawHeader(name: String, type: Character, size: Int) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) {
            for (index, byte) in text.utf8.enumerated() {
                block[offset + index] = byte
            }
        }
        put(name, at: 0)
        put("0000644", at: 100)
        put("0000000", at: 108)
        put("0000000", at: 116)
        let octal = String(size, radix: 8)
        put(String(repeating: "0", count: 11 - octal.count) + octal, at: 124)
        put("00000000000", at: 136)
        put(String(type), at: 156)
        put("ustar", at: 257)
        put("00", at: 263)
        put("        ", at: 148)
        let sum = block.reduce(0) { $0 + Int($1) }
        let text = String(sum, radix: 8)
        put(String(repeating: "0", count: 6 - text.count) + text, at: 148)
        block[154] = 0
        return block
    }
}

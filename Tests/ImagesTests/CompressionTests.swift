import Images
import RktSys
import Testing

@Suite("Compression")
struct CompressionTests {
    static func payload(_ count: Int) -> [UInt8] {
        var state: UInt32 = 12345
        return (0..<count).map { index in
            state = state &* 1_103_515_245 &+ 12345
            return index % 3 == 0 ? UInt8(truncatingIfNeeded: state >> 16) : UInt8(index % 17)
        }
    }

    static func inflate(_ bytes: [UInt8]) throws -> [UInt8] {
        let source = try Compression.decompressing(ChunkySource(bytes), name: "t.gz")
        var out: [UInt8] = []
        while case let chunk = try source.read(maxCount: 4096), !chunk.isEmpty {
            out += chunk
        }
        return out
    }

    @Test("gzip round trip through our sink and source, and gzip(1) agrees")
    func roundTrip() throws {
        let data = Self.payload(300_000)
        let compressed = try Fixtures.gzip(data)
        #expect(Compression.detect(compressed) == .gzip)
        #expect(compressed.count < data.count)
        #expect(try Self.inflate(compressed) == data)

        let system = try Subprocess.run("gzip", ["-dc"], input: compressed)
        #expect(system.status.succeeded)
        #expect(system.stdout == data)
    }

    @Test("concatenated gzip members decode as one stream")
    func multiMember() throws {
        let joined = try Fixtures.gzip(Array("first ".utf8)) + Fixtures.gzip(Array("second".utf8))
        #expect(try Self.inflate(joined) == Array("first second".utf8))
    }

    @Test("plain data passes through unchanged")
    func plain() throws {
        let data = Self.payload(5000)
        #expect(try Self.inflate(data) == data)
        #expect(try Self.inflate([]) == [])
    }

    @Test("a truncated gzip stream is an error")
    func truncatedGzip() throws {
        let compressed = try Fixtures.gzip(Self.payload(100_000))
        let message = thrownMessage { _ = try Self.inflate(Array(compressed.prefix(compressed.count / 2))) }
        #expect(message == "gzip data of t.gz is truncated (unexpected end of file)")
    }

    @Test(
        "bzip2, xz and zstd are refused with the fix",
        arguments: [
            ([0x42, 0x5a, 0x68, 0x39, 0x31, 0x41], "bzip2", "bunzip2"),
            ([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], "xz", "unxz"),
            ([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x00], "zstd", "unzstd"),
        ] as [([UInt8], String, String)])
    func unsupported(magic: [UInt8], name: String, tool: String) {
        let message = thrownMessage {
            _ = try Compression.decompressing(MemorySource(magic + [1, 2, 3]), name: "x.aci")
        }
        #expect(
            message == "x.aci: unsupported compression (\(name)); decompress it first (e.g. \(tool)) "
                + "or recompress with gzip")
    }
}

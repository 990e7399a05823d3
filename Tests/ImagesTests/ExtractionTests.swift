import Foundation
import Glibc
import Images
import RktError
import RktSys
import Testing

@Suite("Safe ACI extraction")
struct ExtractionTests {
    typealias Member = Fixtures.Member

    /// Extracts `bytes` into <tmp>/dest next to an empty <tmp>/outside; expects failure with exactly
    /// `expected`, no destination left, and nothing new anywhere in the temp dir.
    static func expectRejected(_ bytes: [UInt8], _ expected: String, in dir: TempDir) throws {
        try FileSystem.makeDirectories(dir.sub("outside"))
        let message = thrownMessage {
            try ACIExtractor.extract(from: MemorySource(bytes), archiveName: "hostile.aci", into: dir.sub("dest"))
        }
        #expect(message == expected)
        #expect(!FileSystem.exists(dir.sub("dest")))
        #expect(dir.listing() == ["outside"])
        #expect(dir.listing("outside").isEmpty)
    }

    static func prefixed(_ members: [Member]) -> [Member] {
        [
            Fixtures.file("manifest", Fixtures.manifestJSON), Fixtures.directory("rootfs/"),
            Fixtures.file("rootfs/ok", "1"),
        ]
            + members
    }

    @Test("\"..\" components are refused")
    func dotDot() throws {
        let dir = try TempDir()
        try Self.expectRejected(
            try Fixtures.tar(Self.prefixed([Fixtures.file("rootfs/../outside/x", "pwned")])),
            "hostile.aci: entry \"rootfs/../outside/x\" has a \"..\" component; refusing to extract outside the image",
            in: dir)
    }

    @Test("absolute paths are refused")
    func absolute() throws {
        let dir = try TempDir()
        let before = FileSystem.exists("/etc/x")
        try Self.expectRejected(
            try Fixtures.tar(Self.prefixed([Fixtures.file("/etc/x", "pwned")])),
            "hostile.aci: entry \"/etc/x\" has an absolute path; ACI entries must be relative (\"manifest\" or "
                + "\"rootfs/...\")",
            in: dir)
        #expect(FileSystem.exists("/etc/x") == before)
    }

    @Test("a path through a symlink planted by an earlier entry is refused")
    func throughSymlink() throws {
        let dir = try TempDir()
        // If the link were followed, the write would land in our own <tmp>/outside, never in /etc.
        let escape = "rootfs/a" + dir.path + "/outside/x"
        try Self.expectRejected(
            try Fixtures.tar(Self.prefixed([Fixtures.symlink("rootfs/a", to: "/"), Fixtures.file(escape, "pwned")])),
            "hostile.aci: entry \"\(escape)\" would pass through the symbolic link \"rootfs/a\"; refusing to extract it",
            in: dir)
    }

    @Test("a relative symlink pointing up is refused as a path component too")
    func throughRelativeSymlink() throws {
        let dir = try TempDir()
        let members = [Fixtures.symlink("rootfs/up", to: "../../outside"), Fixtures.file("rootfs/up/x", "pwned")]
        try Self.expectRejected(
            try Fixtures.tar(Self.prefixed(members)),
            "hostile.aci: entry \"rootfs/up/x\" would pass through the symbolic link \"rootfs/up\"; refusing to "
                + "extract it",
            in: dir)
    }

    @Test("hard links to absolute paths are refused")
    func hardLinkAbsolute() throws {
        let dir = try TempDir()
        try Self.expectRejected(
            try Fixtures.tar(Self.prefixed([Fixtures.hardLink("rootfs/pw", to: "/etc/passwd")])),
            "hostile.aci: hard link \"rootfs/pw\" points to \"/etc/passwd\", an absolute path; hard links must stay "
                + "inside rootfs/",
            in: dir)
    }

    @Test("hard links leaving rootfs are refused", arguments: ["../../x", "rootfs/../../x", "manifest", "rootfs"])
    func hardLinkOutside(target: String) throws {
        let dir = try TempDir()
        try Self.expectRejected(
            try Fixtures.tar(Self.prefixed([Fixtures.hardLink("rootfs/pw", to: target)])),
            "hostile.aci: hard link \"rootfs/pw\" points to \"\(target)\", outside rootfs/; hard links must stay "
                + "inside rootfs/",
            in: dir)
    }

    @Test("hard links through a symlink are refused")
    func hardLinkThroughSymlink() throws {
        let dir = try TempDir()
        let members = [
            Fixtures.symlink("rootfs/etc", to: "/etc"), Fixtures.hardLink("rootfs/pw", to: "rootfs/etc/passwd"),
        ]
        try Self.expectRejected(
            try Fixtures.tar(Self.prefixed(members)),
            "hostile.aci: entry \"rootfs/pw\" would pass through the symbolic link \"rootfs/etc\"; refusing to "
                + "extract it",
            in: dir)
    }

    @Test("a truncated archive is refused and cleaned up")
    func truncatedArchive() throws {
        let dir = try TempDir()
        let big = Fixtures.file("rootfs/big", String(repeating: "q", count: 5000))
        let bytes = try Fixtures.tar(Self.prefixed([big]))
        try Self.expectRejected(
            Array(bytes.prefix(4096)),
            "hostile.aci: archive is truncated at offset 4096 while reading the data of \"rootfs/big\" "
                + "(3976 bytes missing)",
            in: dir)
    }

    @Test("a header with a bad checksum is refused and cleaned up")
    func badChecksum() throws {
        let dir = try TempDir()
        var bytes = try Fixtures.tar(Self.prefixed([Fixtures.file("rootfs/later", "x")]))
        let offset = bytes.count - 1024 - 1024
        bytes[offset + 3] ^= 0x20
        let message = thrownMessage {
            try ACIExtractor.extract(from: MemorySource(bytes), archiveName: "hostile.aci", into: dir.sub("dest"))
        }
        #expect(message?.hasPrefix("hostile.aci: corrupt tar archive: bad header checksum at offset \(offset)") == true)
        #expect(dir.listing().isEmpty)
    }

    @Test("a missing manifest, missing rootfs or extra top-level entry is refused")
    func layout() throws {
        let cases: [([Member], String)] = [
            (
                [Fixtures.directory("rootfs/"), Fixtures.file("rootfs/x", "1")],
                "hostile.aci: not an ACI: it has no \"manifest\" file at the top level"
            ),
            (
                [Fixtures.file("manifest", Fixtures.manifestJSON)],
                "hostile.aci: not an ACI: it has no \"rootfs/\" directory"
            ),
            (
                Self.prefixed([Fixtures.file("extra", "1")]),
                "hostile.aci: unexpected top-level entry \"extra\"; an ACI holds only \"manifest\" and \"rootfs/\""
            ),
            (
                [Fixtures.directory("manifest/"), Fixtures.directory("rootfs/")],
                "hostile.aci: \"manifest\" must be a regular file"
            ),
            (
                Self.prefixed([Fixtures.directory("rootfs/d/"), Fixtures.symlink("rootfs/d", to: "/")]),
                "hostile.aci: entry \"rootfs/d\" would replace an existing directory"
            ),
        ]
        for (members, expected) in cases {
            let dir = try TempDir()
            try Self.expectRejected(try Fixtures.tar(members), expected, in: dir)
        }
    }

    @Test("modes, times, owners, symlinks, hard links and special files survive extraction")
    func preservesMetadata() throws {
        let dir = try TempDir()
        var setuid = Fixtures.file("rootfs/bin/tool", "tool", mode: 0o4755)
        setuid.entry.uid = 1234
        setuid.entry.gid = 5678
        setuid.entry.modificationTime = 1_234_567_890
        var locked = Fixtures.directory("rootfs/locked/", mode: 0o555)
        locked.entry.modificationTime = 1_000_000_000
        let fifo: Member = (TarEntry(path: "rootfs/run/pipe", kind: .fifo, mode: 0o620), [])
        let extra: [Member] = [
            setuid, locked, Fixtures.file("rootfs/locked/inside", "i"), fifo,
            Fixtures.file("rootfs/implicit/parent/file", "created with parents"),
        ]
        let manifest = try ACIExtractor.extract(
            from: MemorySource(try Fixtures.validACI(extra: extra)), archiveName: "good.aci", into: dir.sub("img"))
        #expect(manifest == Array(Fixtures.manifestJSON.utf8))
        #expect(try FileSystem.read(dir.sub("img/manifest")) == manifest)

        let root = dir.sub("img/rootfs")
        let tool = try Self.stat(root + "/bin/tool")
        #expect(tool.st_mode & 0o7777 == 0o4755)
        #expect(tool.st_mtim.tv_sec == 1_234_567_890)
        if geteuid() == 0 {
            #expect(tool.st_uid == 1234 && tool.st_gid == 5678)
        }
        let lockedInfo = try Self.stat(root + "/locked")
        #expect(lockedInfo.st_mode & 0o7777 == 0o555)
        #expect(lockedInfo.st_mtim.tv_sec == 1_000_000_000)
        #expect(try FileSystem.readText(root + "/locked/inside") == "i")
        #expect(try Self.stat(root + "/run/pipe").st_mode & S_IFMT == S_IFIFO)
        #expect(try Self.stat(root + "/bin/hi").st_mode & S_IFMT == S_IFLNK)
        #expect(try Self.stat(root + "/bin/hello").st_ino == Self.stat(root + "/bin/hello2").st_ino)
        #expect(try FileSystem.readText(root + "/implicit/parent/file") == "created with parents")
    }

    @Test("device nodes are created when running as root", .enabled(if: geteuid() == 0))
    func deviceNodes() throws {
        let dir = try TempDir()
        var null = TarEntry(path: "rootfs/dev/null", kind: .characterDevice, mode: 0o666)
        null.deviceMajor = 1
        null.deviceMinor = 3
        try ACIExtractor.extract(
            from: MemorySource(try Fixtures.validACI(extra: [(null, [])])), archiveName: "dev.aci", into: dir.sub("img")
        )
        let info = try Self.stat(dir.sub("img/rootfs/dev/null"))
        #expect(info.st_mode & S_IFMT == S_IFCHR)
        #expect(info.st_mode & 0o777 == 0o666)
        #expect(info.st_rdev == makedevForTest(1, 3))
    }

    static func stat(_ path: String) throws -> stat {
        var info = Glibc.stat()
        guard lstat(path, &info) == 0 else {
            throw RktError.sys("lstat", path)
        }
        return info
    }
}

/// The classic (small numbers) Linux device encoding.
func makedevForTest(_ major: UInt64, _ minor: UInt64) -> dev_t {
    dev_t(major << 8 | minor)
}

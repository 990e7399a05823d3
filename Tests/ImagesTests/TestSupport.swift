import Foundation
import Glibc
import Images
import RktError
import RktSys

/// A fresh directory under /tmp, removed when the value is released.
final class TempDir {
    let path: String

    init() throws {
        var template = Array("/tmp/images-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw RktError.sys("mkdtemp", "/tmp")
        }
        path = String(cString: made)
    }

    deinit {
        try? FileSystem.removeTree(path)
    }

    func sub(_ name: String) -> String {
        path + "/" + name
    }

    /// Names directly inside the directory, sorted.
    func listing(_ relative: String = "") -> [String] {
        let target = relative.isEmpty ? path : sub(relative)
        return ((try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []).sorted()
    }
}

/// Builders for small archives used throughout the tests.
enum Fixtures {
    static let manifestJSON = """
        {"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/hello",
        "labels":[{"name":"version","value":"1.0"},{"name":"os","value":"linux"}],
        "app":{"exec":["/bin/hello"],"user":"0","group":"0",
        "ports":[{"name":"http","protocol":"tcp","port":8080}]}}
        """

    /// An entry plus its data, the unit the tar helpers take.
    typealias Member = (entry: TarEntry, data: [UInt8])

    static func file(_ path: String, _ text: String, mode: UInt32 = 0o644) -> Member {
        (TarEntry(path: path, kind: .regular, mode: mode, size: Int64(text.utf8.count)), Array(text.utf8))
    }

    static func directory(_ path: String, mode: UInt32 = 0o755) -> Member {
        (TarEntry(path: path, kind: .directory, mode: mode), [])
    }

    static func symlink(_ path: String, to target: String) -> Member {
        (TarEntry(path: path, kind: .symbolicLink, mode: 0o777, linkTarget: target), [])
    }

    static func hardLink(_ path: String, to target: String) -> Member {
        (TarEntry(path: path, kind: .hardLink, linkTarget: target), [])
    }

    /// A tar stream of `members`, in memory.
    static func tar(_ members: [Member]) throws -> [UInt8] {
        let sink = MemorySink()
        let writer = TarWriter(sink)
        for member in members {
            try writer.write(member.entry, data: member.data)
        }
        try writer.finish()
        return sink.bytes
    }

    /// `bytes` gzip-compressed.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let sink = MemorySink()
        let gzip = try GzipSink(sink)
        try gzip.write(bytes)
        try gzip.finish()
        return sink.bytes
    }

    /// A valid little ACI: manifest, rootfs/, a program, a symlink and a hard link.
    static func validACI(extra: [Member] = [], manifest: String = manifestJSON) throws -> [UInt8] {
        var members: [Member] = [
            file("manifest", manifest),
            directory("rootfs/"),
            directory("rootfs/bin/"),
            file("rootfs/bin/hello", "#!/bin/sh\necho hello\n", mode: 0o755),
            symlink("rootfs/bin/hi", to: "hello"),
            hardLink("rootfs/bin/hello2", to: "rootfs/bin/hello"),
        ]
        members += extra
        return try tar(members)
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try FileSystem.writeAtomically(bytes, to: path)
    }
}

extension RktError {
    /// The operator-facing text, for assertions.
    var text: String { description }
}

/// The message of whatever `body` throws, or nil if it does not throw.
func thrownMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return "\(error)"
    }
}

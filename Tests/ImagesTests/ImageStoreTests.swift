import Foundation
import Images
import RktError
import RktSys
import Testing

@Suite("Image store")
struct ImageStoreTests {
    /// sha512sum(1) of a file, as "sha512-<hex>".
    static func systemID(_ path: String) throws -> String {
        let output = try Subprocess.run("sha512sum", [path])
        #expect(output.status.succeeded)
        return "sha512-" + (output.stdoutText.split(separator: " ").first.map(String.init) ?? "")
    }

    @Test("the image ID is the SHA-512 of the uncompressed tar, whether the file is gzipped or not")
    func imageID() throws {
        let dir = try TempDir()
        let tar = try Fixtures.validACI()
        try Fixtures.write(tar, to: dir.sub("plain.aci"))
        try Fixtures.write(try Fixtures.gzip(tar), to: dir.sub("packed.aci"))
        let expected = try Self.systemID(dir.sub("plain.aci"))

        let store = try ImageStore(root: dir.sub("store"))
        let image = try store.importImage(fromFile: dir.sub("packed.aci"))
        #expect(image.id == expected)
        #expect(image.id.count == 7 + 128)
        #expect(image.key == String(expected.prefix(7 + 64)))
        #expect(image.size == UInt64(tar.count))
        #expect(image.manifestBytes == Array(Fixtures.manifestJSON.utf8))
        #expect(image.manifest.name == "example.com/hello")
        #expect(image.rootfsPath == dir.sub("store/images/\(image.key)/rootfs"))
        #expect(try FileSystem.readText(image.rootfsPath + "/bin/hello").hasPrefix("#!/bin/sh"))
    }

    @Test("importing the same image again (any compression, file:// URL) returns the stored copy")
    func idempotent() throws {
        let dir = try TempDir()
        let tar = try Fixtures.validACI()
        try Fixtures.write(tar, to: dir.sub("plain.aci"))
        try Fixtures.write(try Fixtures.gzip(tar), to: dir.sub("packed.aci"))
        let store = try ImageStore(root: dir.sub("store"))

        let first = try store.importImage(fromFile: dir.sub("plain.aci"))
        let second = try store.importImage(fromFile: dir.sub("packed.aci"))
        let third = try store.importImage(fromFile: "file://" + dir.sub("plain.aci"))
        #expect(second == first)
        #expect(third == first)
        #expect(try store.allImages() == [first])
        #expect(dir.listing("store/tmp").isEmpty)
    }

    @Test("lookup by prefix: full ID, key, short prefix, ambiguity and bad prefixes")
    func prefixLookup() throws {
        let dir = try TempDir()
        let store = try ImageStore(root: dir.sub("store"))
        let (one, two) = try Self.twoImagesSharingTwoHexDigits(in: dir)
        let first = try store.importImage(fromFile: one)
        let second = try store.importImage(fromFile: two)
        let shared = String(first.id.prefix(9))
        #expect(second.id.hasPrefix(shared))

        #expect(try store.image(matching: first.id) == first)
        #expect(try store.image(matching: second.key) == second)
        #expect(
            try store.image(matching: first.id.uppercased().replacingOccurrences(of: "SHA512", with: "sha512")) == first
        )
        let unique = try #require(
            (10...40).lazy.map { String(first.id.prefix($0)) }.first { !second.id.hasPrefix($0) })
        #expect(try store.image(matching: unique) == first)

        let keys = [first.key, second.key].sorted().joined(separator: ", ")
        #expect(
            thrownMessage { _ = try store.image(matching: shared) }
                == "image ID prefix \"\(shared)\" is ambiguous: it matches 2 images (\(keys)); give more digits")
        #expect(
            thrownMessage { _ = try store.image(matching: "sha512-a") }
                == "\"sha512-a\" is not an image ID prefix; use \"sha512-\" followed by at least 2 hex digits")
        let missing = first.id.hasPrefix("sha512-00") ? "sha512-ff" : "sha512-00"
        if !second.id.hasPrefix(missing) {
            #expect(
                thrownMessage { _ = try store.image(matching: missing) }
                    == "no image in the store matches \"\(missing)\"")
        }
    }

    @Test("lookup by name and labels returns the newest match")
    func nameLookup() throws {
        let dir = try TempDir()
        let store = try ImageStore(root: dir.sub("store"))
        try Fixtures.write(try Fixtures.validACI(), to: dir.sub("v1.aci"))
        let v2 = Fixtures.manifestJSON.replacingOccurrences(of: "\"1.0\"", with: "\"2.0\"")
        try Fixtures.write(try Fixtures.validACI(manifest: v2), to: dir.sub("v2.aci"))
        let first = try store.importImage(fromFile: dir.sub("v1.aci"))
        let second = try store.importImage(fromFile: dir.sub("v2.aci"))

        #expect(try store.image(named: "example.com/hello", labels: ["version": "1.0"]) == first)
        #expect(try store.image(named: "example.com/hello", labels: ["version": "2.0", "os": "linux"]) == second)
        #expect(try store.image(named: "example.com/hello")?.key != nil)
        #expect(try store.image(named: "example.com/hello", labels: ["version": "3.0"]) == nil)
        #expect(try store.image(named: "example.com/other") == nil)
    }

    @Test("remove deletes the image and its files")
    func remove() throws {
        let dir = try TempDir()
        let store = try ImageStore(root: dir.sub("store"))
        try Fixtures.write(try Fixtures.validACI(), to: dir.sub("x.aci"))
        let image = try store.importImage(fromFile: dir.sub("x.aci"))

        try store.remove(key: image.key)
        #expect(try store.allImages().isEmpty)
        #expect(!FileSystem.exists(image.path))
        #expect(dir.listing("store/tmp").isEmpty)
        #expect(thrownMessage { try store.remove(key: image.id) } == "no image with key \(image.key) in the store")
    }

    @Test("a hostile, invalid or unsupported file leaves the store untouched")
    func rejectedImports() throws {
        let dir = try TempDir()
        let store = try ImageStore(root: dir.sub("store"))
        let hostile = try Fixtures.validACI(extra: [Fixtures.file("rootfs/../../evil", "x")])
        try Fixtures.write(try Fixtures.gzip(hostile), to: dir.sub("hostile.aci"))
        let badManifest = Fixtures.manifestJSON.replacingOccurrences(of: "example.com/hello", with: "Hello")
        try Fixtures.write(try Fixtures.validACI(manifest: badManifest), to: dir.sub("bad.aci"))
        try Fixtures.write([0x42, 0x5a, 0x68, 0x39] + Array(repeating: 0, count: 100), to: dir.sub("b.aci"))

        let hostileError = thrownMessage { _ = try store.importImage(fromFile: dir.sub("hostile.aci")) }
        #expect(hostileError?.contains("has a \"..\" component") == true)
        let badError = thrownMessage { _ = try store.importImage(fromFile: dir.sub("bad.aci")) }
        #expect(badError?.hasPrefix("\(dir.sub("bad.aci")): invalid image manifest: name \"Hello\"") == true)
        let bzipError = thrownMessage { _ = try store.importImage(fromFile: dir.sub("b.aci")) }
        #expect(bzipError?.contains("unsupported compression (bzip2)") == true)
        let urlError = thrownMessage { _ = try store.importImage(fromFile: "https://example.com/x.aci") }
        #expect(urlError == "\"https://example.com/x.aci\": only local files and file:// URLs can be imported")

        #expect(dir.listing("store/tmp").isEmpty)
        #expect(dir.listing("store/images").isEmpty)
        #expect(dir.listing() == ["b.aci", "bad.aci", "hostile.aci", "store"])
    }

    /// Two ACI files whose IDs share their first two hex digits (found by varying a file's content).
    static func twoImagesSharingTwoHexDigits(in dir: TempDir) throws -> (String, String) {
        var seen: [String: [UInt8]] = [:]
        for index in 0..<5000 {
            let tar = try Fixtures.validACI(extra: [Fixtures.file("rootfs/n", String(index))])
            let bucket = String(SHA512.hexDigest(tar).prefix(2))
            if let other = seen[bucket] {
                try Fixtures.write(other, to: dir.sub("one.aci"))
                try Fixtures.write(tar, to: dir.sub("two.aci"))
                return (dir.sub("one.aci"), dir.sub("two.aci"))
            }
            seen[bucket] = tar
        }
        throw RktError(.internal, "no two IDs shared a two-digit prefix")
    }
}

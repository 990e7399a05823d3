import Foundation
import Glibc
import Images
import RktError
import RktSys
import Testing

@Suite("ACI builder")
struct ACIBuilderTests {
    /// A small tree with a subdirectory, modes, a symlink, a hard link and a FIFO.
    static func makeRootfs(_ dir: TempDir) throws -> String {
        let root = dir.sub("rootfs")
        try FileSystem.makeDirectories(root + "/usr/bin")
        try FileSystem.writeAtomically("#!/bin/sh\necho hi\n", to: root + "/usr/bin/hi", mode: 0o755)
        chmod(root + "/usr/bin/hi", 0o4755)
        try FileSystem.writeAtomically("zzz", to: root + "/z-last")
        try FileSystem.writeAtomically("aaa", to: root + "/A-first")
        link(root + "/z-last", root + "/usr/z-link")
        symlink("usr/bin/hi", root + "/hi")
        mkfifo(root + "/fifo", 0o600)
        return root
    }

    static func manifest() throws -> ImageManifest {
        try ManifestFields(
            name: "example.com/built", labels: ["version": "1.0", "os": "linux", "arch": "amd64"],
            exec: ["/usr/bin/hi"], workingDirectory: "/", environment: ["MODE=test"],
            ports: ["http:tcp:8080", "dns:udp:53:2"], mountPoints: ["data:/data:ro", "logs:/var/log"]
        ).makeManifest()
    }

    @Test("the output is deterministic, ordered, and its ID matches sha512sum and the store")
    func buildAndImport() throws {
        let dir = try TempDir()
        let root = try Self.makeRootfs(dir)
        let manifest = try Self.manifest()

        let id = try ACIBuilder.build(rootfs: root, manifest: manifest, output: dir.sub("a.aci"), gzip: false)
        let again = try ACIBuilder.build(rootfs: root, manifest: manifest, output: dir.sub("b.aci"), gzip: false)
        let packed = try ACIBuilder.build(rootfs: root, manifest: manifest, output: dir.sub("c.aci"))
        #expect(try FileSystem.read(dir.sub("a.aci")) == FileSystem.read(dir.sub("b.aci")))
        #expect(id == again && id == packed)
        #expect(id.full == (try ImageStoreTests.systemID(dir.sub("a.aci"))))

        let reader = TarReader(try FileSource(path: dir.sub("a.aci")), archiveName: "a.aci")
        var names: [String] = []
        while let entry = try reader.next() {
            names.append(entry.path)
        }
        #expect(
            names == [
                "manifest", "rootfs/", "rootfs/A-first", "rootfs/fifo", "rootfs/hi", "rootfs/usr/", "rootfs/usr/bin/",
                "rootfs/usr/bin/hi", "rootfs/usr/z-link", "rootfs/z-last",
            ])

        let store = try ImageStore(root: dir.sub("store"))
        let image = try store.importImage(fromFile: dir.sub("c.aci"))
        #expect(image.id == id.full)
        #expect(image.manifest == manifest)
        let rootfs = image.rootfsPath
        #expect(try ExtractionTests.stat(rootfs + "/usr/bin/hi").st_mode & 0o7777 == 0o4755)
        #expect(try ExtractionTests.stat(rootfs + "/hi").st_mode & S_IFMT == S_IFLNK)
        #expect(try ExtractionTests.stat(rootfs + "/fifo").st_mode & S_IFMT == S_IFIFO)
        #expect(
            try ExtractionTests.stat(rootfs + "/z-last").st_ino == ExtractionTests.stat(rootfs + "/usr/z-link").st_ino)
    }

    @Test("an output inside the rootfs, an existing output and an invalid manifest are refused")
    func refusals() throws {
        let dir = try TempDir()
        let root = try Self.makeRootfs(dir)
        let manifest = try Self.manifest()

        let inside = thrownMessage {
            try ACIBuilder.build(rootfs: root, manifest: manifest, output: root + "/usr/x.aci")
        }
        #expect(inside == "output \(root)/usr/x.aci is inside the rootfs \(root); write the ACI somewhere else")
        #expect(!FileSystem.exists(root + "/usr/x.aci"))

        try FileSystem.writeAtomically("keep", to: dir.sub("exists.aci"))
        let exists = thrownMessage {
            try ACIBuilder.build(rootfs: root, manifest: manifest, output: dir.sub("exists.aci"))
        }
        #expect(exists == "\(dir.sub("exists.aci")) already exists; remove it or pass overwrite")
        try ACIBuilder.build(rootfs: root, manifest: manifest, output: dir.sub("exists.aci"), overwrite: true)

        var broken = manifest
        broken.app?.user = ""
        let invalid = thrownMessage { try ACIBuilder.build(rootfs: root, manifest: broken, output: dir.sub("no.aci")) }
        #expect(invalid?.hasPrefix("invalid image manifest: app.user is missing") == true)
        #expect(!FileSystem.exists(dir.sub("no.aci")))
    }

    @Test("ManifestFields parses the CLI forms")
    func fields() throws {
        let manifest = try Self.manifest()
        let app = try #require(manifest.app)
        #expect(manifest.labels.map(\.name) == ["arch", "os", "version"])
        #expect(
            app.ports == [
                PortSpec(name: "http", protocol: "tcp", port: 8080),
                PortSpec(name: "dns", protocol: "udp", port: 53, count: 2),
            ])
        #expect(
            app.mountPoints == [
                MountPoint(name: "data", path: "/data", readOnly: true), MountPoint(name: "logs", path: "/var/log"),
            ])
        #expect(app.environment == [NameValue(name: "MODE", value: "test")])
        #expect(app.user == "0" && app.group == "0")
        #expect(try ManifestFields(name: "example.com/lib").makeManifest().app == nil)

        #expect(
            thrownMessage { _ = try ManifestFields(name: "a", exec: ["/x"], ports: ["http:8080"]).makeManifest() }
                == "port \"http:8080\" must look like name:protocol:port (e.g. http:tcp:8080)")
        #expect(
            thrownMessage { _ = try ManifestFields(name: "a", exec: ["/x"], mountPoints: ["data"]).makeManifest() }
                == "mount point \"data\" must look like name:/path or name:/path:ro")
        #expect(
            thrownMessage { _ = try ManifestFields(name: "a", exec: ["/x"], environment: ["NOVALUE"]).makeManifest() }
                == "environment \"NOVALUE\" must look like NAME=VALUE")
    }
}

import Foundation
import Images
import RktSys
import Testing

@Suite("Image store file index")
struct FileIndexTests {
    @Test("an unchanged file is served from the index; a rewritten file is imported again")
    func indexFollowsTheFile() throws {
        let dir = try TempDir()
        let path = dir.sub("app.aci")
        try Fixtures.write(try Fixtures.validACI(), to: path)
        let store = try ImageStore(root: dir.sub("store"))

        let first = try store.importImage(fromFile: path)
        #expect(dir.listing("store/by-file").count == 1)
        try FileSystem.removeTree(first.rootfsPath + "/bin")
        let cached = try store.importImage(fromFile: path)
        #expect(cached == first)
        #expect(!FileSystem.exists(cached.rootfsPath + "/bin"), "served from the index, not extracted again")

        let changed = try Fixtures.validACI(extra: [Fixtures.file("rootfs/etc/motd", "changed\n")])
        try Fixtures.write(changed, to: path)
        let reimported = try store.importImage(fromFile: path)
        #expect(reimported.key != first.key)
        #expect(FileSystem.exists(reimported.rootfsPath + "/etc/motd"))
    }

    @Test("a removed image is imported again even though the index still names it")
    func removedImageFallsBack() throws {
        let dir = try TempDir()
        let path = dir.sub("app.aci")
        try Fixtures.write(try Fixtures.validACI(), to: path)
        let store = try ImageStore(root: dir.sub("store"))
        let first = try store.importImage(fromFile: path)
        try store.remove(key: first.key)

        let again = try store.importImage(fromFile: path)
        #expect(again.key == first.key)
        #expect(FileSystem.exists(again.rootfsPath + "/bin/hello"))
    }
}

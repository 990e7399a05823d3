import Foundation
import Glibc
import RktSys
import Testing

@Suite struct FileLockTests {
    static func directory() throws -> String {
        let path = "\(NSTemporaryDirectory())filelock-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileSystem.makeDirectories(path)
        return path
    }

    @Test("an exclusive lock waits out a momentary shared probe (rkt status) instead of failing")
    func exclusiveLockOutlastsAProbe() throws {
        let path = try Self.directory()
        defer { try? FileSystem.removeTree(path) }
        let probe = open(path, O_RDONLY | O_CLOEXEC)
        #expect(flock(probe, LOCK_SH | LOCK_NB) == 0)

        let owner = try FileLock(path: path)
        #expect(try !owner.tryLock(exclusive: true), "flock conflicts between open files, even in one process")
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(50)) { close(probe) }
        #expect(try owner.tryLock(exclusive: true, within: .seconds(2)))
        #expect(FileLock.isLockedByOther(path))
    }

    @Test("a lock held for good is reported after the patience runs out")
    func heldLockFailsAfterPatience() throws {
        let path = try Self.directory()
        defer { try? FileSystem.removeTree(path) }
        let holder = try FileLock(path: path)
        try holder.lock(exclusive: true)

        let started = ContinuousClock.now
        #expect(try !FileLock(path: path).tryLock(exclusive: true, within: .milliseconds(100)))
        #expect(ContinuousClock.now - started >= .milliseconds(100))
    }
}

import Foundation
import Glibc
import RktError
import RktSys
import Testing

@Suite("FileSystem.read")
struct FileSystemReadTests {
    /// /proc's seq files (mountinfo) report size 0 and hand out their text over several short
    /// reads, like a FIFO whose writer pauses between chunks; every chunk must come back.
    @Test("reads until end of file, across short reads")
    func acrossShortReads() throws {
        let fifo = "/tmp/rkt-sys-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).fifo"
        guard mkfifo(fifo, 0o600) == 0 else {
            throw RktError.sys("mkfifo", fifo)
        }
        defer { unlink(fifo) }
        let script = "exec 3>\"$0\"; for n in 0 1 2; do printf chunk$n- >&3; sleep 0.2; done"
        let writer = try Subprocess.spawn("/bin/sh", ["-c", script, fifo])
        defer {
            // A reader that gave up early leaves the writer blocked in open(2) or write(2).
            writer.send(SIGKILL)
            _ = try? writer.wait()
        }

        let text = try FileSystem.readText(fifo)

        #expect(text == "chunk0-chunk1-chunk2-")
    }

    @Test("a missing file is notFound, naming the path and the syscall")
    func missingFile() {
        #expect {
            try FileSystem.read("/nonexistent/rkt-test")
        } throws: { error in
            guard let error = error as? RktError else {
                return false
            }
            return error.code == .notFound && error.message == "cannot read /nonexistent/rkt-test"
                && error.syscall?.name == "open"
        }
    }
}

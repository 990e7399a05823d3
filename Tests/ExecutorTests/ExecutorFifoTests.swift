import Foundation
import Glibc
import Synchronization
import Testing

@testable import Executor

/// Reads a FIFO on a thread of its own, the way Nomad's logmon does: open (blocking until a writer comes),
/// read to end of file, optionally stop after some text and close early.
final class FifoReader: Sendable {
    private let collected = Mutex<[UInt8]>([])
    private let done = Atomic<Bool>(false)

    /// Starts reading `path`; with `until`, closes the FIFO as soon as the text has arrived.
    init(_ path: String, until stop: String? = nil) {
        Thread.detachNewThread { [self] in
            defer { done.store(true, ordering: .sequentiallyConsistent) }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return }
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard count > 0 else { return }
                let text = collected.withLock { bytes in
                    bytes += buffer[0..<count]
                    return String(decoding: bytes, as: UTF8.self)
                }
                if let stop, text.contains(stop) { return }
            }
        }
    }

    var text: String { String(decoding: collected.withLock { $0 }, as: UTF8.self) }
    var byteCount: Int { collected.withLock { $0.count } }

    /// Waits up to `seconds` for end of file (or the early stop).
    func waitDone(_ seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !done.load(ordering: .sequentiallyConsistent), Date() < deadline { usleep(20_000) }
        return done.load(ordering: .sequentiallyConsistent)
    }
}

extension ExecutorProcessTests {
    private func fifos(_ harness: ExecutorHarness) throws -> (stdout: String, stderr: String) {
        let paths = (harness.directory + "/web.stdout.fifo", harness.directory + "/web.stderr.fifo")
        try #require(mkfifo(paths.0, 0o600) == 0 && mkfifo(paths.1, 0o600) == 0)
        return paths
    }

    @Test func outputGoesToTheFIFOsInsteadOfFiles() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let paths = try fifos(harness)
        let (out, err) = (FifoReader(paths.stdout), FifoReader(paths.stderr))
        let (_, client) = try harness.launch("echo to-stdout; echo to-stderr >&2; exit 4", outputPaths: paths)

        let exit = try #require(try client.wait(timeout: .seconds(10)))
        #expect(exit.exitCode == 4)
        #expect(out.waitDone() && err.waitDone(), "the executor closes the FIFOs once the task's pipes end")
        #expect(out.text == "to-stdout\n")
        #expect(err.text == "to-stderr\n")
        #expect(harness.logFiles("stdout").isEmpty && harness.logFiles("stderr").isEmpty, "no rotated files")
    }

    @Test func aLateReaderGetsTheEarlyOutputAndTheTaskIsNotHeldUp() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let paths = try fifos(harness)
        let clock = ContinuousClock()
        let started = clock.now
        // 200 KiB (more than a FIFO holds) before any reader exists, then a marker.
        let (_, client) = try harness.launch(
            "head -c 204800 /dev/zero | tr '\\0' x; echo; echo early-done; exec sleep 2", outputPaths: paths)
        let stderrReader = FifoReader(paths.stderr)
        usleep(700_000)
        let status = try client.status()
        #expect(status.exit == nil, "the task runs on")
        #expect(clock.now - started < .seconds(2), "the task was held up by the missing reader")

        let late = FifoReader(paths.stdout)
        #expect(late.waitDone(15), "the reader sees end of file after the task exits")
        #expect(late.byteCount == 204_800 + 1 + "early-done\n".count)
        #expect(late.text.hasSuffix("\nearly-done\n"))
        #expect(stderrReader.waitDone())
        #expect(try client.wait(timeout: .seconds(10))?.droppedLogBytes == 0)
    }

    @Test func aReaderThatGoesAwayIsReplaced() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let paths = try fifos(harness)
        _ = FifoReader(paths.stderr)
        let first = FifoReader(paths.stdout, until: "one\n")
        let (_, client) = try harness.launch(
            "echo one; sleep 1; echo two; sleep 1; echo three", outputPaths: paths)
        #expect(first.waitDone(), "the first reader got its line and left")
        #expect(first.text == "one\n")

        // "two" meets the closed FIFO (EPIPE) and waits; the next reader gets it and the rest.
        usleep(1_300_000)
        let second = FifoReader(paths.stdout)
        #expect(second.waitDone(15))
        #expect(second.text == "two\nthree\n")
        #expect(try client.wait(timeout: .seconds(10))?.exitCode == 0)
    }

    @Test func withoutAnyReaderOutputIsCappedAndCounted() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let paths = try fifos(harness)
        let clock = ContinuousClock()
        let started = clock.now
        let (_, client) = try harness.launch("head -c 8388608 /dev/zero; echo gone >&2", outputPaths: paths)
        let exit = try #require(try client.wait(timeout: .seconds(20)))
        #expect(exit.exitCode == 0)
        #expect(clock.now - started < .seconds(5), "the task was held up")
        // 4 MiB wait for a reader; the rest is dropped (the stderr line waits too).
        #expect(exit.droppedLogBytes == 8_388_608 - (4 << 20))
    }

    @Test func outputPathOptionsRoundTrip() throws {
        let options = ExecutorOptions(
            stateDirectory: "/s",
            log: ExecutorLogConfig(
                directory: "/l", taskName: "t", stdoutPath: "/a/out.fifo", stderrPath: "/a/err.fifo"),
            program: "/bin/true", arguments: ["x"])
        #expect(try ExecutorOptions.parse(options.commandLine) == options)
        #expect(throws: ExecutorError.self) {
            try ExecutorOptions.parse([
                "--state", "/s", "--log-dir", "/l", "--task", "t", "--stdout-path", "/o", "--", "/p",
            ])
        }
    }
}

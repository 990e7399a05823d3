import Foundation
import Glibc
import Testing

@testable import Executor

extension ExecutorProcessTests {
    @Test func rotatesAndKeepsMaxFiles() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let clock = ContinuousClock()
        let started = clock.now
        let (_, client) = try harness.launch(
            "yes 0123456789abcdef | head -c 3145728; echo TAIL", maxFiles: 2, maxFileSizeMB: 1)

        let exit = try #require(try client.wait(timeout: .seconds(30)))
        #expect(exit.exitCode == 0)
        #expect(clock.now - started < .seconds(10), "the task was held up")
        let files = harness.logFiles("stdout")
        #expect(files.map(\.index) == [2, 3])
        #expect(files.allSatisfy { $0.size <= 1024 * 1024 })
        #expect(harness.log("stdout", 3)?.hasSuffix("TAIL\n") == true)
    }

    @Test func aFiftyMebibyteBurstIsNotHeldUp() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let clock = ContinuousClock()
        let started = clock.now
        let (_, client) = try harness.launch("head -c 52428800 /dev/zero")

        let exit = try #require(try client.wait(timeout: .seconds(60)))
        let elapsed = clock.now - started
        print("50 MiB burst through rkt-executor: \(elapsed)")
        #expect(exit.exitCode == 0)
        #expect(elapsed < .seconds(30))
        #expect(harness.logFiles("stdout").reduce(0) { $0 + $1.size } == 52_428_800)
        #expect(exit.droppedLogBytes == 0)
    }
}

@Suite struct LogRotatorTests {
    private func withDirectory(_ body: (String) throws -> Void) throws {
        var template = Array("/tmp/rkr.XXXXXX".utf8CString)
        let path = String(cString: try #require(mkdtemp(&template)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    private func write(_ rotator: inout LogRotator, _ text: String) -> String? {
        Array(text.utf8).withUnsafeBytes { rotator.write($0) }
    }

    @Test func splitsAtTheSizeLimitAndDeletesTheOldest() throws {
        try withDirectory { dir in
            var rotator = LogRotator(directory: dir, baseName: "t.stdout", maxFiles: 2, maxBytes: 4)
            #expect(write(&rotator, "aaaabbbbcc") == nil)
            rotator.close()
            let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
            #expect(names == ["t.stdout.1", "t.stdout.2"])
            #expect(try String(contentsOfFile: dir + "/t.stdout.2", encoding: .utf8) == "cc")
        }
    }

    @Test func continuesTheHighestFileAndPurgesExtras() throws {
        try withDirectory { dir in
            for index in [0, 1, 5, 6] {
                _ = FileManager.default.createFile(atPath: "\(dir)/t.stdout.\(index)", contents: Data("x".utf8))
            }
            var rotator = LogRotator(directory: dir, baseName: "t.stdout", maxFiles: 2, maxBytes: 100)
            #expect(write(&rotator, "y") == nil)
            rotator.close()
            let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
            #expect(names == ["t.stdout.5", "t.stdout.6"])
            #expect(try String(contentsOfFile: dir + "/t.stdout.6", encoding: .utf8) == "xy")
        }
    }

    @Test func countsDroppedBytesWhenWritesFail() throws {
        var rotator = LogRotator(directory: "/nonexistent/dir", baseName: "t.stderr", maxFiles: 2, maxBytes: 100)
        let first = write(&rotator, "12345")
        #expect(first?.contains("/nonexistent/dir/t.stderr.0") == true)
        #expect(write(&rotator, "678") == nil, "one note per run of failures")
        #expect(rotator.droppedBytes == 8)
    }
}

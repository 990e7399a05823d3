import Foundation
import Glibc
import JSONCore
import Testing

@testable import Executor

extension ExecutorProcessTests {
    @Test func executorHasItsOwnSessionAndProcessGroup() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let (launched, client) = try harness.launch("exec sleep 100")

        #expect(getsid(launched.executorPid) == launched.executorPid)
        #expect(getsid(launched.executorPid) != getsid(0))
        #expect(getpgid(launched.executorPid) != getpgrp())
        #expect(getpgid(launched.childPid) == launched.childPid, "the task leads its own process group")
        #expect(try client.status().childPid == launched.childPid)
    }

    @Test func executorOutlivesAKilledLauncher() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let binary = try #require(ExecutorHarness.binary)
        let options = ExecutorOptions(
            stateDirectory: harness.stateDirectory,
            log: ExecutorLogConfig(directory: harness.logDirectory, taskName: "web"), program: "/bin/sh",
            arguments: ["-c", "exec sleep 100"])
        // A stand-in driver: a shell in its own session starts the executor, then waits to be killed.
        let words = ([binary] + options.commandLine).map { "'\($0)'" }.joined(separator: " ")
        let script = "\(words) > \(harness.directory)/ready; sleep 100"
        let devNull = try Spawn.openDevNull(O_RDWR)
        defer { closeQuietly(devNull) }
        let driver = try Spawn.run(
            "/bin/sh", arguments: ["sh", "-c", script], environment: [], stdin: devNull, stdout: devNull,
            stderr: devNull, newSession: true)
        defer { _ = ExecutorHarness.reap(driver, within: 5) }
        try waitForReadyFile(harness.directory + "/ready")

        #expect(kill(-driver, SIGKILL) == 0)
        #expect(ExecutorHarness.reap(driver, within: 5))
        let status = try ExecutorClient(socketPath: options.socketPath).status()
        #expect(status.isRunning)
        harness.launched.append(
            LaunchedExecutor(executorPid: try executorPid(harness), childPid: status.childPid, socketPath: ""))
        try ExecutorClient(socketPath: options.socketPath).shutdown(force: true)
    }

    @Test func aClientThatHangsUpDoesNotDisturbTheExecutor() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let (launched, client) = try harness.launch("exec sleep 100")

        for request in ["wait\n", "stop sig=0 timeout_ms=60000\n", "stat"] {
            let fd = try UnixSocket.connect(path: launched.socketPath)
            try FileIO.writeAll(fd, request, what: "socket")
            closeQuietly(fd)
        }
        #expect(try client.status().isRunning)
        #expect(kill(launched.executorPid, 0) == 0)
    }

    @Test func residentMemoryStaysSmall() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let (launched, client) = try harness.launch("yes | head -c 2000000; exec sleep 100")
        _ = try client.status()
        usleep(300_000)

        let kib = try #require(ExecutorHarness.residentKiB(launched.executorPid))
        print("rkt-executor VmRSS (debug build): \(kib) KiB")
        #expect(kib < 16 * 1024)
    }

    private func waitForReadyFile(_ path: String) throws {
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), text.hasSuffix("\n") {
                #expect(text.hasPrefix("ok "), "ready line: \(text)")
                return
            }
            usleep(50_000)
        }
        Issue.record("the executor never reported ready")
    }

    private func executorPid(_ harness: ExecutorHarness) throws -> pid_t {
        let text = try FileIO.readText(harness.stateDirectory + "/executor.json")
        let pid = try #require(try StateJSON.parseObject(text)["executor_pid"]?.int64Value)
        return pid_t(pid)
    }
}

extension ExecutorProcessTests {
    @Test func sigtermToTheExecutorStopsTheTaskAndExits() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let (launched, client) = try harness.launch("echo ready; exec sleep 100")
        try harness.waitForLog("ready")

        #expect(kill(launched.executorPid, SIGTERM) == 0)
        #expect(ExecutorHarness.reap(launched.executorPid, within: 5))
        let exit = try ExitRecord.load(from: harness.stateDirectory + "/exit.json")
        #expect(exit.signal == SIGTERM)
        #expect(throws: ExecutorError.self) { try client.status() }
    }

    @Test func executorLeavesAfterTheLingerWithoutShutdown() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let (launched, client) = try harness.launch("exit 0", linger: 1)

        #expect(try client.wait(timeout: .seconds(10))?.exitCode == 0)
        #expect(ExecutorHarness.reap(launched.executorPid, within: 5))
        #expect(access(launched.socketPath, F_OK) != 0)
    }
}

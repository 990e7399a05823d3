import Foundation
import Glibc
import Testing

@testable import Executor

/// Tests against real `rkt-executor` processes and real `/bin/sh` tasks. Serialized: they share two cores
/// and some check time bounds.
@Suite(.serialized, .enabled(if: ExecutorHarness.available, "needs .build/debug/rkt-executor (swift build)"))
struct ExecutorProcessTests {
    @Test func recordsExitCodeAndSplitsOutputStreams() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let (_, client) = try harness.launch("echo out; echo err >&2; echo $GREETING; exit 3")

        let exit = try #require(try client.wait(timeout: .seconds(10)))
        #expect(exit.exitCode == 3)
        #expect(exit.signal == 0)
        #expect(!exit.successful && exit.shellStatus == 3)
        #expect(try ExitRecord.load(from: harness.stateDirectory + "/exit.json") == exit)
        #expect(harness.log("stdout", 0) == "out\nhello\n")
        #expect(harness.log("stderr", 0) == "err\n")
    }

    @Test func exitJSONIsReadableByFoundation() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let (launched, client) = try harness.launch("exit 0")
        _ = try client.wait(timeout: .seconds(10))

        let data = try Data(contentsOf: URL(fileURLWithPath: harness.stateDirectory + "/exit.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        #expect(object["exit_code"] as? Int == 0)
        #expect(object["oom_killed"] as? Bool == false)
        let state = try Data(contentsOf: URL(fileURLWithPath: harness.stateDirectory + "/executor.json"))
        let executor = try #require(try JSONSerialization.jsonObject(with: state) as? [String: Any])
        #expect(executor["executor_pid"] as? Int == Int(launched.executorPid))
        #expect(executor["child_pid"] as? Int == Int(launched.childPid))
        #expect(executor["socket"] as? String == launched.socketPath)
    }

    @Test func signalReachesTheTask() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let (_, client) = try harness.launch("trap 'exit 7' USR1; echo ready; while :; do sleep 0.1; done")
        try harness.waitForLog("ready")

        #expect(try client.status().isRunning)
        try client.signal(SIGUSR1)
        let exit = try #require(try client.wait(timeout: .seconds(10)))
        #expect(exit.exitCode == 7)
        #expect(throws: ExecutorError.self) { try client.signal(SIGUSR1) }
    }

    @Test func stopEscalatesToKillAfterTheTimeout() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let (_, client) = try harness.launch("trap '' INT; echo ready; sleep 100")
        try harness.waitForLog("ready")

        let clock = ContinuousClock()
        let started = clock.now
        let exit = try client.stop(signal: SIGINT, timeout: .milliseconds(2000))
        let elapsed = clock.now - started
        #expect(elapsed >= .milliseconds(1900) && elapsed < .seconds(4), "took \(elapsed)")
        #expect(exit.signal == SIGKILL)
        #expect(exit.killedByExecutor)
        #expect(exit.shellStatus == 137)
    }

    @Test func stopReportsTheTasksOwnExit() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let (_, client) = try harness.launch("echo ready; exec sleep 100")
        try harness.waitForLog("ready")

        let exit = try client.stop(signal: SIGINT, timeout: .seconds(5))
        #expect(exit.signal == SIGINT)
        #expect(!exit.killedByExecutor)
        #expect(try client.stop(signal: SIGINT, timeout: .seconds(5)) == exit)
    }

    @Test func waitTimesOutWhileTheTaskRuns() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let (_, client) = try harness.launch("exec sleep 100")

        #expect(try client.wait(timeout: .milliseconds(200)) == nil)
        #expect(try client.status().isRunning)
    }

    @Test func shutdownWaitsForTheTaskThenRemovesTheSocket() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let (launched, client) = try harness.launch("exec sleep 100")

        #expect(throws: ExecutorError(.invalidState, "the task is still running; stop it first or use force=true")) {
            try client.shutdown()
        }
        _ = try client.stop(signal: SIGTERM, timeout: .seconds(5))
        try client.shutdown()
        #expect(ExecutorHarness.reap(launched.executorPid, within: 5))
        #expect(access(launched.socketPath, F_OK) != 0)
        #expect(access(harness.stateDirectory + "/exit.json", F_OK) == 0)
        #expect(throws: ExecutorError.self) { try client.status() }
    }

    @Test func launchReportsASpawnFailure() throws {
        let harness = try ExecutorHarness()
        defer { harness.finish() }
        let binary = try #require(ExecutorHarness.binary)

        let error = #expect(throws: ExecutorError.self) {
            try ExecutorLauncher.launch(
                executable: binary, stateDirectory: harness.stateDirectory,
                logConfig: ExecutorLogConfig(directory: harness.logDirectory, taskName: "web"),
                program: "/nonexistent/program", arguments: [], environment: [])
        }
        #expect(error?.code == .system)
        #expect(error?.message.contains("/nonexistent/program") == true)
        #expect(access(harness.stateDirectory + "/executor.sock", F_OK) != 0)
        // The executor exits just after its error line; reap it here rather than leave it to PID 1.
        for _ in 0..<100 where ExecutorHarness.exitedExecutorChildren().isEmpty {
            usleep(20_000)
        }
        #expect(ExecutorHarness.exitedExecutorChildren().count == 1)
    }
}

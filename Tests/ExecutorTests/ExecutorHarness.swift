import CShim
import Foundation
import Glibc
import Testing

@testable import Executor

/// Runs real `rkt-executor` processes for the tests and cleans up after them.
///
/// The test process makes itself a child subreaper, so each detached executor is reparented to it (not to
/// PID 1) and `finish` can reap it and prove it is gone.
final class ExecutorHarness {
    /// The built executor, found next to the package (`.build/debug/rkt-executor`) or via RKT_EXECUTOR_BIN.
    static let binary: String? = {
        _ = rkt_set_child_subreaper(1)
        signal(SIGPIPE, SIG_IGN)
        if let path = ProcessInfo.processInfo.environment["RKT_EXECUTOR_BIN"] {
            return path
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.appendingPathComponent(".build/debug/rkt-executor").path
        return access(path, X_OK) == 0 ? path : nil
    }()

    /// Why executor tests are skipped, for `.enabled(if:)`.
    static let available = binary != nil

    let directory: String
    var launched: [LaunchedExecutor] = []

    init() throws {
        var template = Array("/tmp/rkx.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ExecutorError(.system, "mkdtemp failed")
        }
        directory = String(cString: made)
    }

    var stateDirectory: String { directory + "/state" }
    var logDirectory: String { directory + "/logs" }

    /// Launches `/bin/sh -c script` under a new executor.
    func launch(
        _ script: String, maxFiles: Int = 10, maxFileSizeMB: Int = 10, linger: Int = 60,
        outputPaths: (stdout: String, stderr: String)? = nil
    ) throws -> (LaunchedExecutor, ExecutorClient) {
        let binary = try #require(Self.binary, "build rkt-executor first: swift build --product rkt-executor")
        let started = try ExecutorLauncher.launch(
            executable: binary, stateDirectory: stateDirectory,
            logConfig: ExecutorLogConfig(
                directory: logDirectory, taskName: "web", maxFiles: maxFiles, maxFileSizeMB: maxFileSizeMB,
                stdoutPath: outputPaths?.stdout, stderrPath: outputPaths?.stderr),
            lingerSeconds: linger, program: "/bin/sh", arguments: ["-c", script],
            environment: ["PATH=/usr/bin:/bin", "GREETING=hello"])
        launched.append(started)
        return (started, ExecutorClient(socketPath: started.socketPath))
    }

    /// The contents of `<logs>/web.<stream>.<index>`, or nil.
    func log(_ stream: String, _ index: Int) -> String? {
        try? String(contentsOfFile: "\(logDirectory)/web.\(stream).\(index)", encoding: .utf8)
    }

    /// Existing log files of `stream`, as (index, size), sorted by index.
    func logFiles(_ stream: String) -> [(index: Int, size: Int)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: logDirectory)) ?? []
        return names.compactMap { name -> (Int, Int)? in
            guard name.hasPrefix("web.\(stream)."), let index = Int(name.dropFirst("web.\(stream).".count)) else {
                return nil
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: "\(logDirectory)/\(name)")[.size]) as? Int
            return (index, size ?? -1)
        }.sorted { $0.0 < $1.0 }
    }

    /// Waits until `stream`'s first log file contains `text` (the script reached a point), up to 10 s.
    func waitForLog(_ text: String, stream: String = "stdout") throws {
        for _ in 0..<200 where log(stream, 0)?.contains(text) != true {
            usleep(50_000)
        }
        try #require(log(stream, 0)?.contains(text) == true, "the task never printed '\(text)'")
    }

    /// Force-stops every executor, reaps it, and removes the temporary directory.
    func finish() {
        for executor in launched {
            try? ExecutorClient(socketPath: executor.socketPath).shutdown(force: true)
            _ = Self.reap(executor.executorPid, within: 5)
        }
        for pid in Self.exitedExecutorChildren() {
            _ = Self.reap(pid, within: 1)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Reaps `pid` (a child of this subreaper) within `seconds`; true once it has gone.
    static func reap(_ pid: pid_t, within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD && kill(pid, 0) != 0) {
                return true
            }
            usleep(20_000)
        }
        return false
    }

    /// Exited `rkt-executor` processes reparented to this subreaper that no test knows the pid of (one that
    /// failed to start reports an error line, not its pid).
    static func exitedExecutorChildren() -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")"), stat.contains("(rkt-executor)")
            else {
                return nil
            }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && fields[0] == "Z" && pid_t(fields[1]) == getpid() ? pid : nil
        }
    }

    /// VmRSS of `pid` in KiB, from /proc.
    static func residentKiB(_ pid: pid_t) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else {
            return nil
        }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }
}

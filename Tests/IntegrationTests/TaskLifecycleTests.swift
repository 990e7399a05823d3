import Driver
import Foundation
import Glibc
import RktSys
import Testing

extension IntegrationTests {
    /// Issue 4's reliability cases: tasks outlive the driver, executors are watched, kills are
    /// bounded, and many cycles leave nothing behind.
    @Suite("task lifecycle")
    struct TaskLifecycle {
        /// A shell app that exits 0 on SIGINT/SIGTERM (sleeping in short steps so the trap runs).
        static let politeApp = ["-c", "trap 'exit 0' INT TERM; echo ready; while :; do sleep 0.2; done"]

        /// Waits until `count` task stdout logs say "ready" (the app's traps are set by then).
        static func waitUntilReady(_ sandbox: Sandbox, count: Int) {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                let logs =
                    FileManager.default.enumerator(atPath: "\(sandbox.driverData)/alloc")?
                    .compactMap { $0 as? String }.filter { $0.hasSuffix("worker.stdout.0") } ?? []
                let ready = logs.filter {
                    ((try? FileSystem.readText("\(sandbox.driverData)/alloc/\($0)")) ?? "").contains("ready")
                }
                if ready.count >= count {
                    return
                }
                usleep(50_000)
            }
            Issue.record("fewer than \(count) tasks printed ready within 60 s")
        }

        static func job(count: Int, args: [String], killTimeoutSeconds: Int = 5, image: String) throws -> String {
            let task: [String: Any] = [
                "Name": "worker", "Driver": "rkt",
                "Config": ["image": image, "command": "/bin/sh", "args": args, "net": ["none"]],
                "Resources": ["CPU": 100, "MemoryMB": 32], "KillTimeout": killTimeoutSeconds * 1_000_000_000,
            ]
            let job: [String: Any] = [
                "Job": [
                    "ID": "lifecycle", "Name": "lifecycle", "Type": "service", "Datacenters": ["dc1"],
                    "TaskGroups": [["Name": "workers", "Count": count, "Tasks": [task]]],
                ]
            ]
            return String(
                decoding: try JSONSerialization.data(withJSONObject: job, options: [.sortedKeys]), as: UTF8.self)
        }

        static func statuses(_ sandbox: Sandbox) throws -> [[String: Any]] {
            let output = try sandbox.driver(["status", "--json"])
            #expect(output.status.succeeded, "\(output)")
            return (try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]]) ?? []
        }

        @Test("ten tasks survive a SIGKILLed driver, re-open, and stop gracefully with exit code 0")
        func tasksOutliveTheDriver() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let jobPath = try sandbox.write(
                "ten.json", try Self.job(count: 10, args: Self.politeApp, image: try sandbox.shellImage()))
            let driver = try sandbox.start(Prerequisites.driver, sandbox.driverGlobals + ["run", jobPath])
            let deadline = ContinuousClock.now + .seconds(120)
            while driver.stdout.components(separatedBy: "driver network:").count < 11 && ContinuousClock.now < deadline
            {
                #expect(driver.poll() == nil, "the driver died: \(driver.stderr)")
                usleep(100_000)
            }
            Self.waitUntilReady(sandbox, count: 10)
            driver.child.send(SIGKILL)
            _ = driver.finish(timeout: .seconds(10))

            let reopened = try Self.statuses(sandbox)
            #expect(reopened.count == 10)
            #expect(reopened.allSatisfy { $0["state"] as? String == "running" }, "\(reopened)")
            #expect(sandbox.listPods().filter { $0.state == "running" }.count == 10)

            let stop = try sandbox.driver(["stop", "lifecycle"], timeout: .seconds(120))
            #expect(stop.status.succeeded, "\(stop)")
            let stopped = try Self.statuses(sandbox)
            #expect(stopped.count == 10)
            #expect(
                stopped.allSatisfy { $0["state"] as? String == "exited" && $0["exit"] as? String == "exit code 0" },
                "\(stopped)")
            #expect(stopped.allSatisfy { $0["podRemoved"] as? Bool == true })
            sandbox.expectNothingLeft("ten tasks after stop")
        }

        @Test("a SIGKILLed executor makes its task lost; gc stops and removes the pod")
        func executorKilled() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let jobPath = try sandbox.write(
                "one.json", try Self.job(count: 1, args: Self.politeApp, image: try sandbox.shellImage()))
            let run = try sandbox.driver(["run", "--detach", jobPath])
            #expect(run.status.succeeded, "\(run)")
            Self.waitUntilReady(sandbox, count: 1)
            let executor = try #require(try Self.statuses(sandbox).first?["executorPID"] as? Int)

            kill(pid_t(executor), SIGKILL)
            usleep(200_000)
            #expect(try Self.statuses(sandbox).first?["state"] as? String == "lost")
            #expect(sandbox.listPods().map(\.state) == ["running"], "the pod outlives its executor until cleaned")

            let gc = try sandbox.driver(["gc"])
            #expect(gc.status.succeeded, "\(gc)")
            #expect(gc.stdout.contains("removed 1 ended task(s)"), "\(gc)")
            #expect(sandbox.listPods().isEmpty)
            #expect(try Self.statuses(sandbox).isEmpty)
            sandbox.expectNothingLeft("a lost task after gc")
        }

        @Test("a task that ignores SIGINT is killed at its 2 s kill timeout")
        func killTimeoutIsHonoured() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let stubborn = ["-c", "trap '' INT; echo ready; while :; do sleep 0.2; done"]
            let jobPath = try sandbox.write(
                "stubborn.json",
                try Self.job(count: 1, args: stubborn, killTimeoutSeconds: 2, image: try sandbox.shellImage()))
            #expect(try sandbox.driver(["run", "--detach", jobPath]).status.succeeded)
            Self.waitUntilReady(sandbox, count: 1)

            let started = ContinuousClock.now
            let stop = try sandbox.driver(["stop", "worker"])
            let elapsed = ContinuousClock.now - started
            #expect(stop.status.succeeded, "\(stop)")
            #expect(elapsed >= .milliseconds(1900) && elapsed < .seconds(5), "stop took \(elapsed)")
            #expect(stop.stdout.contains("signal 9") || stop.stdout.contains("exit code 137"), "\(stop)")
            sandbox.expectNothingLeft("a killed stubborn task")
        }

        @Test("one hundred start/stop cycles through the driver library leave nothing and leak no descriptors")
        func hundredCycles() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let image = try sandbox.httpdImage()
            var settings = DriverSettings(rktPath: Prerequisites.rkt)
            settings.executorPath = "\(Prerequisites.binaryDirectory)/rkt-executor"
            settings.dataDirectory = sandbox.driverData
            settings.rktDataDirectory = sandbox.rktData
            let driver = RktDriver(settings: settings, logger: Logger(label: "test", level: .error))
            let cycles = Int(ProcessInfo.processInfo.environment["RKT_CYCLES"] ?? "") ?? 100

            var descriptorsAfterWarmUp = 0
            for cycle in 0..<cycles {
                let port = try Sockets.freePort()
                let spec = try CycleSpec.make(image: image, port: port, dataDirectory: sandbox.driverData, cycle: cycle)
                let handle = try driver.start(spec)
                if handle.network?.portMap != ["http": 80] {
                    let log = (try? FileSystem.readText("\(spec.allocDirectory.logs)/httpd.stderr.0")) ?? "(no log)"
                    Issue.record(
                        "cycle \(cycle): no driver network; outcome \(String(describing: handle.poll())); stderr: \(log)"
                    )
                }
                let outcome = handle.kill()
                #expect(outcome != .lost)
                driver.cleanup(handle)
                if cycle == 4 {
                    descriptorsAfterWarmUp = Self.openDescriptors()
                }
            }
            #expect(Self.openDescriptors() <= descriptorsAfterWarmUp, "descriptors grew over \(cycles) cycles")
            #expect(sandbox.listPods().isEmpty)
            sandbox.expectNothingLeft("\(cycles) start/stop cycles")
        }

        static func openDescriptors() -> Int {
            ((try? FileSystem.list("/proc/self/fd")) ?? []).count
        }
    }
}

extension IntegrationTests.TaskLifecycle {
    @Test("a start whose pod gets no IP in time with a port_map fails and leaves nothing running")
    func slowNetworkWithPortMapIsCleanedUp() throws {
        let sandbox = try Sandbox()
        defer { sandbox.close() }
        var settings = DriverSettings(rktPath: Prerequisites.rkt)
        settings.executorPath = "\(Prerequisites.binaryDirectory)/rkt-executor"
        settings.dataDirectory = sandbox.driverData
        settings.rktDataDirectory = sandbox.rktData
        settings.networkDeadline = .milliseconds(1)
        let driver = RktDriver(settings: settings, logger: Logger(label: "test", level: .error))
        let spec = try CycleSpec.make(
            image: try sandbox.httpdImage(), port: try Sockets.freePort(), dataDirectory: sandbox.driverData, cycle: 0)

        #expect {
            _ = try driver.start(spec)
        } throws: { error in
            "\(error)".contains("Trying to map ports but driver could not determine network information")
        }
        #expect(sandbox.listPods().isEmpty, "\(sandbox.listPods())")
        #expect(TaskStateStore(dataDirectory: sandbox.driverData).all().isEmpty)
        sandbox.expectNothingLeft("a start that timed out waiting for the network")
    }
}

extension IntegrationTests.TaskLifecycle {
    @Test("exec right after a detached start waits for the pod's app instead of failing")
    func execRightAfterStart() throws {
        let sandbox = try Sandbox()
        defer { sandbox.close() }
        let jobPath = try sandbox.write(
            "exec.json", try Self.job(count: 1, args: Self.politeApp, image: try sandbox.shellImage()))
        #expect(try sandbox.driver(["run", "--detach", jobPath]).status.succeeded)

        let exec = try sandbox.driver(["exec", "worker", "--", "/bin/sh", "-c", "echo from-inside; exit 5"])
        #expect(exec.code == 5, "\(exec)")
        #expect(exec.stdout.contains("from-inside"), "\(exec)")
        #expect(try sandbox.driver(["stop", "worker"]).status.succeeded)
        sandbox.expectNothingLeft("exec right after start")
    }
}

extension IntegrationTests.TaskLifecycle {
    @Test("a stop right after a detached start delivers the kill signal instead of waiting for SIGKILL")
    func stopRightAfterStart() throws {
        let sandbox = try Sandbox()
        defer { sandbox.close() }
        // The app's default action ends it on SIGINT (exit 130 through rkt-init); a lost signal would
        // end in SIGKILL after the 5 s kill timeout.
        let jobPath = try sandbox.write(
            "quick.json", try Self.job(count: 1, args: ["-c", "exec sleep 1000"], image: try sandbox.shellImage()))
        for attempt in 1...3 {
            #expect(try sandbox.driver(["run", "--detach", jobPath]).status.succeeded)
            let stop = try sandbox.driver(["stop", "lifecycle"])
            #expect(stop.stdout.contains("exited(exit code 130)"), "attempt \(attempt): \(stop)")
            #expect(try sandbox.driver(["gc"]).status.succeeded)
        }
        sandbox.expectNothingLeft("tasks stopped right after their start")
    }

    @Test("signal, logs and exec refuse a name that matches two tasks, naming their IDs")
    func ambiguousTaskNames() throws {
        let sandbox = try Sandbox()
        defer { sandbox.close() }
        let jobPath = try sandbox.write(
            "two.json", try Self.job(count: 2, args: ["-c", "exec sleep 1000"], image: try sandbox.shellImage()))
        #expect(try sandbox.driver(["run", "--detach", jobPath]).status.succeeded)
        for words in [["signal", "worker", "SIGTERM"], ["logs", "worker"], ["exec", "worker", "--", "/bin/true"]] {
            let output = try sandbox.driver(words)
            #expect(output.code == 1, "\(words): \(output)")
            #expect(output.stderr.contains("\"worker\" matches 2 tasks ("), "\(words): \(output)")
        }
        #expect(try Self.statuses(sandbox).map { $0["state"] as? String } == ["running", "running"])
        #expect(try sandbox.driver(["stop", "lifecycle"]).status.succeeded)
        #expect(try sandbox.driver(["gc"]).status.succeeded)
        sandbox.expectNothingLeft("two tasks of one name")
    }

    @Test("rkt-driver signal reaches the app inside the pod")
    func signalReachesTheApp() throws {
        let sandbox = try Sandbox()
        defer { sandbox.close() }
        let app = ["-c", "trap 'echo got-usr1; exit 7' USR1; echo ready; while :; do sleep 0.2; done"]
        let jobPath = try sandbox.write(
            "signal.json", try Self.job(count: 1, args: app, image: try sandbox.shellImage()))
        #expect(try sandbox.driver(["run", "--detach", jobPath]).status.succeeded)
        Self.waitUntilReady(sandbox, count: 1)

        let signal = try sandbox.driver(["signal", "worker", "SIGUSR1"])
        #expect(signal.status.succeeded, "\(signal)")
        let deadline = ContinuousClock.now + .seconds(10)
        var state: [String: Any] = [:]
        while ContinuousClock.now < deadline {
            state = try Self.statuses(sandbox).first ?? [:]
            if state["state"] as? String == "exited" {
                break
            }
            usleep(100_000)
        }
        #expect(state["exit"] as? String == "exit code 7", "\(state)")
        let logs = try sandbox.driver(["logs", "worker"])
        #expect(logs.stdout.contains("got-usr1"), "\(logs)")
        #expect(try sandbox.driver(["gc"]).status.succeeded)
        sandbox.expectNothingLeft("a signalled task")
    }
}

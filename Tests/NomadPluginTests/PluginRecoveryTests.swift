import Foundation
import Glibc
import RktSys
import Testing

extension PluginProcessTests {
    /// A task started through one plugin process outlives its SIGKILL and is recovered, stopped and destroyed
    /// through the next one, from the handle Nomad would have saved. The second plugin then ends on SIGTERM.
    @Test(
        .enabled(
            if: PluginProcess.canRunPods,
            "needs root, /bin/busybox, runc and the built rkt (swift build --product rkt, rkt-executor, rkt-init)"))
    func taskSurvivesAPluginKillAndIsRecovered() throws {
        let python = try #require(PluginProcess.python)
        let directory = try PluginProcess.workspace(python: python)
        defer { _ = try? Subprocess.run("/bin/rm", ["-rf", directory]) }
        let (dataDir, rktDir, allocDir) = (
            directory + "/d", directory + "/rkt", directory + "/alloc/c0ffee00-0000-4000-8000-000000000002"
        )
        for path in [allocDir + "/alloc/logs", allocDir + "/db/local", allocDir + "/db/secrets"] {
            try FileSystem.makeDirectories(path, mode: 0o755)
        }
        let image = try buildImage(in: directory)
        let phase = { (socket: String, name: String) throws -> ProcessOutput in
            try Subprocess.run(
                python,
                [directory + "/proto/recovery.py", socket, dataDir, name, image, allocDir, directory + "/handle.bin"],
                environment: ["PYTHONPATH": directory + "/proto", "PATH": "/usr/local/bin:/usr/bin:/bin"],
                timeout: .seconds(180))
        }

        let (first, firstSocket) = try PluginProcess.start(
            dataDir: dataDir, rktDir: rktDir, stderrPath: directory + "/plugin1.stderr")
        let started = try phase(firstSocket, "start")
        first.send(SIGKILL)
        _ = try? first.wait()
        unlink(firstSocket)  // a killed plugin cannot remove its socket
        try #require(started.status.succeeded, "start phase:\n\(started.stdoutText)\(started.stderrText)")
        #expect(!PluginProcess.leftovers(dataDir + "/tasks").isEmpty, "the task's state outlives the plugin")

        let (second, secondSocket) = try PluginProcess.start(
            dataDir: dataDir, rktDir: rktDir, stderrPath: directory + "/plugin2.stderr")
        let recovered = try phase(secondSocket, "recover")
        second.send(SIGTERM)
        let status = PluginProcess.reap(second, seconds: 5)
        let stderr = (try? FileSystem.readText(directory + "/plugin2.stderr")) ?? ""
        #expect(
            recovered.status.succeeded && recovered.stdoutText.hasSuffix("OK\n"),
            "recover phase:\n\(recovered.stdoutText)\(recovered.stderrText)\nplugin:\n\(stderr)")
        #expect(status == .exited(0), "SIGTERM ends the plugin cleanly, got \(String(describing: status))")
        #expect(access(secondSocket, F_OK) != 0, "SIGTERM removes the socket file")
        #expect(PluginProcess.leftovers(dataDir + "/tasks").isEmpty, "task state left behind")
        for state in ["prepare", "prepared", "run", "exited-garbage", "garbage"] {
            #expect(PluginProcess.leftovers("\(rktDir)/pods/\(state)").isEmpty, "pods left in \(state)")
        }
    }
}

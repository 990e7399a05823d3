import Foundation
import Glibc
import RktSys
import Testing

/// End to end: the built `rkt-driver plugin` binary, driven by a real grpcio client (Python) over the unix
/// socket named in its handshake line.
enum PluginProcess {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let binary = packageRoot + "/.build/debug/rkt-driver"

    /// A python3 with grpcio and grpcio-tools: $GRPC_PYTHON, else python3 on PATH.
    static let python: String? = {
        var candidates = ProcessInfo.processInfo.environment["GRPC_PYTHON"].map { [$0] } ?? []
        candidates += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
        return candidates.first { candidate in
            access(candidate, X_OK) == 0
                && (try? Subprocess.run(candidate, ["-c", "import grpc, grpc_tools"], timeout: .seconds(30)))?.status
                    .succeeded == true
        }
    }()

    static var canRunPods: Bool {
        geteuid() == 0 && access("/bin/busybox", X_OK) == 0
            && (try? Subprocess.resolveExecutable("runc", searchPath: "/usr/local/sbin:/usr/sbin:/usr/bin:/sbin"))
                != nil
            && access(packageRoot + "/.build/debug/rkt", X_OK) == 0
    }

    /// A scratch directory with the compiled protos and the client script.
    static func workspace(python: String) throws -> String {
        // Short: the executor socket lands at <data>/tasks/<alloc id>-<task>/executor/executor.sock (≤ 107 bytes).
        let directory = "/tmp/rpe-\(UInt32.random(in: 100_000...999_999))"
        try FileSystem.makeDirectories(directory + "/proto", mode: 0o700)
        for (name, text) in PluginProtos.files {
            try FileSystem.writeAtomically(Array(text.utf8), to: "\(directory)/proto/\(name)")
        }
        try FileSystem.writeAtomically(Array(PluginClientCommon.source.utf8), to: directory + "/proto/plugincommon.py")
        try FileSystem.writeAtomically(Array(PluginClientScript.source.utf8), to: directory + "/proto/client.py")
        try FileSystem.writeAtomically(Array(RecoveryClientScript.source.utf8), to: directory + "/proto/recovery.py")
        let protos = PluginProtos.files.keys.sorted().map { "\(directory)/proto/\($0)" }
        let compile = try Subprocess.run(
            python,
            [
                "-m", "grpc_tools.protoc", "-I\(directory)/proto", "--python_out=\(directory)/proto",
                "--grpc_python_out=\(directory)/proto",
            ] + protos, timeout: .seconds(60))
        try #require(compile.status.succeeded, "protoc failed: \(compile.stderrText)")
        return directory
    }

    /// Starts the plugin with its stdout on a pipe and returns it with the handshake's socket path.
    static func start(dataDir: String, rktDir: String, stderrPath: String) throws -> (ChildProcess, String) {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        let errorFD = open(stderrPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer {
            close(fds[1])
            close(errorFD)
        }
        let child = try Subprocess.spawn(
            binary, ["--data-dir", dataDir, "--rkt-dir", rktDir, "--log-level", "debug", "plugin"],
            stdio: Subprocess.Stdio(stdin: 0, stdout: fds[1], stderr: errorFD))
        defer { close(fds[0]) }
        let line = readLine(fds[0], timeout: 30)
        let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, fields[0] == "1", fields[1] == "2", fields[2] == "unix", fields[4] == "grpc" else {
            child.send(SIGKILL)
            _ = try? child.wait()
            throw PluginTestError("bad handshake line \(line.debugDescription)")
        }
        return (child, fields[3])
    }

    /// The first line on `fd` (without the newline), or what arrived before `timeout` seconds.
    static func readLine(_ fd: Int32, timeout: Int32) -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while poll(&poller, 1, timeout * 1000) > 0, read(fd, &byte, 1) == 1, byte != UInt8(ascii: "\n") {
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Waits up to `seconds` for the plugin to exit by itself (after Shutdown), else kills it.
    static func reap(_ child: ChildProcess, seconds: Int) -> RktSys.ExitStatus? {
        for _ in 0..<(seconds * 10) {
            if let status = try? child.poll() { return status }
            usleep(100_000)
        }
        child.send(SIGKILL)
        _ = try? child.wait()
        return nil
    }

    /// Entries left below `path` (nothing when it does not exist).
    static func leftovers(_ path: String) -> [String] { (try? FileSystem.list(path)) ?? [] }
}

struct PluginTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@Suite(
    .enabled(
        if: PluginProcess.python != nil,
        "no python3 with grpcio + grpcio-tools (set GRPC_PYTHON, e.g. /tmp/plugin-venv/bin/python3); skipped"),
    .enabled(
        if: access(PluginProcess.binary, X_OK) == 0, "build rkt-driver first (swift build --product rkt-driver)"),
    .serialized, .timeLimit(.minutes(5)))
struct PluginProcessTests {
    @Test func informationMethodsOverARealGRPCClient() throws {
        try run(withTask: false)
    }

    @Test(
        .enabled(
            if: PluginProcess.canRunPods,
            "needs root, /bin/busybox, runc and the built rkt (swift build --product rkt, rkt-executor, rkt-init)"))
    func busyboxTaskLifecycle() throws {
        try run(withTask: true)
    }

    private func run(withTask: Bool) throws {
        let python = try #require(PluginProcess.python)
        let directory = try PluginProcess.workspace(python: python)
        defer { _ = try? Subprocess.run("/bin/rm", ["-rf", directory]) }
        let (dataDir, rktDir, allocDir) = (
            directory + "/d", directory + "/rkt", directory + "/alloc/c0ffee00-0000-4000-8000-000000000001"
        )
        var arguments = [directory + "/proto/client.py", "SOCKET", dataDir]
        if withTask {
            arguments += [try buildImage(in: directory), allocDir]
            for path in [allocDir + "/alloc/logs", allocDir + "/web/local", allocDir + "/web/secrets"] {
                try FileSystem.makeDirectories(path, mode: 0o755)
            }
        }
        let (child, socket) = try PluginProcess.start(
            dataDir: dataDir, rktDir: rktDir, stderrPath: directory + "/plugin.stderr")
        arguments[1] = socket
        let client = try Subprocess.run(
            python, arguments,
            environment: ["PYTHONPATH": directory + "/proto", "PATH": "/usr/local/bin:/usr/bin:/bin"],
            timeout: .seconds(240))
        let status = PluginProcess.reap(child, seconds: 5)
        let stderr = (try? FileSystem.readText(directory + "/plugin.stderr")) ?? ""
        #expect(client.status.succeeded, "client:\n\(client.stdoutText)\(client.stderrText)\nplugin:\n\(stderr)")
        #expect(client.stdoutText.hasSuffix("OK\n"), "\(client.stdoutText)")
        #expect(status == .exited(0), "the plugin must exit after Shutdown, got \(String(describing: status))")
        #expect(access(socket, F_OK) != 0, "the socket file must be removed")
        if withTask {
            #expect(PluginProcess.leftovers(dataDir + "/tasks").isEmpty, "task state left behind")
            for state in ["prepare", "prepared", "run", "exited-garbage", "garbage"] {
                #expect(PluginProcess.leftovers("\(rktDir)/pods/\(state)").isEmpty, "pods left in \(state)")
            }
        }
    }

    /// A busybox ACI built with `rkt-driver build-aci`.
    func buildImage(in directory: String) throws -> String {
        let rootfs = directory + "/rootfs"
        try FileSystem.makeDirectories(rootfs + "/bin", mode: 0o755)
        try FileSystem.makeDirectories(rootfs + "/etc", mode: 0o755)
        _ = try Subprocess.run("/bin/cp", ["/bin/busybox", rootfs + "/bin/busybox"])
        for tool in ["sh", "sleep", "echo", "cat"] { symlink("busybox", "\(rootfs)/bin/\(tool)") }
        try FileSystem.writeAtomically(Array("root:x:0:0:root:/root:/bin/sh\n".utf8), to: rootfs + "/etc/passwd")
        try FileSystem.writeAtomically(Array("root:x:0:\n".utf8), to: rootfs + "/etc/group")
        let image = directory + "/busybox.aci"
        let build = try Subprocess.run(
            PluginProcess.binary,
            [
                "build-aci", "--name", "example.com/plugin-e2e", "--label", "version=1.0.0", "--label", "os=linux",
                "--label", "arch=amd64", rootfs, image, "--", "/bin/sh",
            ], timeout: .seconds(60))
        try #require(build.status.succeeded, "build-aci: \(build.stderrText)")
        return image
    }
}

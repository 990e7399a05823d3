import Foundation
import Glibc
import RktError
import RktSys
import Testing

/// `examples/redis` end to end through the built `rkt-driver`: build the image, `run` the job,
/// wait until `services --json` lists both services with passing checks, PING redis at the pod
/// address and at the host's mapped port, then SIGTERM the driver and check that it exits 0,
/// deregisters the services and leaves no netns or runc container behind.
@Suite(
    "examples/redis end to end", .serialized,
    .enabled(if: RedisExample.missing.isEmpty, Comment(rawValue: RedisExample.skipMessage)))
struct RedisExampleTests {
    @Test("run registers both services, redis answers at both addresses, SIGTERM cleans up")
    func endToEnd() throws {
        let example = try RedisExample()
        defer { example.cleanUp() }
        try example.buildImage()
        try example.start()

        let started = try example.waitForStartReport()
        let services = try example.waitForPassingServices()
        let pod = try #require(services.first { $0.name == "redis-pod" })
        let host = try #require(services.first { $0.name == "redis-host" })
        #expect(pod.address == started.podIP)
        #expect(pod.port == 6379)
        #expect(host.address == started.hostIP)
        #expect(host.port == started.hostPort)

        #expect(try RedisExample.ping(address: started.podIP, port: 6379).hasPrefix("+PONG"))
        #expect(try RedisExample.ping(address: started.hostIP, port: started.hostPort).hasPrefix("+PONG"))

        let status = try example.stop(signal: SIGTERM)
        #expect(status == .exited(0), "driver stderr:\n\(example.driverStderr)")
        #expect(try example.services().isEmpty)
        #expect(example.leftovers(podID: started.podID).isEmpty)
    }
}

/// What `rkt-driver run` printed about the started task.
struct StartReport: Equatable {
    var podID: String
    var podIP: String
    var hostIP: String
    var hostPort: Int

    /// Reads the run's report lines (`task "redis": pod UUID`, `driver network: ip IP, …`,
    /// `port db: host IP:PORT`); nil until all three have been printed.
    init?(_ text: String) {
        var podID = ""
        var podIP = ""
        var hostAddress = ""
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("task \"redis\": pod ") {
                podID = String(line.dropFirst("task \"redis\": pod ".count))
            } else if line.hasPrefix("driver network: ip ") {
                podIP = String(line.dropFirst("driver network: ip ".count).prefix { $0 != "," })
            } else if line.hasPrefix("port db: host ") {
                hostAddress = String(line.dropFirst("port db: host ".count))
            }
        }
        let hostParts = hostAddress.split(separator: ":")
        guard !podID.isEmpty, !podIP.isEmpty, hostParts.count == 2, let port = Int(hostParts[1]) else {
            return nil
        }
        self.podID = podID
        self.podIP = podIP
        self.hostIP = String(hostParts[0])
        self.hostPort = port
    }
}

/// The fields of `rkt-driver services --json` this test reads.
struct ListedService: Decodable {
    struct Check: Decodable {
        var name: String
        var status: String
    }

    var name: String
    var address: String
    var port: Int
    var checks: [Check]

    var allPassing: Bool { !checks.isEmpty && checks.allSatisfy { $0.status == "passing" } }
}

/// One run of the example in its own temporary directory (image, data dir, rkt dir, logs).
final class RedisExample {
    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The directory holding the built binaries: `RKT_BIN_DIR`, else `.build/debug`, else
    /// `.build/release` (the first one that has all four).
    static let binaries: String? = {
        let binaries = ["rkt-driver", "rkt", "rkt-init", "rkt-executor"]
        let environment = ProcessInfo.processInfo.environment["RKT_BIN_DIR"].map { [$0] } ?? []
        let candidates = environment + ["\(root)/.build/debug", "\(root)/.build/release"]
        return candidates.first { directory in binaries.allSatisfy { access("\(directory)/\($0)", X_OK) == 0 } }
    }()

    /// What this machine lacks for the test; empty when it can run.
    static let missing: [String] = {
        var missing: [String] = []
        if geteuid() != 0 {
            missing.append("root")
        }
        if access("/usr/bin/redis-server", X_OK) != 0 {
            missing.append("redis-server (apt-get install redis-server)")
        }
        if binaries == nil {
            missing.append("the built rkt-driver, rkt, rkt-init and rkt-executor (swift build)")
        }
        for plugin in ["/usr/lib/cni/ptp", "/usr/lib/cni/portmap"] where access(plugin, X_OK) != 0 {
            missing.append(plugin)
        }
        if (try? Subprocess.resolveExecutable("runc", searchPath: ProcessInfo.processInfo.environment["PATH"])) == nil {
            missing.append("runc")
        }
        return missing
    }()

    static var skipMessage: String { "needs " + missing.joined(separator: ", ") }

    /// How long the pod may take to report, and the checks to pass.
    static let startTimeout: Duration = .seconds(60)
    /// How long the driver may take to stop after SIGTERM (the job's kill timeout is 5 s).
    static let stopTimeout: Duration = .seconds(60)

    let directory: String
    let driver: String
    private var child: ChildProcess?
    private var podID: String?

    init() throws {
        signal(SIGPIPE, SIG_IGN)
        var template = Array("/tmp/rkt-redis-test.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw RktError.sys("mkdtemp", "/tmp/rkt-redis-test.XXXXXX")
        }
        directory = String(cString: made)
        driver = "\(Self.binaries ?? "")/rkt-driver"
        try FileSystem.makeDirectories("\(directory)/data")
        try FileSystem.makeDirectories("\(directory)/rkt")
    }

    var jobPath: String { "\(directory)/job.json" }
    var driverStdout: String { (try? FileSystem.readText("\(directory)/driver.out")) ?? "" }
    var driverStderr: String { (try? FileSystem.readText("\(directory)/driver.err")) ?? "" }

    /// Builds redis.aci next to a copy of the job file, with the example's own script.
    func buildImage() throws {
        let output = try Subprocess.run(
            "/bin/bash", ["\(Self.root)/examples/redis/build-image.sh", "\(directory)/redis.aci"],
            environment: ProcessInfo.processInfo.environment.merging(["RKT_DRIVER": driver]) { $1 },
            timeout: .seconds(300))
        guard output.status.succeeded else {
            throw RktError(.internal, "build-image.sh failed (\(output.status)): \(output.stderrText)")
        }
        try FileSystem.writeAtomically(try FileSystem.read("\(Self.root)/examples/redis/job.json"), to: jobPath)
    }

    /// Starts `rkt-driver run` with the temporary data and rkt directories, output to files.
    func start() throws {
        let stdin = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let stdout = open("\(directory)/driver.out", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let stderr = open("\(directory)/driver.err", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer {
            for fd in [stdin, stdout, stderr] where fd >= 0 {
                close(fd)
            }
        }
        guard stdin >= 0, stdout >= 0, stderr >= 0 else {
            throw RktError.sys("open", directory)
        }
        child = try Subprocess.spawn(
            driver, ["--data-dir", "\(directory)/data", "--rkt-dir", "\(directory)/rkt", "run", jobPath],
            stdio: Subprocess.Stdio(stdin: stdin, stdout: stdout, stderr: stderr))
    }

    /// Waits for the run's report of the pod and its ports.
    func waitForStartReport() throws -> StartReport {
        let report = try poll("the run to report its pod", timeout: Self.startTimeout) { StartReport(driverStdout) }
        podID = report.podID
        return report
    }

    /// Waits until `services --json` lists redis-pod and redis-host, each with all checks passing.
    func waitForPassingServices() throws -> [ListedService] {
        try poll("both services with passing checks", timeout: Self.startTimeout) {
            let services = try self.services()
            let ready = ["redis-pod", "redis-host"].allSatisfy { name in
                services.contains { $0.name == name && $0.allPassing }
            }
            return ready ? services : nil
        }
    }

    /// `rkt-driver --data-dir … services --json`, decoded.
    func services() throws -> [ListedService] {
        let output = try Subprocess.run(
            driver, ["--data-dir", "\(directory)/data", "services", "--json"], timeout: .seconds(30))
        guard output.status.succeeded else {
            throw RktError(.internal, "services --json failed (\(output.status)): \(output.stderrText)")
        }
        return try JSON.decode([ListedService].self, from: output.stdout)
    }

    /// Sends `signal` to the driver and waits (bounded) for it to exit.
    func stop(signal: Int32) throws -> RktSys.ExitStatus {
        guard let child else {
            throw RktError(.invalidState, "the driver is not running")
        }
        child.send(signal)
        let deadline = ContinuousClock.now + Self.stopTimeout
        while ContinuousClock.now < deadline {
            if let status = try child.poll() {
                self.child = nil
                return status
            }
            usleep(100_000)
        }
        throw RktError(.timeout, "the driver did not exit within \(Self.stopTimeout) of signal \(signal)")
    }

    /// What the pod left behind: its netns, its runc state, a running pod directory, mounts.
    func leftovers(podID: String) -> [String] {
        var found = mounts().map { "mount \($0)" }
        for path in ["/var/run/netns/rkt-\(podID)", "/run/rkt/runc/rkt-\(podID)"] where FileSystem.exists(path) {
            found.append(path)
        }
        if let state = try? Subprocess.run("runc", ["--root", "/run/rkt/runc", "state", "rkt-\(podID)"]),
            state.status.succeeded
        {
            found.append("runc container rkt-\(podID)")
        }
        let running = (try? FileSystem.list("\(directory)/rkt/pods/run")) ?? []
        found += running.map { "pod \($0) still in pods/run" }
        return found
    }

    /// Stops a driver still running (SIGTERM, then SIGKILL), removes a pod it left, detaches
    /// mounts left under the directory, and removes the directory.
    func cleanUp() {
        if child != nil, (try? stop(signal: SIGTERM)) == nil, let child {
            child.send(SIGKILL)
            _ = try? child.wait()
        }
        if let podID, !leftovers(podID: podID).isEmpty, let binaries = Self.binaries {
            _ = try? Subprocess.run(
                "\(binaries)/rkt", ["--dir=\(directory)/rkt", "rm", podID], timeout: .seconds(60))
        }
        for mount in mounts().reversed() {
            _ = umount2(mount, Int32(MNT_DETACH))
        }
        guard mounts().isEmpty else {
            Issue.record("left \(directory) in place: something is still mounted under it")
            return
        }
        try? FileSystem.removeTree(directory)
    }

    /// Mount points under the temporary directory, from /proc/self/mountinfo (field 5).
    func mounts() -> [String] {
        let text = (try? FileSystem.readText("/proc/self/mountinfo")) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 4, fields[4].hasPrefix("\(directory)/") else {
                return nil
            }
            return String(fields[4])
        }
    }

    /// Calls `attempt` every 200 ms until it returns a value or `timeout` passes; fails naming
    /// `what` and showing the driver's stderr. Stops early if the driver exits.
    private func poll<T>(_ what: String, timeout: Duration, _ attempt: () throws -> T?) throws -> T {
        let deadline = ContinuousClock.now + timeout
        var lastError: (any Error)?
        while ContinuousClock.now < deadline {
            do {
                if let value = try attempt() {
                    return value
                }
            } catch {
                lastError = error
            }
            if let child, let status = try child.poll() {
                self.child = nil
                throw RktError(.internal, "the driver exited (\(status)) while waiting for \(what):\n\(driverStderr)")
            }
            usleep(200_000)
        }
        let detail = lastError.map { " (last error: \($0))" } ?? ""
        throw RktError(.timeout, "timed out after \(timeout) waiting for \(what)\(detail):\n\(driverStderr)")
    }

    /// Sends `PING\r\n` over a new TCP connection and returns the first reply line.
    static func ping(address: String, port: Int) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw RktError.sys("socket", "\(address):\(port)")
        }
        defer { close(fd) }
        var limit = timeval(tv_sec: 5, tv_usec: 0)
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            _ = setsockopt(fd, SOL_SOCKET, option, &limit, socklen_t(MemoryLayout<timeval>.size))
        }

        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, address, &target.sin_addr) == 1 else {
            throw RktError(.invalidArgument, "\(address) is not an IPv4 address")
        }
        let connected = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            throw RktError.sys("connect", "\(address):\(port)")
        }
        try FileSystem.writeAll(fd, Array("PING\r\n".utf8), path: "\(address):\(port)")

        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while !reply.contains(10), reply.count < 256 {
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else {
                break
            }
            reply += buffer[0..<count]
        }
        return String(decoding: reply, as: UTF8.self)
    }
}

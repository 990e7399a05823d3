import Foundation
import Glibc
import RktSys
import Testing

/// One test's world: a temporary directory (images, rkt data dir, driver data dir, logs) and the
/// processes started in it. `close()` stops those processes, removes their pods the normal way,
/// records every trace the suite's pods left on the host as a test issue, then force-cleans.
final class Sandbox {
    let root: String
    let rktData: String
    let driverData: String
    private var tools: [BackgroundTool] = []
    private var pods: Set<String> = []
    private var addresses: Set<String> = []

    init() throws {
        root = "\(HostState.temporaryPrefix)\(UUID().uuidString.lowercased().prefix(8))"
        rktData = "\(root)/rkt"
        driverData = "\(root)/driver"
        for directory in [root, rktData, driverData] {
            try FileSystem.makeDirectories(directory)
        }
    }

    // MARK: - Commands

    /// `rkt --dir=<sandbox> --insecure-options=all ARGS`, to completion.
    func rkt(_ arguments: [String], timeout: Duration = .seconds(60)) throws -> ToolOutput {
        try run(Prerequisites.rkt, rktGlobals + arguments, timeout: timeout)
    }

    /// `rkt-driver --data-dir D --rkt-dir R ARGS`, to completion.
    func driver(_ arguments: [String], timeout: Duration = .seconds(90)) throws -> ToolOutput {
        try run(Prerequisites.driver, driverGlobals + arguments, timeout: timeout)
    }

    var rktGlobals: [String] { ["--dir=\(rktData)", "--insecure-options=all"] }
    var driverGlobals: [String] { ["--data-dir", driverData, "--rkt-dir", rktData] }

    /// Runs a command with its output in files, failing the test if it outlives `timeout`.
    func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(60)) throws -> ToolOutput {
        let tool = try start(executable, arguments)
        guard let output = tool.finish(timeout: timeout) else {
            throw TestFailure("`\(tool.command)` did not finish within \(timeout); killed it")
        }
        return output
    }

    /// Starts a command in the background; `close()` stops it if the test did not.
    func start(_ executable: String, _ arguments: [String]) throws -> BackgroundTool {
        let name = (executable as NSString).lastPathComponent
        let tool = try BackgroundTool(executable, arguments, logPrefix: "\(root)/\(tools.count + 1)-\(name)")
        tools.append(tool)
        return tool
    }

    /// `rkt prepare ARGS`, returning the pod UUID.
    func prepare(_ arguments: [String]) throws -> String {
        let output = try rkt(["prepare"] + arguments)
        let uuid = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard output.status.succeeded, uuid.count == 36 else {
            throw TestFailure("rkt prepare failed: \(output)")
        }
        return uuid
    }

    /// Writes a file into the sandbox and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = "\(root)/\(name)"
        try FileSystem.writeAtomically(text, to: path)
        return path
    }

    // MARK: - Pods

    /// The pods this sandbox's rkt data dir knows, as (uuid, state) from `rkt list`.
    func listPods() -> [(uuid: String, state: String)] {
        guard let output = try? rkt(["list", "--format=json"], timeout: .seconds(30)), output.status.succeeded,
            let list = (try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8))) as? [[String: Any]]
        else {
            return []
        }
        return list.compactMap { pod in
            (pod["name"] as? String).map { ($0, pod["state"] as? String ?? "?") }
        }
    }

    /// Pod directories under `pods/<state>/`, straight from the data dir.
    func podDirectories() -> [(uuid: String, state: String)] {
        let states = (try? FileSystem.list("\(rktData)/pods")) ?? []
        return states.flatMap { state in
            ((try? FileSystem.list("\(rktData)/pods/\(state)")) ?? []).map { (uuid: $0, state: state) }
        }
    }

    /// Expects no host trace of the suite's pods and no pod directory, other than exited pods
    /// when `allowExitedPods` (their directories stay in run/ until `rkt rm`).
    func expectNothingLeft(
        allowExitedPods: Bool = false, _ context: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        learnPods()
        let exited = Set(listPods().filter { $0.state == "exited" }.map(\.uuid))
        let pods = podDirectories().filter { !(allowExitedPods && $0.state == "run" && exited.contains($0.uuid)) }
        let podList = pods.map { "\($0.state)/\($0.uuid)" }.joined(separator: ", ")
        #expect(pods.isEmpty, "\(context) left pod directories: \(podList)", sourceLocation: sourceLocation)

        let traces = currentTraces()
        #expect(
            traces.isEmpty, "\(context) left traces on the host:\n\(traces.joined(separator: "\n"))",
            sourceLocation: sourceLocation)
    }

    /// Traces of this sandbox's pods, and of every pod the suite has seen.
    private func currentTraces() -> [String] {
        let state = HostState.capture()
        addresses.formUnion(state.leasedAddresses(of: pods))
        SuitePods.shared.add(pods: pods, addresses: addresses)
        let suite = SuitePods.shared.all
        return state.traces(pods: suite.pods, addresses: suite.addresses, under: root)
            + state.traces(pods: [], addresses: [], under: HostState.temporaryPrefix).filter { !$0.contains(root) }
    }

    /// Collects pod UUIDs and IPs from the data dir and from everything the commands printed
    /// (the driver's `pod UUID`, `pod.id=`, `ip A.B.C.D`; alloc IDs come along, harmlessly).
    private func learnPods() {
        pods.formUnion(podDirectories().map(\.uuid))
        for tool in tools {
            let text = tool.stdout + tool.stderr
            pods.formUnion(Self.matches(of: #"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#, in: text))
            addresses.formUnion(Self.matches(of: #"(?<=ip )\d+\.\d+\.\d+\.\d+"#, in: text))
        }
    }

    private static func matches(of pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else {
            return []
        }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range, in: text).map { String(text[$0]) }
        }
    }

    // MARK: - Teardown

    /// Stops this sandbox's processes, removes its pods with `rkt rm`, records what is left
    /// (here and suite-wide), then forcibly removes whatever remains and deletes the directory.
    func close() {
        for tool in tools where tool.poll() == nil {
            if tool.stop(SIGTERM, timeout: .seconds(20)) == nil {
                Issue.record("`\(tool.command)` ignored SIGTERM for 20 s; killed it")
            }
        }
        learnPods()
        for pod in podDirectories() {
            _ = try? rkt(["rm", pod.uuid], timeout: .seconds(30))
        }
        let traces = SuitePods.shared.unreported(currentTraces())
        if !traces.isEmpty {
            Issue.record("pods left traces on the host after rkt rm:\n\(traces.joined(separator: "\n"))")
        }
        forceClean()
        try? FileSystem.removeTree(root)
        Self.reapExitedExecutors()
    }

    /// Reaps exited `rkt-executor` processes that are this process's children. The executor tests
    /// make the test process a child subreaper for the rest of the run, so the detached executors
    /// of later tests are reparented here, and nothing else waits for them.
    static func reapExitedExecutors() {
        for entry in (try? FileSystem.list("/proc")) ?? [] {
            guard let pid = pid_t(entry), let stat = try? FileSystem.readText("/proc/\(pid)/stat"),
                stat.contains("(rkt-executor)"), let close = stat.lastIndex(of: ")")
            else {
                continue
            }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 2 && fields[0] == "Z" && pid_t(fields[1]) == getpid() {
                var status: Int32 = 0
                _ = waitpid(pid, &status, WNOHANG)
            }
        }
    }

    /// Last-resort cleanup of what names this sandbox's pods or paths (runc, mounts, netns).
    private func forceClean() {
        let state = HostState.capture()
        for container in state.containers where container.contains("(\(root)") {
            let id = String(container.prefix { $0 != " " })
            _ = try? Subprocess.run("runc", ["--root", HostState.runcRoot, "delete", "--force", id])
        }
        for mount in state.mounts.sorted(by: { $0.count > $1.count }) where mount.hasPrefix(root) {
            _ = umount2(mount, Int32(MNT_DETACH))
        }
        for uuid in pods where state.namespaces.contains("rkt-\(uuid)") {
            _ = try? Subprocess.run("ip", ["netns", "delete", "rkt-\(uuid)"])
        }
    }
}

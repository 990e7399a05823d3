import FoundationEssentials
import Glibc
import RktError
import RktSys

/// `rkt stop`, `rkt enter` and `rkt gc`: acting on pods that a supervisor runs or ran.
public struct PodLifecycle {
    public let runtime: RuntimeContext

    public init(runtime: RuntimeContext) {
        self.runtime = runtime
    }

    /// The outcome of stopping one pod.
    public enum StopResult: Equatable, Sendable {
        case signalled(PodUUID)
        case alreadyStopped(PodUUID)
    }

    /// Graceful: SIGTERM to the pod's supervisor, which forwards it to the app. Forced: SIGKILL to
    /// every process of the pod's container and to the supervisor. Does not wait for the exit.
    public func stop(_ uuidPrefix: String, force: Bool) throws -> StopResult {
        let entry = try runtime.pods.find(uuidPrefix)
        switch entry.state {
        case .running:
            break
        case .exited, .exitedGarbage, .exitedDeleting:
            return .alreadyStopped(entry.uuid)
        default:
            throw RktError(.invalidState, "pod \"\(entry.uuid)\" is not running (state: \(entry.state.rawValue))")
        }
        if force {
            try? runtime.runc.kill(entry.uuid.containerID, signal: "KILL", all: true)
            if let supervisor = try? supervisorPID(entry) {
                _ = Glibc.kill(supervisor, SIGKILL)
            }
            return .signalled(entry.uuid)
        }
        let supervisor = try supervisorPID(entry)
        if Glibc.kill(supervisor, SIGTERM) != 0 {
            throw RktError.sys("kill", "pid \(supervisor)", "cannot signal the supervisor of pod \(entry.uuid)")
        }
        return .signalled(entry.uuid)
    }

    /// Runs `command` inside the running pod's app (its namespaces, root and environment, as
    /// uid 0 in `/`), with this process's stdio, by becoming `runc exec` (as rkt's enter became
    /// its stage1's): the command's exit status is this process's, and the caller's signals,
    /// SIGWINCH for a terminal among them, reach runc, which passes them on.
    public func enter(_ uuidPrefix: String, app requestedApp: String?, command: [String]) throws -> Never {
        let entry = try runtime.pods.find(uuidPrefix)
        guard entry.state == .running else {
            throw RktError(.invalidState, "pod \"\(entry.uuid)\" isn't currently running")
        }
        let manifest = try JSON.decode(
            PodManifest.self, from: try FileSystem.read(PodPaths(podDirectory: entry.path).manifest))
        let names = manifest.apps.map(\.name)
        guard let app = requestedApp ?? (names.count == 1 ? names[0] : nil), names.contains(app) else {
            throw RktError(
                .invalidArgument,
                "pod contains apps \(names.joined(separator: ", ")); specify app using \"rkt enter --app= ...\"")
        }
        try waitForContainer(entry, app: app)
        let environment = try FileSystem.readText(PodPaths(podDirectory: entry.path).envFile(app))
            .split(separator: "\n").map(String.init)
        let term = ProcessInfo.processInfo.environment["TERM"] ?? "vt100"
        var arguments = ["--root", runtime.runc.stateRoot, "exec", "--cwd", "/", "--user", "0:0"]
        if isatty(0) == 1 {
            arguments.append("--tty")
        }
        arguments += (environment + ["TERM=\(term)"]).flatMap { ["--env", $0] }
        arguments += [entry.uuid.containerID] + (command.isEmpty ? ["/bin/bash"] : command)
        try Subprocess.replaceProcess(runtime.runc.executable, arguments)
    }

    /// Garbage collection as rkt did it: exited pods are marked, then removed once past the grace
    /// period; aborted and expired prepares are removed. Reports each pod through `report`.
    public func collectGarbage(
        gracePeriod: Duration, expirePrepared: Duration, markOnly: Bool, report: (String) -> Void
    ) throws {
        try runtime.pods.ensureLayout()
        for entry in runtime.pods.entries(in: [.run]) where entry.state == .exited {
            report("moving pod \"\(entry.uuid)\" to garbage")
            try runtime.pods.move(entry, to: .exitedGarbage)
        }
        for entry in runtime.pods.entries(in: [.prepare]) where entry.state == .abortedPrepare {
            try runtime.pods.move(entry, to: .garbage)
        }
        guard !markOnly else {
            return
        }
        for entry in runtime.pods.entries(in: [.prepared]) where age(entry.path) > expirePrepared {
            try runtime.pods.move(entry, to: .garbage)
        }
        let remover = PodRemover(runtime: runtime)
        for entry in runtime.pods.entries(in: [.exitedGarbage]) {
            guard age(entry.path) >= gracePeriod else {
                report("pod \"\(entry.uuid)\" not removed: still within grace period (\(gracePeriod))")
                continue
            }
            report("Garbage collecting pod \"\(entry.uuid)\"")
            try remover.delete(entry)
        }
        for entry in runtime.pods.entries(in: [.garbage]) {
            try remover.delete(entry)
        }
    }

    /// A pod is "running" from the moment its supervisor takes the lock, a little before its init
    /// has started the app; like rkt's enter waiting for the pod's PID 1, wait for the app.
    private func waitForContainer(_ entry: PodStore.Entry, app: String) throws {
        let deadline = ContinuousClock.now + .seconds(10)
        let paths = PodPaths(podDirectory: entry.path)
        while PodInit.startedApp(paths) == nil || !FileSystem.exists(paths.envFile(app)) {
            guard ContinuousClock.now < deadline, FileLock.isLockedByOther(entry.path) else {
                throw RktError(.invalidState, "pod \"\(entry.uuid)\" has no running app container to enter")
            }
            usleep(20_000)
        }
    }

    private func supervisorPID(_ entry: PodStore.Entry) throws -> pid_t {
        let text = try FileSystem.readText(PodPaths(podDirectory: entry.path).ppid).trimmed
        guard let pid = pid_t(text), pid > 0 else {
            throw RktError(.invalidState, "pod \"\(entry.uuid)\" has no supervisor pid (ppid file: \"\(text)\")")
        }
        return pid
    }

    /// Time since the directory's inode last changed (the rename that marked it, like rkt).
    private func age(_ path: String) -> Duration {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .zero
        }
        let changed = Double(info.st_ctim.tv_sec) + Double(info.st_ctim.tv_nsec) / 1e9
        return .milliseconds(Int64((Date().timeIntervalSince1970 - changed) * 1000))
    }
}

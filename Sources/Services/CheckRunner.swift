import RktSys
import Synchronization

/// Runs checks at their interval and records each result in a catalog. One task per check;
/// probes run on a Dispatch queue, so a slow target never holds the cooperative pool, and each
/// probe ends by its timeout, so `stop` returns within one timeout.
public final class CheckRunner: Sendable {
    /// Check types this runner knows how to probe.
    public static let runnableTypes: Set<String> = ["http", "tcp", "script"]

    private let catalog: any Catalog
    private let exec: ScriptExecutor?
    private let logger: Logger
    private let running = Mutex<[String: Task<Void, Never>]>([:])

    public init(catalog: any Catalog, exec: ScriptExecutor?, logger: Logger) {
        self.catalog = catalog
        self.exec = exec
        self.logger = logger
    }

    /// IDs of the checks being run, sorted.
    public var runningCheckIDs: [String] {
        running.withLock { $0.keys.sorted() }
    }

    /// Starts running `check` now and then every interval, replacing a run with the same ID.
    public func start(_ check: CheckRegistration) async {
        let loop = Task.detached { [catalog, exec, logger] in
            while !Task.isCancelled {
                let result = await Self.probe(check, exec: exec)
                guard !Task.isCancelled else {
                    return
                }
                await Self.record(result, of: check, in: catalog, logger: logger)
                guard Self.runnableTypes.contains(check.type) else {
                    return
                }
                try? await Task.sleep(for: check.interval)
            }
        }
        let previous = running.withLock { state in
            defer { state[check.id] = loop }
            return state[check.id]
        }
        previous?.cancel()
        await previous?.value
    }

    /// Stops one check and waits until its last probe has finished.
    public func stop(checkID: String) async {
        let task = running.withLock { $0.removeValue(forKey: checkID) }
        task?.cancel()
        await task?.value
    }

    /// Stops every check and waits for all of them.
    public func stopAll() async {
        let tasks = running.withLock { state in
            defer { state.removeAll() }
            return Array(state.values)
        }
        for task in tasks {
            task.cancel()
        }
        for task in tasks {
            await task.value
        }
    }

    /// One run of `check`.
    static func probe(_ check: CheckRegistration, exec: ScriptExecutor?) async -> CheckResult {
        switch check.type {
        case "http":
            return await Blocking.run {
                CheckProbe.http(address: check.address, port: check.port, path: check.path, timeout: check.timeout)
            }
        case "tcp":
            return await Blocking.run {
                CheckProbe.tcp(address: check.address, port: check.port, timeout: check.timeout)
            }
        case "script":
            return await CheckProbe.script(
                command: check.command, args: check.args, timeout: check.timeout, exec: exec)
        default:
            return CheckResult(status: .critical, output: "check type \"\(check.type)\" is not run by rkt-driver")
        }
    }

    private static func record(
        _ result: CheckResult, of check: CheckRegistration, in catalog: any Catalog, logger: Logger
    ) async {
        do {
            try await Blocking.run {
                try catalog.updateCheck(checkID: check.id, status: result.status, output: result.output)
            }
        } catch {
            logger.debug("could not record a check result", ["check.id": check.id, "error": "\(error)"])
        }
    }
}

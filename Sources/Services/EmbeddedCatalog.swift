import FoundationEssentials
import Glibc
import RktError
import RktSys

/// The default catalog: one JSON file under the data directory, replaced atomically on every
/// change. Each change is a read-modify-write under an exclusive flock(2) on `<path>.lock`, so
/// several agents, CLIs or threads (each transaction opens its own descriptor) never lose updates.
///
/// A file that cannot be parsed is moved aside to `<path>.corrupt-<unix time>` by the next write
/// (with a warning) and never silently dropped; `list()` reports it as an error instead.
public final class EmbeddedCatalog: Catalog {
    /// The `version` written into the file; files with another version are refused.
    public static let formatVersion = 1

    public let path: String
    private let logger: Logger

    /// The catalog of a data directory: `<dataDir>/services/catalog.json`.
    public static func defaultPath(dataDir: String) -> String {
        "\(dataDir)/services/catalog.json"
    }

    public init(path: String, logger: Logger = Logger(label: "services", level: .warning)) {
        self.path = path
        self.logger = logger
    }

    public var runsNetworkChecks: Bool { false }

    public var lockPath: String { "\(path).lock" }

    public func register(_ registration: ServiceRegistration) throws {
        try mutate { services in
            var updated = registration
            if let previous = services[registration.id] {
                updated.checks = registration.checks.map { check in
                    Self.carryOver(check, from: previous.checks)
                }
            }
            services[registration.id] = updated
        }
    }

    public func deregister(serviceID: String) throws {
        try mutate { services in
            services[serviceID] = nil
        }
    }

    public func updateCheck(checkID: String, status: CheckStatus, output: String) throws {
        try mutate { services in
            for (id, service) in services {
                guard let index = service.checks.firstIndex(where: { $0.id == checkID }) else {
                    continue
                }
                services[id]?.checks[index].status = status
                services[id]?.checks[index].output = output
                return
            }
            throw RktError(.notFound, "check \(checkID) is not registered")
        }
    }

    public func list() throws -> [ServiceRegistration] {
        guard FileSystem.exists(path) else {
            return []
        }
        let lock = try acquire(exclusive: false)
        defer { Glibc.close(lock) }
        return try load().sorted { $0.id < $1.id }
    }

    /// A new check keeps the old status and output when its ID and target did not change.
    private static func carryOver(_ check: CheckRegistration, from previous: [CheckRegistration]) -> CheckRegistration {
        guard let old = previous.first(where: { $0.id == check.id }), old.sameTarget(as: check) else {
            return check
        }
        var kept = check
        kept.status = old.status
        kept.output = old.output
        return kept
    }
}

extension EmbeddedCatalog {
    /// The on-disk shape.
    struct File: Codable {
        var version: Int
        var services: [ServiceRegistration]
    }

    /// Runs `body` on the current services under the exclusive lock and writes the result.
    private func mutate(_ body: (inout [String: ServiceRegistration]) throws -> Void) throws {
        let directory = PathText.directory(of: path)
        try FileSystem.makeDirectories(directory.isEmpty ? "." : directory)
        let lock = try acquire(exclusive: true)
        defer { Glibc.close(lock) }

        var services: [String: ServiceRegistration] = [:]
        do {
            for service in try load() {
                services[service.id] = service
            }
        } catch let error as RktError where error.code == .invalidState {
            try quarantine(error)
        }
        try body(&services)
        let file = File(version: Self.formatVersion, services: services.values.sorted { $0.id < $1.id })
        try FileSystem.writeAtomically(try JSON.encode(file, pretty: true) + [10], to: path)
    }

    /// Reads the file; a missing file is an empty catalog.
    private func load() throws -> [ServiceRegistration] {
        guard FileSystem.exists(path) else {
            return []
        }
        let bytes = try FileSystem.read(path)
        let file: File
        do {
            file = try JSON.decode(File.self, from: bytes)
        } catch {
            throw RktError(.invalidState, "service catalog \(path) is unreadable: \(error)")
        }
        guard file.version == Self.formatVersion else {
            throw RktError(
                .unsupported,
                "service catalog \(path) has format version \(file.version); this build reads version "
                    + "\(Self.formatVersion)")
        }
        return file.services
    }

    private func quarantine(_ error: RktError) throws {
        let aside = "\(path).corrupt-\(time(nil))"
        guard rename(path, aside) == 0 else {
            throw RktError.sys("rename", "\(path) -> \(aside)")
        }
        logger.warning(
            "moved an unreadable service catalog aside", ["path": path, "quarantine": aside, "error": error.message])
    }

    /// Opens (creating it if needed) the lock file and takes flock on it; the caller closes it.
    private func acquire(exclusive: Bool) throws -> Int32 {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw RktError.sys("open", lockPath)
        }
        guard retryingEINTR({ flock(fd, exclusive ? LOCK_EX : LOCK_SH) }) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw RktError.sys("flock", lockPath, errno: code)
        }
        return fd
    }
}

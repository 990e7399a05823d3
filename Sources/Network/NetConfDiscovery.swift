import FoundationEssentials
import Glibc
import RktSys

/// Finds the networks a pod may join: the builtins merged with the user's `*.conf` files
/// (reference §3.2).
struct NetConfDiscovery {
    let directory: String
    let logger: Logger

    /// Builtins overridden by user confs of the same name, sorted by file name.
    func load() throws -> [NetConf] {
        var byName: [String: NetConf] = [:]
        for conf in try BuiltinNetworks.all() {
            byName[conf.name] = conf
        }
        var userNames: Set<String> = []
        for conf in try userConfs() {
            guard userNames.insert(conf.name).inserted else {
                logger.debug("\"\(conf.name)\" network already defined, ignoring \(conf.origin)")
                continue
            }
            if byName[conf.name] != nil {
                logger.debug("overriding \"\(conf.name)\" network with one from \(directory)")
            }
            byName[conf.name] = conf
        }
        return byName.values.sorted { ($0.fileName, $0.name) < ($1.fileName, $1.name) }
    }

    /// Regular files ending in `.conf`, in lexicographic file-name order; a missing directory is empty.
    private func userConfs() throws -> [NetConf] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            return []
        }
        return try entries.filter { $0.hasSuffix(".conf") }.sorted().compactMap { file in
            let path = "\(directory)/\(file)"
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                return nil
            }
            return try NetConf(bytes: try FileSystem.read(path), fileName: file, origin: path)
        }
    }
}

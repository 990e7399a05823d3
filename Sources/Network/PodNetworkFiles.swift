import FoundationEssentials
import Glibc
import RktError
import RktSys

/// The networking files of one pod directory, which are also the journal teardown works from:
///
/// * `netns` – the netns path, written *before* the netns is created;
/// * `net/<conf file>` – the conf copies, each written *before* its CNI ADD;
/// * `net-info.json` – the `NetInfo` array, rewritten before each ADD (entry without IP) and after
///   it (with IP), so a crash at any point leaves enough to undo it;
/// * `net/portmap.json` – the portmap conf, written before its ADD. It cannot clash with a conf
///   copy because user confs must end in `.conf`.
struct PodNetworkFiles {
    let podDirectory: String

    var netnsFile: String { "\(podDirectory)/netns" }
    var netDirectory: String { "\(podDirectory)/net" }
    var netInfoFile: String { "\(podDirectory)/net-info.json" }
    var portMapFile: String { "\(netDirectory)/portmap.json" }

    func confCopy(_ fileName: String) -> String { "\(netDirectory)/\(fileName)" }

    func writeNetnsPath(_ path: String) throws {
        try FileSystem.replace(path, to: netnsFile)
    }

    /// The recorded netns path, or nil if none was recorded.
    func readNetnsPath() throws -> String? {
        guard FileSystem.exists(netnsFile) else {
            return nil
        }
        let text = try FileSystem.readText(netnsFile).trimmed
        return text.isEmpty ? nil : text
    }

    func writeInfos(_ infos: [NetInfo]) throws {
        try FileSystem.replace(try JSON.encode(infos), to: netInfoFile)
    }

    /// The recorded networks, or an empty list if none were recorded.
    func readInfos() throws -> [NetInfo] {
        guard FileSystem.exists(netInfoFile) else {
            return []
        }
        do {
            return try JSON.decode([NetInfo].self, from: try FileSystem.read(netInfoFile))
        } catch {
            throw RktError(.invalidState, "corrupt \(netInfoFile): \(error)")
        }
    }

    /// Removes one file; a missing file is not an error.
    func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw RktError.sys("unlink", path)
        }
    }

    /// Removes `net/` if it is empty (it may hold files we did not write; those are kept).
    func removeNetDirectoryIfEmpty() {
        _ = rmdir(netDirectory)
    }
}

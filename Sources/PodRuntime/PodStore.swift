import FoundationEssentials
import Glibc
import RktError
import RktSys

/// rkt's on-disk pod layout under `<dir>/pods`: one directory per state, one sub-directory per
/// pod, moved between states with rename(2). See rkt-runtime.md §2.
public struct PodStore: Sendable {
    /// The state directories, in the order a UUID is looked up.
    public enum Directory: String, CaseIterable, Sendable {
        case embryo, prepare, prepared, run
        case exitedGarbage = "exited-garbage"
        case garbage
    }

    /// A pod found on disk.
    public struct Entry: Sendable {
        public let uuid: PodUUID
        public let directory: Directory
        public let path: String

        /// The pod's state right now (probes its lock).
        public var state: PodState {
            PodState(directory: directory, locked: FileLock.isLockedByOther(path))
        }
    }

    public let root: String

    /// A store rooted at `<dataDir>/pods`.
    public init(dataDirectory: String) {
        root = "\(dataDirectory)/pods"
    }

    /// Creates the state directories (mode 0750, like rkt).
    public func ensureLayout() throws {
        for directory in Directory.allCases {
            try FileSystem.makeDirectories("\(root)/\(directory.rawValue)", mode: 0o750)
        }
    }

    public func path(of uuid: PodUUID, in directory: Directory) -> String {
        "\(root)/\(directory.rawValue)/\(uuid.canonical)"
    }

    /// Every pod in the given directories.
    public func entries(in directories: [Directory] = Directory.allCases) -> [Entry] {
        directories.flatMap { directory in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(directory.rawValue)")) ?? []
            return names.sorted().compactMap { name -> Entry? in
                guard let uuid = try? PodUUID(parsing: name), uuid.canonical == name else {
                    return nil
                }
                return Entry(uuid: uuid, directory: directory, path: path(of: uuid, in: directory))
            }
        }
    }

    /// Finds the pod whose UUID starts with `prefix` (case-insensitive, dashes optional).
    public func find(_ prefix: String) throws -> Entry {
        let wanted = prefix.lowercased().filter { $0 != "-" }
        guard !wanted.isEmpty, wanted.allSatisfy(\.isHexDigit) else {
            throw RktError(.invalidArgument, "invalid pod UUID \"\(prefix)\": expected hex digits")
        }
        let matches = entries().filter { $0.uuid.compact.hasPrefix(wanted) }
        let unique = Dictionary(grouping: matches, by: \.uuid)
        switch unique.count {
        case 0:
            throw RktError(.notFound, "no matches found for \"\(prefix)\"")
        case 1:
            return try refreshed(matches[0])
        default:
            throw RktError(.invalidArgument, "ambiguous uuid, \(unique.count) matches")
        }
    }

    /// Moves a pod to another state directory (atomic rename). rkt also fsynced the parent; a pod
    /// does not outlive a reboot (its netns, mounts and processes are gone), so we skip the ~5 ms.
    @discardableResult
    public func move(_ entry: Entry, to directory: Directory) throws -> Entry {
        let target = path(of: entry.uuid, in: directory)
        guard rename(entry.path, target) == 0 else {
            throw RktError.sys(
                "rename", "\(entry.path) -> \(target)", "cannot move pod \(entry.uuid) to \(directory.rawValue)")
        }
        return Entry(uuid: entry.uuid, directory: directory, path: target)
    }

    /// Looks the pod up again: a concurrent rename may have moved it since it was listed.
    private func refreshed(_ entry: Entry) throws -> Entry {
        for directory in Directory.allCases where FileSystem.exists(path(of: entry.uuid, in: directory)) {
            return Entry(uuid: entry.uuid, directory: directory, path: path(of: entry.uuid, in: directory))
        }
        throw RktError(.notFound, "no matches found for \"\(entry.uuid)\"")
    }
}

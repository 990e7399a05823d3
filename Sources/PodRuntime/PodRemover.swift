import RktError
import RktSys

/// `rkt rm`: removes a pod that is not running. Exited pods go through `exited-garbage`,
/// prepared or aborted ones through `garbage`; then the pod's host resources are released and
/// its directory deleted under the exclusive lock.
public struct PodRemover {
    public let runtime: RuntimeContext

    public init(runtime: RuntimeContext) {
        self.runtime = runtime
    }

    public func remove(_ uuidPrefix: String) throws -> PodUUID {
        let entry = try runtime.pods.find(uuidPrefix)
        let target: PodStore.Directory
        switch entry.state {
        case .exited, .exitedGarbage:
            target = .exitedGarbage
        case .prepared, .abortedPrepare, .garbage, .embryo:
            target = .garbage
        case .running, .preparing, .deleting, .exitedDeleting:
            throw RktError(.invalidState, "pod \"\(entry.uuid)\" is \(entry.state.rawValue); stop it first (rkt stop)")
        }
        let moved = entry.directory == target ? entry : try runtime.pods.move(entry, to: target)
        try delete(moved)
        return entry.uuid
    }

    /// Takes the exclusive lock, releases host resources and deletes the pod directory.
    func delete(_ entry: PodStore.Entry) throws {
        let lock = try FileLock(path: entry.path)
        guard try lock.tryLock(exclusive: true, within: .seconds(1)) else {
            throw RktError(.invalidState, "pod \"\(entry.uuid)\" is locked by another rkt process")
        }
        try PodCleaner(runtime: runtime).release(uuid: entry.uuid, podDirectory: entry.path)
        try FileSystem.removeTree(entry.path)
        lock.unlock()
    }
}

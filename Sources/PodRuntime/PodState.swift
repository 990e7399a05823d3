/// The ten pod states of rkt, derived from the pod's directory and whether its lock is held.
public enum PodState: String, Codable, Sendable, CaseIterable {
    case embryo
    case preparing
    case abortedPrepare = "aborted prepare"
    case prepared
    case running
    case deleting
    case exitedDeleting = "exited deleting"
    case exited
    case exitedGarbage = "exited garbage"
    case garbage

    /// The state of a pod found in `directory` with its lock `locked` by another process.
    init(directory: PodStore.Directory, locked: Bool) {
        switch directory {
        case .embryo: self = .embryo
        case .prepare: self = locked ? .preparing : .abortedPrepare
        case .prepared: self = .prepared
        case .run: self = locked ? .running : .exited
        case .exitedGarbage: self = locked ? .exitedDeleting : .exitedGarbage
        case .garbage: self = locked ? .deleting : .garbage
        }
    }

    /// Whether the pod has run and finished (its exit statuses and networks are reportable).
    public var hasExited: Bool {
        [.exited, .exitedGarbage, .exitedDeleting].contains(self)
    }
}

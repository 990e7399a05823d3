import CShim
import Glibc
import RktError

/// A pseudo-terminal pair. The secondary end becomes a child's stdin, stdout and stderr (so `isatty` holds
/// for it); the primary end is where its output is read and its input written.
///
/// The secondary is opened with O_NOCTTY and the spawner does not make it a controlling terminal, so the
/// kernel sends no SIGWINCH on resize and no job-control signals: whoever resizes it signals the child.
public struct PseudoTerminal: Sendable {
    /// The primary (controlling) end, kept by the parent.
    public let primary: Int32
    /// The secondary end, handed to the child; close the parent's copy after spawning.
    public let secondary: Int32

    /// Opens a new pair; both descriptors are close-on-exec.
    public init() throws {
        var primary: Int32 = -1
        var secondary: Int32 = -1
        let err = rkt_openpty(&primary, &secondary)
        guard err == 0 else {
            throw RktError.sys("posix_openpt", errno: err, "cannot allocate a pseudo-terminal")
        }
        self.primary = primary
        self.secondary = secondary
    }

    /// Sets the size in character cells of the terminal open at `fd` (either end); best effort.
    public static func resize(_ fd: Int32, rows: Int32, columns: Int32) {
        _ = rkt_set_winsize(fd, UInt16(clamping: max(0, rows)), UInt16(clamping: max(0, columns)))
    }
}

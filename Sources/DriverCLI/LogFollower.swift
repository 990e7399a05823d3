import FoundationEssentials
import Glibc
import RktSys

/// Prints a task's log stream: every rotated file `<task>.<stream>.N` in index order, then, with
/// `follow`, new output as it is written, moving on to the next index when the executor rotates.
struct LogFollower {
    let directory: String
    let task: String
    let stream: String

    /// The indexes of the stream's files, ascending.
    func indexes() -> [Int] {
        let prefix = "\(task).\(stream)."
        return ((try? FileSystem.list(directory)) ?? []).compactMap { name in
            name.hasPrefix(prefix) ? Int(name.dropFirst(prefix.count)) : nil
        }.sorted()
    }

    func run(follow: Bool, stillRunning: () -> Bool) throws {
        var index = indexes().first ?? 0
        var offset: UInt64 = 0
        var idleChecks = 0
        while true {
            let wrote = copy(from: "\(directory)/\(task).\(stream).\(index)", offset: &offset)
            if let next = indexes().first(where: { $0 > index }) {
                if !wrote {
                    _ = copy(from: "\(directory)/\(task).\(stream).\(index)", offset: &offset)
                    (index, offset) = (next, 0)
                }
                continue
            }
            guard follow else {
                return
            }
            if wrote {
                idleChecks = 0
                continue
            }
            idleChecks += 1
            if idleChecks % 10 == 0 && !stillRunning() {
                _ = copy(from: "\(directory)/\(task).\(stream).\(index)", offset: &offset)
                return
            }
            Pause.for(.milliseconds(100))
        }
    }

    /// Copies what was appended since `offset` to stdout; returns whether anything was copied.
    private func copy(from path: String, offset: inout UInt64) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return false
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var copied = false
        while case let count = pread(fd, &buffer, buffer.count, off_t(offset)), count > 0 {
            Console.output(bytes: buffer[0..<count])
            offset += UInt64(count)
            copied = true
        }
        return copied
    }
}

import CShim
import Glibc

/// Starting processes through the C shim's `posix_spawn` wrapper (STYLE §4.8).
enum Spawn {
    /// Spawns `path` with `arguments` (argv[0] included) and `environment` (nil: this process's own), with
    /// the given descriptors as its stdin, stdout and stderr and every other descriptor closed.
    ///
    /// With `newSession` the process starts its own session, and so its own process group whose id is its pid.
    static func run(
        _ path: String, arguments: [String], environment: [String]?, stdin: Int32, stdout: Int32, stderr: Int32,
        newSession: Bool, directory: String? = nil
    ) throws(ExecutorError) -> pid_t {
        var pid: pid_t = 0
        let argv = CStringArray(arguments)
        let envp = environment.map { CStringArray($0) }
        defer {
            argv.free()
            envp?.free()
        }
        let err = rkt_spawn(
            &pid, path, argv.pointers, envp?.pointers ?? rkt_environ(), stdin, stdout, stderr, newSession ? 1 : 0,
            directory)
        guard err == 0 else {
            throw ExecutorError.syscall("posix_spawn", path, errno: err)
        }
        return pid
    }

    /// Opens /dev/null for reading or writing.
    static func openDevNull(_ flags: Int32) throws(ExecutorError) -> Int32 {
        try sys("open", "/dev/null") { open("/dev/null", flags | O_CLOEXEC) }
    }

    /// A close-on-exec pipe: (read end, write end).
    static func pipe() throws(ExecutorError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        try sys("pipe2") { rkt_pipe_cloexec(&fds) }
        return (fds[0], fds[1])
    }
}

/// A NUL-terminated array of C strings, freed explicitly.
private struct CStringArray {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

    init(_ strings: [String]) {
        pointers = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() {
            pointers[index] = strdup(string)
        }
        pointers[strings.count] = nil
    }

    func free() {
        var index = 0
        while let string = pointers[index] {
            Glibc.free(string)
            index += 1
        }
        pointers.deallocate()
    }
}
